import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { JsonObject } from './payloads';
import { FAKE_SLACK_DEFAULTS, messageTs, nowSeconds, slackId } from './slack-ids';

export { FAKE_SLACK_DEFAULTS, messageTs, nowSeconds, slackId, triggerId } from './slack-ids';
export * from './payloads';
export * from './signed-requests';

// ---------------------------------------------------------------------------------------------------------------
// Public shapes
// ---------------------------------------------------------------------------------------------------------------

export interface FakeSlackUser {
  id: string;
  name?: string;
  realName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isBot?: boolean;
  deleted?: boolean;
  tz?: string;
  /** conversations.open with this person fails with this Slack error (e.g. 'user_not_visible': DMs closed to the app). */
  dmError?: string;
}

export interface FakeSlackChannel {
  id: string;
  name?: string;
  isPrivate?: boolean;
  /** For a DM (an id starting with D): the other person. */
  user?: string;
  /** The team the channel lives in, when it is another workspace's channel the bot can still see; the fake's own team when left out. */
  teamId?: string;
}

/** Another workspace the app can be installed in through OAuth (oauth.v2.access hands out `botToken` for it). */
export interface FakeSlackWorkspace {
  teamId: string;
  teamName?: string;
  teamDomain?: string;
  botToken: string;
  botUserId?: string;
  botId?: string;
}

export interface FakeSlackOptions {
  /** The app's OAuth credentials, which oauth.v2.access checks. */
  oauth?: { clientId: string; clientSecret: string };
  /** Workspaces installable through OAuth; a call made with one's token is that workspace's (auth.test, channels, users). */
  workspaces?: FakeSlackWorkspace[];
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  appId?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  /** People users.info knows; anyone else is user_not_found. */
  users?: FakeSlackUser[];
  /** Channels conversations.info describes by name; other well-formed ids are described generically. */
  channels?: FakeSlackChannel[];
}

/** One Web API request, as the fake received it and answered it. */
export interface RecordedCall {
  method: string;
  /** Body and query merged. Form values stay strings, except JSON-valued fields (blocks, files, ...) which are decoded. */
  params: JsonObject;
  /** From `Authorization: Bearer …`, else the `token` param. */
  token: string | undefined;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  status: number;
  response: JsonObject;
}

/** How the next call of a method fails: a Slack error code (HTTP 200, ok: false), or an HTTP status. */
export type InjectedFailure = string | { status: number; retryAfter?: number; error?: string };

export interface RecordedResponse {
  /** The id given to `responseUrl(id)`. */
  id: string;
  url: string;
  body: JsonObject;
  headers: Record<string, string>;
  status: number;
}

/** A message the bot has in a channel (posted, updated, deleted, or shared files). */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown;
  threadTs?: string;
  files?: string[];
  edited?: { ts: string };
  deleted: boolean;
  /** The message metadata it was posted with (`event_type`, `event_payload`). */
  metadata?: JsonObject;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  messageTs: string;
  text: string;
  blocks?: unknown;
}

export interface FakeReaction {
  channel: string;
  timestamp: string;
  name: string;
}

