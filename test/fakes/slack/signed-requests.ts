import { createHmac } from 'node:crypto';
import type { SlackDelivery } from './payloads';
import { nowSeconds } from './slack-ids';

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the signing secret. */
export function slackSignature(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

export interface SignedRequestOptions {
  /** The secret to sign with: the app's for a genuine request, any other for a forged one. */
  signingSecret: string;
  /** Seconds since the epoch; the bot refuses anything more than five minutes off, either way. Defaults to now. */
  timestamp?: number;
  /** Send no X-Slack-Signature header at all. */
  omitSignature?: boolean;
  /** Send no X-Slack-Request-Timestamp header (the signature still covers `timestamp`). */
  omitTimestamp?: boolean;
  /** Slack's redelivery headers (X-Slack-Retry-Num, X-Slack-Retry-Reason, e.g. 'http_timeout'). */
  retryNum?: number;
  retryReason?: string;
  headers?: Record<string, string>;
}

export interface BoltHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The headers Slack would send with `delivery`. */
export function signedHeaders(delivery: SlackDelivery, options: SignedRequestOptions): Record<string, string> {
  const timestamp = options.timestamp ?? nowSeconds();
  const headers: Record<string, string> = {
    // Bolt compares the content type exactly; a `; charset=` suffix would make it parse a form as JSON.
    'Content-Type': delivery.contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (!options.omitTimestamp) headers['X-Slack-Request-Timestamp'] = String(timestamp);
  if (!options.omitSignature) headers['X-Slack-Signature'] = slackSignature(options.signingSecret, timestamp, delivery.rawBody);
  if (options.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = options.retryReason;
  return { ...headers, ...options.headers };
}

/** POSTs `delivery` to a Bolt HTTP receiver (e.g. `http://127.0.0.1:PORT/slack/events`) the way Slack does. */
export async function sendSignedRequest(url: string, delivery: SlackDelivery, options: SignedRequestOptions): Promise<BoltHttpResponse> {
  const response = await fetch(url, { method: 'POST', headers: signedHeaders(delivery, options), body: delivery.rawBody });
  return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: await response.text() };
}
