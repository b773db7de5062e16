import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, verifySlackRequest } from '@slack/bolt';
import type { Logger } from '../../logger';
import { readBoundedBody } from '../../http/read-body';
import { boltLogger } from './bolt-logger';

/** Slack signs every request with its send time; one more than five minutes off, either way, is a replay or a forgery. */
const MAX_SKEW_SECONDS = 5 * 60;

export interface SignedRequestGuardOptions {
  signingSecret: string;
  /** The path Bolt serves Slack's requests on. */
  endpoint: string;
  /** Epoch milliseconds. */
  now: () => number;
  logger: Logger;
  /** Bolt's own default: 4 MB. */
  bodyLimitBytes?: number;
}

/**
 * Bolt's request listener behind a screen of its own. Bolt refuses stale signatures but takes ones dated
 * far ahead, and a signed body that parses to something other than an object (`null`) crashes it after
 * the request was let in. So the body is read here, the timestamp checked in both directions, the
 * signature checked with Bolt's own function, and the body parsed with Bolt's own parser; only then
 * does Bolt see the request (it checks the signature again, which costs nothing).
 */
export function guardSignedRequests(listener: RequestListener, options: SignedRequestGuardOptions): RequestListener {
  const limit = options.bodyLimitBytes ?? HTTPModuleFunctions.defaultBodyLimit;
  const bolt = boltLogger(options.logger);
  const pass = (request: IncomingMessage, response: ServerResponse) => {
    try {
      listener(request, response);
    } catch (error) {
      // Bolt throws for a path it does not serve; its own server answers that with a 404 the same way.
      HTTPModuleFunctions.defaultDispatchErrorHandler({ error: error instanceof Error ? error : new Error(String(error)), logger: bolt, request, response });
    }
  };
  const refuse = (response: ServerResponse, status: number, reason: string, bodyUnread = false) => {
    options.logger.warn({ status }, `slack request refused: ${reason}`);
    // A body left unread (or read only in part) makes the connection unusable for another request.
    response.writeHead(status, bodyUnread ? { connection: 'close' } : {});
    response.end();
  };

  const screen = async (request: IncomingMessage, response: ServerResponse) => {
    const rawBody = await readBoundedBody(request, limit);
    if (!rawBody) return refuse(response, 413, `body larger than ${limit} bytes`, true);
    const buffered = Object.assign(request, { rawBody });
    // Slack's SSL check carries no signature; Bolt answers it and strips anything else from it.
    if (isSslCheck(buffered)) return pass(buffered, response);
    const timestamp = singleHeader(request, 'x-slack-request-timestamp');
    const problem = timestampProblem(timestamp, options.now());
    if (problem) return refuse(response, 401, problem);
    try {
      verifySlackRequest({
        signingSecret: options.signingSecret,
        body: rawBody.toString(),
        headers: { 'x-slack-signature': singleHeader(request, 'x-slack-signature') ?? '', 'x-slack-request-timestamp': Number(timestamp) },
        nowMilliseconds: options.now(),
      });
    } catch (error) {
      return refuse(response, 401, error instanceof Error ? error.message : 'bad signature');
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return refuse(response, 400, 'body is not JSON or a form');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse(response, 400, 'body is not an object');
    pass(buffered, response);
  };

  return (request, response) => {
    const path = pathOf(request);
    if (path === undefined) return refuse(response, 400, 'the request target is not a URL', true);
    if (request.method !== 'POST' || path !== options.endpoint) return pass(request, response);
    screen(request, response).catch((error: unknown) => {
      // Only reading the body can fail here: the sender went away or sent something broken.
      options.logger.warn({ err: error }, 'slack request unreadable');
      if (!response.headersSent) response.writeHead(400, { connection: 'close' });
      response.end();
    });
  };
}

/** Why a request's timestamp is refused, or undefined if it is within five minutes of `nowMs`. */
function timestampProblem(header: string | undefined, nowMs: number): string | undefined {
  if (header === undefined) return 'no X-Slack-Request-Timestamp';
  if (!/^\d{1,15}$/.test(header)) return 'X-Slack-Request-Timestamp is not a number of seconds';
  const skew = Number(header) - nowMs / 1000;
  if (skew < -MAX_SKEW_SECONDS) return 'signed more than 5 minutes ago';
  if (skew > MAX_SKEW_SECONDS) return 'signed more than 5 minutes ahead';
  return undefined;
}

/** The request's path; undefined for a target that does not parse (which Bolt would answer with a 500). */
function pathOf(request: IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

function singleHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function isSslCheck(request: IncomingMessage & { rawBody: Buffer }): boolean {
  return request.headers['content-type'] === 'application/x-www-form-urlencoded' && new URLSearchParams(request.rawBody.toString()).get('ssl_check') === '1';
}
