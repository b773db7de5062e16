import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

/**
 * Fetching a URL a member gave us (a feed, an article) without letting it reach inside our network
 * (SSRF): only http and https; every address the host resolves to, at every redirect, must be public;
 * the connection goes to the address that was checked; and the whole fetch is bounded in time and size.
 */
export interface FetchPolicy {
  /** Addresses that may not be connected to: private ones unless FEEDS_ALLOW_PRIVATE_HOSTS lifts the rule. */
  isBlockedAddress: (address: string) => boolean;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export function fetchPolicy(options: { allowPrivateHosts?: boolean } & Partial<Omit<FetchPolicy, 'isBlockedAddress'>> = {}): FetchPolicy {
  const { allowPrivateHosts = false, ...limits } = options;
  return {
    isBlockedAddress: allowPrivateHosts ? () => false : isPrivateAddress,
    timeoutMs: 10_000,
    maxBytes: 2 * 1024 * 1024,
    maxRedirects: 3,
    ...limits,
  };
}

export type FetchFailure = 'bad_url' | 'blocked_address' | 'timeout' | 'too_large' | 'http_status' | 'too_many_redirects' | 'network';

export class FetchError extends Error {
  override readonly name = 'FetchError';
  constructor(
    readonly reason: FetchFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface FetchResult {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['100::', 64],
  ['2001:db8::', 32],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv6');

/** Loopback, private, link-local, carrier-grade NAT, documentation, multicast or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4 inside IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, or their hex forms) is judged as IPv4.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (embedded) return PRIVATE.check(embedded[1]!, 'ipv4');
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return PRIVATE.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  return PRIVATE.check(address, 'ipv6');
}

/** A DNS lookup that refuses hosts resolving to any private address; the socket connects to what it returns. */
function guardedLookup(policy: FetchPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = addresses.find((a) => policy.isBlockedAddress(a.address));
      if (blocked) return callback(new FetchError('blocked_address', `${hostname} points to a private address`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

function checkUrl(raw: string, policy: FetchPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError('bad_url', `"${raw}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('bad_url', 'only http:// and https:// links can be fetched');
  if (url.username || url.password) throw new FetchError('bad_url', 'links with a user name or password are not fetched');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Literal addresses skip DNS, so they are checked here; names are checked as they resolve.
  if (isIP(host) && policy.isBlockedAddress(host)) throw new FetchError('blocked_address', `${host} is a private address`);
  return url;
}

function decoded(response: http.IncomingMessage): Readable {
  switch ((response.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(createGunzip());
    case 'deflate':
      return response.pipe(createInflate());
    case 'br':
      return response.pipe(createBrotliDecompress());
    default:
      return response;
  }
}

function requestOnce(url: URL, headers: Record<string, string>, policy: FetchPolicy, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, { method: 'GET', headers, lookup: guardedLookup(policy), signal, agent: false }, resolve);
    request.on('error', reject);
    request.end();
  });
}

async function readBody(response: http.IncomingMessage, policy: FetchPolicy): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > policy.maxBytes) {
    response.destroy();
    throw new FetchError('too_large', `the response is larger than ${Math.round(policy.maxBytes / 1024)} KB`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = decoded(response);
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > policy.maxBytes) {
      response.destroy();
      stream.destroy();
      throw new FetchError('too_large', `the response is larger than ${Math.round(policy.maxBytes / 1024)} KB`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * GETs a URL under the policy, following at most `maxRedirects` redirects (each one re-checked).
 * Resolves for any final status (the caller decides about 304 or 404); throws FetchError otherwise.
 */
export async function safeFetch(raw: string, options: { policy?: FetchPolicy; headers?: Record<string, string> } = {}): Promise<FetchResult> {
  const policy = options.policy ?? fetchPolicy();
  const signal = AbortSignal.timeout(policy.timeoutMs);
  const headers = { 'user-agent': 'InkwellBot/1.0 (+writing group feed reader)', 'accept-encoding': 'gzip, deflate, br', ...options.headers };
  let url = checkUrl(raw, policy);
  try {
    for (let hop = 0; ; hop++) {
      const response = await requestOnce(url, headers, policy, signal);
      const location = response.headers.location;
      if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && response.statusCode !== 304 && location) {
        response.resume();
        if (hop >= policy.maxRedirects) throw new FetchError('too_many_redirects', `more than ${policy.maxRedirects} redirects`);
        url = checkUrl(new URL(location, url).toString(), policy);
        continue;
      }
      const body = await readBody(response, policy);
      return { status: response.statusCode ?? 0, url: url.toString(), headers: response.headers, body };
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (signal.aborted) throw new FetchError('timeout', `no complete answer within ${Math.round(policy.timeoutMs / 1000)} seconds`);
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof FetchError) throw cause;
    throw new FetchError('network', `could not connect (${(error as Error).message})`);
  }
}

/** The body as text, in the charset the response declares (UTF-8 when it declares none or an unknown one). */
export function bodyText(result: FetchResult): string {
  const charset = /charset=([^;]+)/i.exec(result.headers['content-type'] ?? '')?.[1]?.trim().replace(/"/g, '');
  try {
    return new TextDecoder(charset || 'utf-8').decode(result.body);
  } catch {
    return new TextDecoder('utf-8').decode(result.body);
  }
}
