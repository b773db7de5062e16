import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ipaddr from 'ipaddr.js';

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

/** Ranges that hold an IPv4 address in their last 32 bits, which is what is reached through them. */
const IPV4_IN_LAST_32_BITS = [
  ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), // IPv4-mapped
  ipaddr.IPv6.parseCIDR('::/96'), // IPv4-compatible, deprecated but still routed by some stacks
  ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), // IPv4-translated (SIIT)
  ipaddr.IPv6.parseCIDR('64:ff9b::/96'), // well-known NAT64 prefix
];
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');

/** The IPv4 address an IPv6 address leads to, when it is one of the forms that embed one. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const fromWords = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
  if (IPV4_IN_LAST_32_BITS.some((range) => address.match(range))) return fromWords(parts[6]!, parts[7]!);
  if (address.match(SIX_TO_FOUR)) return fromWords(parts[1]!, parts[2]!);
  return undefined;
}

/**
 * Anything but a public unicast address: loopback, private, link-local, site-local, carrier-grade NAT,
 * documentation, benchmarking, multicast, reserved, and every IPv6 form that carries a private IPv4
 * address (mapped, compatible, translated, NAT64, 6to4). Local-use NAT64 (64:ff9b:1::/48) and Teredo lead
 * to addresses that cannot be checked from here, so they are refused too. A string that is not an address
 * counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  // isIP first: ipaddr.js also reads loose forms (octal, "127.1") that nothing here should resolve to.
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return ipaddr.IPv4.parse(address).range() !== 'unicast';
  const ipv6 = ipaddr.IPv6.parse(address);
  const ipv4 = embeddedIPv4(ipv6);
  if (ipv4) return ipv4.range() !== 'unicast';
  return ipv6.range() !== 'unicast';
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

/** The decompressor for the response's encoding; none for identity or an encoding we do not ask for. */
function decoderFor(response: http.IncomingMessage): Transform | undefined {
  switch ((response.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

function requestOnce(url: URL, headers: Record<string, string>, policy: FetchPolicy, deadline: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    // The signal destroys the request at the deadline, whether it is resolving, connecting or awaiting headers.
    const request = client.request(url, { method: 'GET', headers, lookup: guardedLookup(policy), signal: deadline, agent: false }, resolve);
    request.on('error', reject);
    request.end();
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tooLarge(policy: FetchPolicy): FetchError {
  return new FetchError('too_large', `the response is larger than ${Math.round(policy.maxBytes / 1024)} KB`);
}

/**
 * The body, decompressed and counted as it arrives. One pipeline carries response, decompressor and
 * counter, so the deadline or any failure (a broken stream, too many bytes) destroys all of them together:
 * a decompressor fed by pipe() would outlive an aborted response and wait for ever.
 */
async function readBody(response: http.IncomingMessage, policy: FetchPolicy, deadline: AbortSignal): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > policy.maxBytes) {
    response.destroy();
    throw tooLarge(policy);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // The limit counts decompressed bytes, so a small compressed bomb is refused as it expands.
  // A Writable rather than an async function: pipeline then reports the sink's own error, not an abort.
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > policy.maxBytes) return done(tooLarge(policy));
      chunks.push(chunk);
      done();
    },
  });
  const decoder = decoderFor(response);
  try {
    if (decoder) await pipeline(response, decoder, collect, { signal: deadline });
    else await pipeline(response, collect, { signal: deadline });
  } catch (error) {
    if (error instanceof FetchError) throw error;
    throw new FetchError('network', `the response broke off or could not be decoded (${messageOf(error)})`);
  }
  return Buffer.concat(chunks);
}

/** Where a redirect points, or undefined when the response is not one to follow. */
function redirectLocation(response: http.IncomingMessage): string | undefined {
  const status = response.statusCode ?? 0;
  return status >= 300 && status < 400 && status !== 304 ? response.headers.location : undefined;
}

/**
 * GETs a URL under the policy, following at most `maxRedirects` redirects (each one re-checked).
 * One deadline covers the whole fetch: name resolution, connection, headers, every redirect and the
 * body with its decompression; when it passes, everything still open is destroyed and the fetch fails.
 * Resolves for any final status (the caller decides about 304 or 404); throws FetchError otherwise.
 */
export async function safeFetch(raw: string, options: { policy?: FetchPolicy; headers?: Record<string, string> } = {}): Promise<FetchResult> {
  const policy = options.policy ?? fetchPolicy();
  const headers = { 'user-agent': 'InkwellBot/1.0 (+writing group feed reader)', 'accept-encoding': 'gzip, deflate, br', ...options.headers };
  let url = checkUrl(raw, policy);
  const deadline = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort();
  }, policy.timeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      const response = await requestOnce(url, headers, policy, deadline.signal);
      const location = redirectLocation(response);
      if (location) {
        // A redirect's body is never read; closing it now keeps a trickling one from holding the socket.
        response.destroy();
        if (hop >= policy.maxRedirects) throw new FetchError('too_many_redirects', `more than ${policy.maxRedirects} redirects`);
        url = checkUrl(new URL(location, url).toString(), policy);
        continue;
      }
      const body = await readBody(response, policy, deadline.signal);
      return { status: response.statusCode ?? 0, url: url.toString(), headers: response.headers, body };
    }
  } catch (error) {
    // Whatever failed, nothing of this fetch stays open.
    deadline.abort();
    if (timedOut) throw new FetchError('timeout', `no complete answer within ${policy.timeoutMs / 1000} seconds`);
    if (error instanceof FetchError) throw error;
    if (error instanceof Error && error.cause instanceof FetchError) throw error.cause;
    throw new FetchError('network', `could not connect (${messageOf(error)})`);
  } finally {
    clearTimeout(timer);
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