export interface FakeUpload {
  fileId: string;
  filename: string;
  /** The length declared to files.getUploadURLExternal. */
  length: number;
  /** The bytes POSTed to the upload URL; undefined until then. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  completed?: { channelId?: string; threadTs?: string; initialComment?: string; title?: string };
}

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: JsonObject;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** What a Socket Mode client sends back to acknowledge an envelope. */
export interface SocketAck {
  envelope_id: string;
  payload?: JsonObject;
}

export interface SocketSendOptions {
  /** Defaults as Slack sets it: true for slash commands, false for events and block actions. */
  acceptsResponsePayload?: boolean;
  /** Events API redeliveries only: the attempt number (0 first) and why ('timeout', 'http_error', ...). */
  retryAttempt?: number;
  retryReason?: string;
  envelopeId?: string;
  /** How long to wait for the ack; Slack gives up after 3 s. */
  timeoutMs?: number;
}

export interface SocketConnectionInfo {
  /** 1 for the first connection, 2 after a reconnect, ... */
  number: number;
  ticket: string;
}

// ---------------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------------

type ApiResult = JsonObject & { ok: boolean };
type ApiHandler = (params: JsonObject, token: string | undefined) => ApiResult;

interface SocketConnection extends SocketConnectionInfo {
  socket: WebSocket;
  /** The client answered a ping sent after hello, so it has processed the hello too. */
  ready: boolean;
  pinger?: NodeJS.Timeout;
}

interface PendingAck {
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Fields sent form-encoded as JSON strings, decoded so tests can look inside them. */
const JSON_VALUED_FIELDS = new Set(['blocks', 'attachments', 'files', 'metadata', 'view', 'unfurls', 'file_uploads']);
/** Slack lets a response_url be used five times. */
const RESPONSE_URL_USES = 5;
/** conversations.history and conversations.replies: 100 messages a page unless asked, at most 999. */
const HISTORY_PAGE_DEFAULT = 100;
const HISTORY_PAGE_MAX = 999;
const DEFAULT_WAIT_MS = 5000;
/** Slack pings Socket Mode clients; once pinged, @slack/socket-mode drops a link that goes 30 s without one. */
const SOCKET_PING_INTERVAL_MS = 10_000;

function ok(fields: JsonObject = {}): ApiResult {
  return { ok: true, ...fields };
}

function fail(error: string): ApiResult {
  return { ok: false, error };
}

function stringParam(params: JsonObject, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a boolean argument is on, as Slack reads one: `true`, `'true'` or `'1'`. */
function flagParam(params: JsonObject, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Orders message timestamps ('1712345678.000123') by time. */
function compareTs(a: string, b: string): number {
  const [aSeconds = '0', aMicros = ''] = a.split('.');
  const [bSeconds = '0', bMicros = ''] = b.split('.');
  return Number(aSeconds) - Number(bSeconds) || Number(aMicros.padEnd(6, '0')) - Number(bMicros.padEnd(6, '0'));
}

function lowerCaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface ParsedBody {
  fields: JsonObject;
  files: { field: string; filename: string; bytes: Buffer }[];
}

/** Parses JSON, form-encoded and multipart bodies the way Slack accepts them. */
async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) return { fields: {}, files: [] };
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return { fields: typeof parsed === 'object' && parsed !== null ? (parsed as JsonObject) : { value: parsed }, files: [] };
  }
  if (type === 'multipart/form-data') {
    const form = await new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': contentType! }, body: raw }).formData();
    const fields: JsonObject = {};
    const files: ParsedBody['files'] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') fields[field] = decodeJsonField(field, value);
      else files.push({ field, filename: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
    }
    return { fields, files };
  }
  const fields: JsonObject = {};
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) fields[name] = decodeJsonField(name, value);
  return { fields, files: [] };
}

function decodeJsonField(name: string, value: string): unknown {
  if (!JSON_VALUED_FIELDS.has(name)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * A local stand-in for Slack: the Web API over HTTP, response_url endpoints, file upload URLs and a Socket Mode
 * WebSocket server, on 127.0.0.1 at an ephemeral port. Everything received is recorded for assertions.
 */
export class FakeSlack {
  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;

  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly reactions: FakeReaction[] = [];
  readonly uploads: FakeUpload[] = [];
  readonly socketAcks: SocketAck[] = [];
  /** Modals opened with views.open, as Slack holds them (with id, hash and team). */
  readonly views: JsonObject[] = [];

  private readonly users = new Map<string, FakeSlackUser>();
  private readonly workspaces = new Map<string, FakeSlackWorkspace>();
  /** Codes handed to the installer's browser after "Allow", each good for one oauth.v2.access. */
  private readonly installCodes = new Map<string, { teamId: string; userId: string }>();
  private readonly revokedTokens = new Set<string>();
  private readonly oauthClient?: { clientId: string; clientSecret: string };
  private readonly channels = new Map<string, FakeSlackChannel>();
  private readonly dmByUser = new Map<string, string>();
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly responseFailures: { status: number; body: string }[] = [];
  private readonly responseUses = new Map<string, number>();
  private holdingResponses = false;
  private readonly heldResponses: (() => void)[] = [];
  private readonly api: Record<string, ApiHandler>;

  private readonly socketTickets = new Set<string>();
  private readonly socketConnections: SocketConnection[] = [];
  private readonly pendingAcks = new Map<string, PendingAck>();
  private readonly waiters = new Set<{ check: () => void; cancel: (error: Error) => void }>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private baseUrl = '';

  private constructor(
    private readonly server: Server,
    options: FakeSlackOptions,
  ) {
    this.teamId = options.teamId ?? FAKE_SLACK_DEFAULTS.teamId;
    this.teamName = options.teamName ?? FAKE_SLACK_DEFAULTS.teamName;
    this.teamDomain = options.teamDomain ?? FAKE_SLACK_DEFAULTS.teamDomain;
    this.appId = options.appId ?? FAKE_SLACK_DEFAULTS.appId;
    this.botUserId = options.botUserId ?? FAKE_SLACK_DEFAULTS.botUserId;
    this.botId = options.botId ?? FAKE_SLACK_DEFAULTS.botId;
    this.botName = options.botName ?? FAKE_SLACK_DEFAULTS.botName;
    this.users.set(this.botUserId, { id: this.botUserId, name: this.botName, isBot: true });
    for (const user of options.users ?? []) this.users.set(user.id, user);
    for (const channel of options.channels ?? []) this.channels.set(channel.id, channel);
    for (const workspace of options.workspaces ?? []) this.workspaces.set(workspace.teamId, workspace);
    this.oauthClient = options.oauth;
    this.api = {
      'auth.test': (_p, token) => this.authTest(token),
      'oauth.v2.access': (p) => this.oauthV2Access(p),
      'chat.postMessage': (p, token) => this.chatPostMessage(p, token),
      'chat.update': (p) => this.chatUpdate(p),
      'chat.postEphemeral': (p) => this.chatPostEphemeral(p),
      'chat.delete': (p) => this.chatDelete(p),
      'reactions.add': (p) => this.reactionsAdd(p),
      'users.info': (p) => this.usersInfo(p),
      'conversations.open': (p) => this.conversationsOpen(p),
      'conversations.info': (p, token) => this.conversationsInfo(p, token),
      'conversations.history': (p) => this.conversationsHistory(p),
      'conversations.replies': (p) => this.conversationsReplies(p),
      'files.getUploadURLExternal': (p) => this.filesGetUploadUrlExternal(p),
      'files.completeUploadExternal': (p) => this.filesCompleteUploadExternal(p),
      'apps.connections.open': () => this.appsConnectionsOpen(),
      'views.open': (p) => this.viewsOpen(p),
    };
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server, options);
    server.on('request', (request, response) => {
      fake.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { ok: false, error: 'fake_slack_crashed', detail: String(error) });
        else response.destroy();
      });
    });
    server.on('upgrade', (request, socket, head) => fake.upgrade(request, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** For Bolt's `clientOptions: { slackApiUrl }` (WebClient appends the method name to it). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  get url(): string {
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const stopped = new Error('FakeSlack stopped');
    for (const waiter of [...this.waiters]) waiter.cancel(stopped);
    for (const [id, pending] of this.pendingAcks) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`FakeSlack stopped before envelope ${id} was acknowledged`));
    }
    this.pendingAcks.clear();
    await Promise.all([...this.wss.clients].map(closeGracefully));
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets everything recorded (calls, responses, messages, uploads, acks, injected failures); keeps connections. */
  reset(): void {
    for (const list of [this.calls, this.responses, this.messages, this.ephemerals, this.reactions, this.uploads, this.socketAcks]) {
      list.length = 0;
    }
    this.failures.clear();
    this.responseFailures.length = 0;
    this.responseUses.clear();
  }

  // ----- knobs ---------------------------------------------------------------------------------------------------

  /**
   * Makes the next call of `method` fail: `'channel_not_found'` answers HTTP 200 `{ ok: false, error }`;
   * `{ status: 429, retryAfter: 1 }` answers a rate limit with a Retry-After header (whole seconds, as Slack
   * sends it); any other status is an HTTP error. Several calls queue up, one failure per call.
   */
  failNext(method: string, failure: InjectedFailure): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Makes the next response_url POST fail, e.g. 404 'expired_url' as Slack answers after 30 minutes. */
  failNextResponse(status = 404, body = 'expired_url'): void {
    this.responseFailures.push({ status, body });
  }

  /**
   * From now on response_url POSTs are held: not answered and not recorded, as when Slack is slow to
   * take them. The function returned stops holding and drops the held ones unrecorded (their sender
   * is expected to be gone).
   */
  holdResponses(): () => void {
    this.holdingResponses = true;
    return () => {
      this.holdingResponses = false;
      for (const drop of this.heldResponses.splice(0)) drop();
    };
  }

  // ----- OAuth ---------------------------------------------------------------------------------------------------

  /**
   * What Slack does when someone in `teamId` presses "Allow" on the authorize page: a one-time code for
   * the redirect URL (which the browser then visits with the state it was given).
   */
  approveInstall(teamId: string, userId: string = FAKE_SLACK_DEFAULTS.userId): string {
    if (!this.workspaces.has(teamId)) throw new Error(`FakeSlack: no workspace ${teamId} to install in`);
    const code = `code-${randomUUID()}`;
    this.installCodes.set(code, { teamId, userId });
    return code;
  }

  /** The workspace's bot token stops working, as after an uninstall: every call with it is refused with token_revoked. */
  revokeTokens(teamId: string): void {
    const workspace = this.workspaces.get(teamId);
    if (workspace) this.revokedTokens.add(workspace.botToken);
  }

  /** The calls made with a workspace's bot token. */
  callsWithTokenOf(teamId: string): RecordedCall[] {
    const token = this.workspaces.get(teamId)?.botToken;
    return this.calls.filter((call) => call.token !== undefined && call.token === token);
  }

  private workspaceOfToken(token: string | undefined): FakeSlackWorkspace | undefined {
    return [...this.workspaces.values()].find((workspace) => workspace.botToken === token);
  }

  /** The code exchanged for the workspace's bot token, once, by the app's own client id and secret. */
  private oauthV2Access(params: JsonObject): ApiResult {
    if (!this.oauthClient || stringParam(params, 'client_id') !== this.oauthClient.clientId) return fail('invalid_client_id');
    if (stringParam(params, 'client_secret') !== this.oauthClient.clientSecret) return fail('bad_client_secret');
    const code = stringParam(params, 'code') ?? '';
    const grant = this.installCodes.get(code);
    if (!grant) return fail('invalid_code');
    this.installCodes.delete(code);
    const workspace = this.workspaces.get(grant.teamId)!;
    this.revokedTokens.delete(workspace.botToken);
    return ok({
      app_id: this.appId,
      authed_user: { id: grant.userId },
      scope: 'commands,chat:write,chat:write.public,reactions:write,users:read,channels:history,groups:history,channels:read,groups:read,im:write,files:write',
      token_type: 'bot',
      access_token: workspace.botToken,
      bot_user_id: workspace.botUserId ?? this.botUserId,
      team: { id: workspace.teamId, name: workspace.teamName ?? workspace.teamId },
      enterprise: null,
      is_enterprise_install: false,
    });
  }

  // ----- response_url --------------------------------------------------------------------------------------------

  /** A response_url on the fake; POSTs to it land in `responses`. */
  responseUrl(id: string = randomUUID()): string {
    return `${this.baseUrl}/response/${encodeURIComponent(id)}`;
  }

  // ----- waiting -------------------------------------------------------------------------------------------------

  /** The first call of `method` (already recorded or still to come) matching `predicate`. */
  waitForCall(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedCall> {
    return this.waitFor(
      () => this.calls.find((call) => call.method === method && safely(predicate, call)),
      timeoutMs,
      () => `no ${method} call matching the predicate within ${timeoutMs} ms; recorded calls: ${this.describeCalls()}`,
    );
  }

  /** The first response_url POST (already recorded or still to come) matching `predicate`. */
  waitForResponse(predicate: (response: RecordedResponse) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedResponse> {
    return this.waitFor(
      () => this.responses.find((response) => safely(predicate, response)),
      timeoutMs,
      () =>
        `no response_url POST matching the predicate within ${timeoutMs} ms; recorded responses: ${
          this.responses.map((r) => `${r.id} ${JSON.stringify(r.body)}`).join('; ') || 'none'
        }`,
    );
  }

  /**
   * Resolves once `count` Socket Mode connections have been made in all (1: the first) and the latest is open
   * and its client has processed the hello (so the app's start() or reconnect has finished).
   */
  waitForSocketConnection(options: { count?: number; timeoutMs?: number } = {}): Promise<SocketConnectionInfo> {
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return this.waitFor(
      () => {
        const latest = this.openSocket();
        return this.socketConnections.length >= count && latest?.ready ? { number: latest.number, ticket: latest.ticket } : undefined;
      },
      timeoutMs,
      () => `expected Socket Mode connection #${count} within ${timeoutMs} ms; connections so far: ${this.socketConnections.length}`,
    );
  }

  // ----- Socket Mode ---------------------------------------------------------------------------------------------

  /** How many Socket Mode connections have been opened so far, including closed ones. */
  get socketConnectionCount(): number {
    return this.socketConnections.length;
  }

  /** Sends an envelope to the newest open Socket Mode connection and resolves with the app's ack. */
  socketSend(type: EnvelopeType, payload: JsonObject, options: SocketSendOptions = {}): Promise<SocketAck> {
    const connection = this.openSocket();
    if (!connection) return Promise.reject(new Error(`no open Socket Mode connection to send a ${type} envelope on`));
    const envelope: SocketEnvelope = {
      envelope_id: options.envelopeId ?? randomUUID(),
      payload,
      type,
      accepts_response_payload: options.acceptsResponsePayload ?? type === 'slash_commands',
    };
    // Slack puts the redelivery fields on Events API envelopes only.
    if (type === 'events_api') {
      envelope.retry_attempt = options.retryAttempt ?? 0;
      envelope.retry_reason = options.retryReason ?? '';
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelope.envelope_id);
        reject(new Error(`the app did not acknowledge ${type} envelope ${envelope.envelope_id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingAcks.set(envelope.envelope_id, { resolve, reject, timer });
    });
    connection.socket.send(JSON.stringify(envelope));
    return acked;
  }

  /** Asks the connected clients to reconnect, as Slack does before recycling a server ('refresh_requested', 'warning', 'link_disabled'). */
  socketRequestReconnect(reason = 'refresh_requested'): void {
    for (const connection of this.socketConnections) {
      if (connection.socket.readyState === connection.socket.OPEN) {
        connection.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
      }
    }
  }

  /** Cuts every Socket Mode connection without a close handshake, like a network failure. */
  socketDropConnections(): void {
    for (const connection of this.socketConnections) connection.socket.terminate();
  }

  // ----- HTTP ----------------------------------------------------------------------------------------------------

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const [, area, name] = url.pathname.match(/^\/(api|response|upload)\/(.+)$/) ?? [];
    if (area === 'api' && name) return this.handleApiCall(decodeURIComponent(name), url, request, response);
    if (area === 'response' && name && request.method === 'POST') return this.handleResponseUrl(decodeURIComponent(name), url, request, response);
    if (area === 'upload' && name && request.method === 'POST') return this.handleUpload(decodeURIComponent(name), request, response);
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  }

  private async handleApiCall(method: string, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = lowerCaseHeaders(request);
    const body = await parseBody(await readBody(request), headers['content-type']);
    const params: JsonObject = { ...Object.fromEntries(url.searchParams), ...body.fields };
    const bearer = headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const token = bearer ?? stringParam(params, 'token');
    const call: RecordedCall = { method, params, token, headers, status: 200, response: {} };

    const failure = this.failures.get(method)?.shift();
    if (failure !== undefined) {
      if (typeof failure === 'string') {
        call.response = fail(failure);
      } else {
        call.status = failure.status;
        call.response = fail(failure.error ?? (failure.status === 429 ? 'ratelimited' : 'fatal_error'));
      }
      const extraHeaders: Record<string, string> =
        typeof failure === 'object' && failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      this.record(call);
      sendJson(response, call.status, call.response, extraHeaders);
      return;
    }

    const handler = this.api[method];
    // oauth.v2.access is the one method called without a token: it is how one is got.
    const problem = method === 'oauth.v2.access' ? undefined : this.tokenProblem(method, token);
    call.response = handler ? (problem ?? handler(params, token)) : fail('unknown_method');
    this.record(call);
    sendJson(response, 200, call.response);
  }

  /** Slack answers not_authed without a token, and keeps app-level (xapp-) tokens to the apps.connections.* methods. */
  private tokenProblem(method: string, token: string | undefined): ApiResult | undefined {
    if (!token) return fail('not_authed');
    if (this.revokedTokens.has(token)) return fail('token_revoked');
    const appLevel = token.startsWith('xapp-');
    if (method === 'apps.connections.open') return appLevel ? undefined : fail('not_allowed_token_type');
    if (appLevel && method !== 'auth.test') return fail('not_allowed_token_type');
    return undefined;
  }

  private async handleResponseUrl(id: string, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = lowerCaseHeaders(request);
    const { fields } = await parseBody(await readBody(request), headers['content-type']);
    if (this.holdingResponses) {
      await new Promise<void>((resolve) => this.heldResponses.push(resolve));
      response.destroy();
      return;
    }
    const uses = (this.responseUses.get(id) ?? 0) + 1;
    this.responseUses.set(id, uses);
    const injected = this.responseFailures.shift();
    const failure = injected ?? (uses > RESPONSE_URL_USES ? { status: 404, body: 'used_url' } : undefined);
    this.responses.push({ id, url: url.toString(), body: fields, headers, status: failure?.status ?? 200 });
    this.notify();
    if (failure) {
      response.writeHead(failure.status, { 'content-type': 'text/plain' });
      response.end(failure.body);
      return;
    }
    sendJson(response, 200, { ok: true });
  }

  private async handleUpload(fileId: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = lowerCaseHeaders(request);
    const raw = await readBody(request);
    const upload = this.uploads.find((u) => u.fileId === fileId);
    if (!upload) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('file_not_found');
      return;
    }
    // WebClient sends the bytes as a multipart form; Slack also takes the raw bytes as the body.
    const multipart = (headers['content-type'] ?? '').startsWith('multipart/form-data');
    upload.bytes = multipart ? ((await parseBody(raw, headers['content-type'])).files[0]?.bytes ?? Buffer.alloc(0)) : raw;
    this.notify();
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(`OK - ${upload.bytes.length}`);
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.notify();
  }

  // ----- Web API methods -----------------------------------------------------------------------------------------

  private authTest(token: string | undefined): ApiResult {
    const workspace = this.workspaceOfToken(token);
    return ok({
      url: `https://${workspace?.teamDomain ?? this.teamDomain}.slack.com/`,
      team: workspace?.teamName ?? this.teamName,
      user: this.botName,
      team_id: workspace?.teamId ?? this.teamId,
      user_id: workspace?.botUserId ?? this.botUserId,
      bot_id: workspace?.botId ?? this.botId,
      is_enterprise_install: false,
    });
  }

  /** A message as the Web API returns it; its metadata only when asked for (`include_all_metadata`), as on Slack. */
  private botMessage(message: FakeMessage, options: { withMetadata?: boolean } = {}): JsonObject {
    return {
      type: 'message',
      text: message.text,
      user: this.botUserId,
      bot_id: this.botId,
      app_id: this.appId,
      team: this.teamId,
      ts: message.ts,
      ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
      ...(message.edited === undefined ? {} : { edited: { user: this.botUserId, ts: message.edited.ts } }),
      ...(options.withMetadata && message.metadata !== undefined ? { metadata: message.metadata } : {}),
      bot_profile: { id: this.botId, app_id: this.appId, name: this.botName, team_id: this.teamId, deleted: false },
    };
  }

  /** A channel id as chat.* methods accept it: a user id means the DM with that user. */
  private resolveChannel(params: JsonObject): string | undefined {
    const channel = stringParam(params, 'channel');
    if (channel && /^[UW]/.test(channel)) return this.dmChannelFor(channel);
    return channel && this.isKnownChannel(channel) ? channel : undefined;
  }

  private isKnownChannel(id: string): boolean {
    return this.channels.has(id) || /^[CGD][A-Z0-9]{2,}$/.test(id);
  }

  private dmChannelFor(userId: string): string {
    let id = this.dmByUser.get(userId);
    if (!id) {
      id = slackId('D');
      this.dmByUser.set(userId, id);
      this.channels.set(id, { id, user: userId });
    }
    return id;
  }

  /**
   * A modal opened for the person whose click gave the trigger_id: Slack's checks on the view (a
   * modal with a title of at most 24 characters, at most 100 blocks, callback_id and private_metadata
   * within their limits, inputs with a label and an element), each trigger used once.
   */
  private viewsOpen(params: JsonObject): ApiResult {
    const trigger = stringParam(params, 'trigger_id');
    if (!trigger) return fail('invalid_trigger_id');
    if (this.usedTriggers.has(trigger)) return fail('expired_trigger_id');
    const view = isJsonObject(params.view) ? params.view : undefined;
    if (!view || view.type !== 'modal') return fail('invalid_arguments');
    const title = isJsonObject(view.title) ? view.title : undefined;
    if (!title || title.type !== 'plain_text' || typeof title.text !== 'string' || title.text.length === 0 || title.text.length > 24) return fail('invalid_arguments');
    const blocks = Array.isArray(view.blocks) ? (view.blocks as unknown[]) : [];
    if (blocks.length === 0 || blocks.length > 100) return fail('invalid_arguments');
    for (const block of blocks) {
      if (!isJsonObject(block)) return fail('invalid_arguments');
      if (block.type === 'input' && (!isJsonObject(block.label) || !isJsonObject(block.element) || typeof block.block_id !== 'string')) return fail('invalid_arguments');
    }
    if (typeof view.callback_id === 'string' && view.callback_id.length > 255) return fail('invalid_arguments');
    if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) return fail('invalid_arguments');
    if (blocks.some((b) => isJsonObject(b) && b.type === 'input') && !isJsonObject(view.submit)) return fail('invalid_arguments');
    this.usedTriggers.add(trigger);
    const opened = { ...view, id: slackId('V', 10), hash: `${nowSeconds()}.${slackId('', 8)}`, team_id: this.teamId, app_id: this.appId, bot_id: this.botId, state: { values: {} } };
    this.views.push(opened);
    return ok({ view: opened });
  }

  private readonly usedTriggers = new Set<string>();

  private chatPostMessage(params: JsonObject, token: string | undefined): ApiResult {
    const channel = this.resolveChannel(params);
    if (!channel || this.hiddenFrom(channel, token)) return fail('channel_not_found');
    const text = stringParam(params, 'text');
    if (text === undefined && params.blocks === undefined && params.attachments === undefined) return fail('no_text');
    const message: FakeMessage = { channel, ts: messageTs(), text: text ?? '', deleted: false };
    if (params.blocks !== undefined) message.blocks = params.blocks;
    const threadTs = stringParam(params, 'thread_ts');
    if (threadTs && !this.messages.some((m) => m.channel === channel && m.ts === threadTs && !m.deleted)) return fail('thread_not_found');
    if (threadTs) message.threadTs = threadTs;
    if (params.metadata !== undefined) {
      const metadata = isJsonObject(params.metadata) ? params.metadata : undefined;
      if (!metadata || typeof metadata.event_type !== 'string' || !isJsonObject(metadata.event_payload)) return fail('invalid_metadata_format');
      message.metadata = metadata;
    }
    this.messages.push(message);
    return ok({ channel, ts: message.ts, message: this.botMessage(message, { withMetadata: true }) });
  }

  /**
   * A channel's messages, newest first, without thread replies: after `oldest` and before `latest` (both
   * exclusive unless `inclusive`), `limit` a page with a cursor for the next; metadata with `include_all_metadata`.
   */
  private conversationsHistory(params: JsonObject): ApiResult {
    const channel = stringParam(params, 'channel');
    if (!channel || !this.isKnownChannel(channel)) return fail('channel_not_found');
    const inWindow = this.timeWindow(params);
    const messages = this.messages
      .filter((m) => m.channel === channel && !m.deleted && (m.threadTs === undefined || m.threadTs === m.ts) && inWindow(m.ts))
      .sort((a, b) => compareTs(b.ts, a.ts));
    return this.page(messages, params);
  }

  /** A thread: its parent, then its replies, oldest first, in the same window and pages as conversations.history. */
  private conversationsReplies(params: JsonObject): ApiResult {
    const channel = stringParam(params, 'channel');
    if (!channel || !this.isKnownChannel(channel)) return fail('channel_not_found');
    const ts = stringParam(params, 'ts');
    if (!ts || !this.messages.some((m) => m.channel === channel && m.ts === ts && !m.deleted)) return fail('thread_not_found');
    const inWindow = this.timeWindow(params);
    const messages = this.messages
      .filter((m) => m.channel === channel && !m.deleted && (m.ts === ts || m.threadTs === ts) && inWindow(m.ts))
      .sort((a, b) => compareTs(a.ts, b.ts));
    return this.page(messages, params);
  }

  private timeWindow(params: JsonObject): (ts: string) => boolean {
    const oldest = stringParam(params, 'oldest');
    const latest = stringParam(params, 'latest');
    const inclusive = flagParam(params, 'inclusive');
    return (ts) => {
      const afterOldest = oldest === undefined || (inclusive ? compareTs(ts, oldest) >= 0 : compareTs(ts, oldest) > 0);
      const beforeLatest = latest === undefined || (inclusive ? compareTs(ts, latest) <= 0 : compareTs(ts, latest) < 0);
      return afterOldest && beforeLatest;
    };
  }

  private page(messages: FakeMessage[], params: JsonObject): ApiResult {
    const limit = Math.min(Number(stringParam(params, 'limit') ?? HISTORY_PAGE_DEFAULT), HISTORY_PAGE_MAX);
    const cursor = stringParam(params, 'cursor');
    const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString().replace(/^next:/, '')) : 0;
    if (!Number.isInteger(start) || start < 0) return fail('invalid_cursor');
    const shown = messages.slice(start, start + limit);
    const hasMore = start + limit < messages.length;
    const withMetadata = flagParam(params, 'include_all_metadata');
    return ok({
      messages: shown.map((m) => this.botMessage(m, { withMetadata })),
      has_more: hasMore,
      pin_count: 0,
      response_metadata: { next_cursor: hasMore ? Buffer.from(`next:${start + limit}`).toString('base64url') : '' },
    });
  }

  private findBotMessage(params: JsonObject): FakeMessage | undefined {
    const channel = this.resolveChannel(params);
    const ts = stringParam(params, 'ts');
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  private chatUpdate(params: JsonObject): ApiResult {
    if (!this.resolveChannel(params)) return fail('channel_not_found');
    const message = this.findBotMessage(params);
    if (!message) return fail('message_not_found');
    const text = stringParam(params, 'text');
    if (text !== undefined) message.text = text;
    if (params.blocks !== undefined) message.blocks = params.blocks;
    message.edited = { ts: messageTs() };
    return ok({ channel: message.channel, ts: message.ts, text: message.text, message: this.botMessage(message) });
  }

  private chatDelete(params: JsonObject): ApiResult {
    if (!this.resolveChannel(params)) return fail('channel_not_found');
    const message = this.findBotMessage(params);
    if (!message) return fail('message_not_found');
    message.deleted = true;
    return ok({ channel: message.channel, ts: message.ts });
  }

  private chatPostEphemeral(params: JsonObject): ApiResult {
    const channel = this.resolveChannel(params);
    if (!channel) return fail('channel_not_found');
    const user = stringParam(params, 'user');
    if (!user) return fail('user_not_in_channel');
    const text = stringParam(params, 'text');
    if (text === undefined && params.blocks === undefined && params.attachments === undefined) return fail('no_text');
    const ephemeral: FakeEphemeral = { channel, user, messageTs: messageTs(), text: text ?? '' };
    if (params.blocks !== undefined) ephemeral.blocks = params.blocks;
    this.ephemerals.push(ephemeral);
    return ok({ message_ts: ephemeral.messageTs });
  }

  private reactionsAdd(params: JsonObject): ApiResult {
    const channel = this.resolveChannel(params);
    if (!channel) return fail('channel_not_found');
    const timestamp = stringParam(params, 'timestamp');
    if (!timestamp) return fail('no_item_specified');
    const name = stringParam(params, 'name')?.replace(/^:|:$/g, '');
    if (!name) return fail('invalid_name');
    if (this.reactions.some((r) => r.channel === channel && r.timestamp === timestamp && r.name === name)) return fail('already_reacted');
    this.reactions.push({ channel, timestamp, name });
    return ok();
  }

  private usersInfo(params: JsonObject): ApiResult {
    const user = this.users.get(stringParam(params, 'user') ?? '');
    if (!user) return fail('user_not_found');
    const name = user.name ?? user.id.toLowerCase();
    const realName = user.realName ?? name;
    return ok({
      user: {
        id: user.id,
        team_id: this.teamId,
        name,
        real_name: realName,
        deleted: user.deleted ?? false,
        tz: user.tz ?? 'Europe/London',
        tz_label: 'Greenwich Mean Time',
        tz_offset: 0,
        is_admin: user.isAdmin ?? false,
        is_owner: user.isOwner ?? false,
        is_primary_owner: user.isPrimaryOwner ?? false,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: user.isBot ?? false,
        is_app_user: false,
        updated: nowSeconds(),
        profile: { real_name: realName, display_name: name, team: this.teamId },
      },
    });
  }

  private conversationsOpen(params: JsonObject): ApiResult {
    const existing = stringParam(params, 'channel');
    if (existing) return this.isKnownChannel(existing) ? ok({ no_op: true, already_open: true, channel: { id: existing } }) : fail('channel_not_found');
    const users = (stringParam(params, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    if (users.length === 0) return fail('users_list_not_supplied');
    if (users.some((u) => !this.users.has(u))) return fail('user_not_found');
    const closed = users.map((u) => this.users.get(u)?.dmError).find(Boolean);
    if (closed) return fail(closed);
    if (users.length > 1) return ok({ channel: { id: slackId('G') } });
    const alreadyOpen = this.dmByUser.has(users[0]!);
    const id = this.dmChannelFor(users[0]!);
    return ok({ ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: { id } });
  }

  /** Whether a workspace's token sees a channel: only its own workspace's, when the channel names one. Other tokens see every channel. */
  private hiddenFrom(channel: string, token: string | undefined): boolean {
    const caller = this.workspaceOfToken(token);
    const owner = this.channels.get(channel)?.teamId;
    return Boolean(caller && owner && owner !== caller.teamId);
  }

  private conversationsInfo(params: JsonObject, token: string | undefined): ApiResult {
    const id = stringParam(params, 'channel') ?? '';
    if (!this.isKnownChannel(id) || this.hiddenFrom(id, token)) return fail('channel_not_found');
    const callerTeam = this.workspaceOfToken(token)?.teamId ?? this.teamId;
    const known = this.channels.get(id);
    const created = nowSeconds() - 86_400;
    if (id.startsWith('D')) {
      return ok({ channel: { id, created, is_im: true, is_org_shared: false, user: known?.user ?? FAKE_SLACK_DEFAULTS.userId, is_user_deleted: false, context_team_id: callerTeam } });
    }
    const isPrivate = known?.isPrivate ?? id.startsWith('G');
    return ok({
      channel: {
        id,
        name: known?.name ?? id.toLowerCase(),
        is_channel: !isPrivate,
        is_group: isPrivate,
        is_im: false,
        is_mpim: false,
        is_private: isPrivate,
        is_archived: false,
        is_general: false,
        is_member: true,
        is_shared: false,
        is_ext_shared: false,
        is_org_shared: false,
        created,
        creator: FAKE_SLACK_DEFAULTS.userId,
        context_team_id: known?.teamId ?? callerTeam,
        shared_team_ids: [known?.teamId ?? callerTeam],
      },
    });
  }

  private filesGetUploadUrlExternal(params: JsonObject): ApiResult {
    const filename = stringParam(params, 'filename');
    const length = Number(stringParam(params, 'length'));
    if (!filename || !Number.isInteger(length) || length < 0) return fail('invalid_arguments');
    const fileId = slackId('F');
    this.uploads.push({ fileId, filename, length });
    return ok({ upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId });
  }

  private filesCompleteUploadExternal(params: JsonObject): ApiResult {
    const files = params.files;
    if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments');
    const channelId = stringParam(params, 'channel_id');
    if (channelId && !this.isKnownChannel(channelId)) return fail('channel_not_found');
    const entries = files as { id?: string; title?: string }[];
    const uploads = entries.map((entry) => this.uploads.find((u) => u.fileId === entry.id && u.bytes !== undefined));
    if (uploads.some((u) => u === undefined)) return fail('file_not_found');
    const threadTs = stringParam(params, 'thread_ts');
    const initialComment = stringParam(params, 'initial_comment');
    const described = entries.map((entry, index) => {
      const upload = uploads[index]!;
      upload.completed = { channelId, threadTs, initialComment, title: entry.title ?? upload.filename };
      return {
        id: upload.fileId,
        created: nowSeconds(),
        timestamp: nowSeconds(),
        name: upload.filename,
        title: upload.completed.title,
        mimetype: '',
        filetype: '',
        user: this.botUserId,
        size: upload.bytes!.length,
        url_private: `${this.baseUrl}/files/${upload.fileId}/${encodeURIComponent(upload.filename)}`,
        permalink: `https://${this.teamDomain}.slack.com/files/${this.botUserId}/${upload.fileId}/${encodeURIComponent(upload.filename)}`,
      };
    });
    // Sharing into a channel posts a message carrying the files, like Slack does.
    if (channelId) {
      const message: FakeMessage = { channel: channelId, ts: messageTs(), text: initialComment ?? '', files: described.map((f) => f.id), deleted: false };
      if (threadTs) message.threadTs = threadTs;
      this.messages.push(message);
    }
    return ok({ files: described });
  }

  private appsConnectionsOpen(): ApiResult {
    const ticket = randomUUID();
    this.socketTickets.add(ticket);
    const wsUrl = this.baseUrl.replace(/^http/, 'ws');
    return ok({ url: `${wsUrl}/link/?ticket=${ticket}&app_id=${this.appId}` });
  }

  // ----- Socket Mode server --------------------------------------------------------------------------------------

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const ticket = url.searchParams.get('ticket') ?? '';
    // Tickets from apps.connections.open are single use, as Slack's are.
    if (url.pathname !== '/link/' || !this.socketTickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const connection: SocketConnection = { number: this.socketConnections.length + 1, ticket, socket: ws, ready: false };
      this.socketConnections.push(connection);
      ws.on('message', (data, isBinary) => this.onSocketMessage(data, isBinary));
      ws.on('pong', () => {
        if (connection.ready) return;
        connection.ready = true;
        this.notify();
      });
      ws.on('close', () => {
        clearInterval(connection.pinger);
        this.notify();
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.socketConnections.filter((c) => c.socket.readyState === c.socket.OPEN).length,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18_060 },
          connection_info: { app_id: this.appId },
        }),
      );
      // The client answers pings in order, so this pong can only come after it has handled the hello.
      ws.ping();
      connection.pinger = setInterval(() => ws.ping(), SOCKET_PING_INTERVAL_MS).unref();
      this.notify();
    });
  }

  private onSocketMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || typeof (message as SocketAck).envelope_id !== 'string') return;
    const ack = message as SocketAck;
    this.socketAcks.push(ack);
    const pending = this.pendingAcks.get(ack.envelope_id);
    if (pending) {
      clearTimeout(pending.timer);
      this.pendingAcks.delete(ack.envelope_id);
      pending.resolve(ack);
    }
    this.notify();
  }

  private openSocket(): SocketConnection | undefined {
    return this.socketConnections.findLast((c) => c.socket.readyState === c.socket.OPEN);
  }

  // ----- waiting machinery ---------------------------------------------------------------------------------------

  private waitFor<T>(find: () => T | undefined, timeoutMs: number, explain: () => string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        check: () => {
          const value = find();
          if (value === undefined) return;
          done();
          resolve(value);
        },
        cancel: (error: Error) => {
          done();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`FakeSlack: ${explain()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private describeCalls(): string {
    if (this.calls.length === 0) return 'none';
    return this.calls
      .map((call) => {
        const params = JSON.stringify(call.params);
        return `${call.method} ${call.response.ok ? 'ok' : `(${String(call.response.error)})`} ${params.length > 120 ? `${params.slice(0, 117)}...` : params}`;
      })
      .join('; ');
  }
}

/** Closes with a handshake (so the client logs no error), and cuts the link if the client does not answer. */
function closeGracefully(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === socket.CLOSED) return resolve();
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (socket.readyState === socket.OPEN) socket.close(1001, 'going away');
  });
}

function safely<T>(predicate: (value: T) => boolean, value: T): boolean {
  try {
    return predicate(value);
  } catch {
    return false;
  }
}
