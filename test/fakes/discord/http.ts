import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from './constants';
import type { PathPattern, RecordedFile } from './types';

export interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, or multipart/form-data with `payload_json` and `files[n]` parts as @discordjs/rest sends them. */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown;
    const fields: Record<string, unknown> = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
        else fields[field] = value;
      } else {
        files.push({
          field,
          name: value.name,
          contentType: value.type || 'application/octet-stream',
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { body: body ?? (Object.keys(fields).length > 0 ? fields : undefined), files };
  }
  const textBody = raw.toString('utf8');
  if (contentType?.startsWith('application/json')) return { body: JSON.parse(textBody), files: [] };
  return { body: textBody, files: [] };
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A Discord-style failure a route handler can throw. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toResponse(): FakeResponse {
    return { status: this.status, body: { message: this.message, code: this.code, ...this.extra } };
  }
}

export const notFound = (code: number, message: string) => new DiscordHttpError(404, code, message);
export const forbidden = (code: number, message: string) => new DiscordHttpError(403, code, message);

const GENERIC_MESSAGES: Record<number, string> = {
  400: '400: Bad Request',
  401: '401: Unauthorized',
  403: 'Missing Permissions',
  404: '404: Not Found',
  405: '405: Method Not Allowed',
  429: 'You are being rate limited.',
  500: '500: Internal Server Error',
  502: '502: Bad Gateway',
  503: '503: Service Unavailable',
};

export function genericErrorBody(status: number): Record<string, unknown> {
  const code = status === 403 ? ErrorCode.MissingPermissions : ErrorCode.General;
  return { message: GENERIC_MESSAGES[status] ?? `${status}: Error`, code };
}

/** 204 goes out with no body and no content-type: @discordjs/rest would try to parse an empty JSON body otherwise. */
export function send(response: ServerResponse, answer: FakeResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.status === 204 || answer.body === undefined) {
    response.writeHead(answer.status, headers);
    response.end();
    return;
  }
  const payload = JSON.stringify(answer.body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(payload));
  response.writeHead(answer.status, headers);
  response.end(payload);
}

export type RouteParams = Record<string, string>;

export interface CompiledPattern {
  match(path: string): RouteParams | undefined;
  describe: string;
}

/** `/channels/:channelId/messages` style patterns (`*` matches one segment), or a RegExp tested against the path. */
export function compilePattern(pattern: PathPattern): CompiledPattern {
  if (pattern instanceof RegExp) {
    return { match: (path) => (pattern.test(path) ? {} : undefined), describe: String(pattern) };
  }
  const expected = pattern.split('/');
  return {
    describe: pattern,
    match(path) {
      const actual = path.split('/');
      if (actual.length !== expected.length) return undefined;
      const params: RouteParams = {};
      for (let index = 0; index < expected.length; index += 1) {
        const want = expected[index]!;
        const got = actual[index]!;
        if (want.startsWith(':')) params[want.slice(1)] = got;
        else if (want !== '*' && want !== got) return undefined;
      }
      return params;
    },
  };
}

export function decodePath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

export function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
