import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type APIInteraction, type APIInteractionResponse, InteractionResponseType, InteractionType } from 'discord.js';
import { readBoundedBody } from '../../http/read-body';
import type { Logger } from '../../logger';
import type { FirstAnswer } from './discord-interactions';

/** Where Discord's interactions arrive, under the bot's HTTP server. */
export const INTERACTIONS_MOUNT = '/discord';
export const INTERACTIONS_PATH = `${INTERACTIONS_MOUNT}/interactions`;

/** Discord signs every request with its send time; one more than five minutes off, either way, is a replay or a forgery. */
const MAX_SKEW_SECONDS = 5 * 60;
/** Interactions are a few kilobytes (a button's message with its embeds at most some tens); anything far larger is not Discord. */
export const INTERACTION_BODY_LIMIT_BYTES = 256 * 1024;

/** The DER header of an Ed25519 public key in SubjectPublicKeyInfo form, before its 32 raw bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The application's public key (64 hex digits, as the developer portal shows it) as a key node:crypto verifies with. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('a Discord public key is 64 hex digits');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export interface InteractionsEndpointOptions {
  publicKey: KeyObject;
  /** Epoch milliseconds. */
  now: () => number;
  logger: Logger;
  /** Takes a verified interaction (not a PING) and answers it through `first`, exactly once. */
  onInteraction(interaction: APIInteraction, first: FirstAnswer): Promise<void>;
  bodyLimitBytes?: number;
}

/**
 * Discord's interactions endpoint (`POST /discord/interactions`). Nothing is read or parsed before
 * the signature is checked: the body is bounded, then the Ed25519 signature over the timestamp and
 * the raw body is verified and the timestamp must be within five minutes; a missing, wrong or stale
 * signature is 401. A PING is answered with a PONG; anything else goes to `onInteraction`, whose
 * first answer becomes the HTTP response.
 */
export function interactionsEndpoint(options: InteractionsEndpointOptions): RequestListener {
  const limit = options.bodyLimitBytes ?? INTERACTION_BODY_LIMIT_BYTES;
  const refuse = (response: ServerResponse, status: number, reason: string, bodyUnread = false) => {
    options.logger.warn({ status }, `discord request refused: ${reason}`);
    // A body left unread (or read only in part) makes the connection unusable for another request.
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(bodyUnread && { connection: 'close' }) });
    response.end(`${reason}\n`);
  };

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) return refuse(response, 413, `body larger than ${limit} bytes`, true);
    const body = await readBoundedBody(request, limit);
    if (!body) return refuse(response, 413, `body larger than ${limit} bytes`, true);
    const problem = signatureProblem(request, body, options.publicKey, options.now());
    if (problem) return refuse(response, 401, problem);
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(response, 400, 'body is not JSON');
    }
    if (typeof interaction !== 'object' || interaction === null || Array.isArray(interaction) || typeof interaction.type !== 'number') {
      return refuse(response, 400, 'body is not an interaction');
    }
    if (interaction.type === InteractionType.Ping) return writeJson(response, { type: InteractionResponseType.Pong });
    let answered = false;
    const first: FirstAnswer = {
      carriesFiles: false,
      send: (answer) => {
        if (answered) return Promise.reject(new Error('the interaction was answered already'));
        answered = true;
        if (response.destroyed) return Promise.reject(new Error('Discord closed the request before it was answered'));
        return writeJson(response, answer);
      },
    };
    await options.onInteraction(interaction, first);
  };

  return (request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== INTERACTIONS_PATH) return refuse(response, 404, 'not found', true);
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return refuse(response, 405, 'only POST', true);
    }
    serve(request, response).catch((error: unknown) => {
      options.logger.warn({ err: error }, 'discord request failed');
      if (!response.headersSent) response.writeHead(400, { connection: 'close' });
      response.end();
    });
  };
}

/** Why a request's signature is refused, or undefined when it is Discord's and fresh. */
function signatureProblem(request: IncomingMessage, body: Buffer, key: KeyObject, nowMs: number): string | undefined {
  const signature = request.headers['x-signature-ed25519'];
  const timestamp = request.headers['x-signature-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return 'no X-Signature-Ed25519 or X-Signature-Timestamp';
  if (!/^[0-9a-f]{128}$/i.test(signature)) return 'X-Signature-Ed25519 is not 64 bytes of hex';
  if (!/^\d{1,15}$/.test(timestamp)) return 'X-Signature-Timestamp is not a number of seconds';
  const skew = Number(timestamp) - nowMs / 1000;
  if (skew < -MAX_SKEW_SECONDS) return 'signed more than 5 minutes ago';
  if (skew > MAX_SKEW_SECONDS) return 'signed more than 5 minutes ahead';
  if (!verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, Buffer.from(signature, 'hex'))) return 'bad signature';
  return undefined;
}

function writeJson(response: ServerResponse, body: APIInteractionResponse): Promise<void> {
  const json = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    response.once('error', reject);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    response.end(json, () => resolve());
  });
}
