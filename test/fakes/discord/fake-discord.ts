/**
 * A local stand-in for Discord (REST API and gateway WebSocket) that the real discord.js v14 Client can log in to.
 *
 *   const fake = await FakeDiscord.start({ guilds: [{ id, name, channels: [{ id, name, type: 0 }] }] });
 *   const client = new Client({ intents, rest: { api: fake.apiUrl } });
 *   const ready = once(client, Events.ClientReady); // login() resolves at READY, before the guilds arrive
 *   await client.login('test-token');
 *   await ready;
 *
 * Everything the client sends over REST is recorded in `fake.requests`; tests make things happen with
 * `slashCommand`, `buttonClick`, `message`, `messageUpdate`, `messageDelete` or a raw `dispatch`.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIMessage, APIUser } from 'discord.js';
import {
  applicationFlagsFor,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  GatewayOp,
  Intent,
  MessageFlag,
  PRIVILEGED_INTENTS,
  TEXT_BASED_CHANNEL_KINDS,
} from './constants';
import { FakeGateway, type Dispatch, type GatewaySession, type ReceivedGatewayPayload } from './gateway';
import {
  DiscordHttpError,
  compilePattern,
  decodePath,
  flattenHeaders,
  genericErrorBody,
  parseBody,
  readBody,
  send,
  type CompiledPattern,
  type FakeResponse,
} from './http';
import { buildButtonInteraction, buildCommandInteraction, buildModalSubmitInteraction } from './interaction-payloads';
import { FakeRestApi } from './rest-api';
import { signatureHeaders } from './signing';
import { discordTimestamp, snowflake } from './snowflake';
import type {
  ButtonInvocation,
  CommandInvocation,
  DispatchedInteraction,
  EndpointDelivery,
  FailureOptions,
  InteractionsEndpoint,
  FakeDiscordOptions,
  GatewaySessionInfo,
  IdentifyRecord,
  InteractionView,
  ModalSubmitInvocation,
  MessageDeleteInput,
  MessageUpdateInput,
  PathPattern,
  RecordedRequest,
  UserMessageInput,
  UserSpec,
} from './types';
import { DiscordWorld, type InteractionState, type StoredMessage } from './world';

export * from './types';
export { snowflake } from './snowflake';
export { applicationKeys, signatureHeaders } from './signing';
export { ChannelKind, Intent, MessageFlag, Permission } from './constants';

export type RequestMatcher = ((request: RecordedRequest) => boolean) | { method?: string; path?: PathPattern };

interface PlannedFailure {
  method: string;
  pattern: CompiledPattern;
  status: number;
  body: unknown;
  remaining: number;
  options: FailureOptions;
}

interface Waiter {
  check(): boolean;
}

type Json = Record<string, unknown>;

/** Which intent a guild (or DM) event needs, by event name; events not listed go to every session. */
const GUILD_EVENT_INTENTS: Record<string, number> = {
  GUILD_CREATE: Intent.Guilds,
  GUILD_UPDATE: Intent.Guilds,
  GUILD_DELETE: Intent.Guilds,
  CHANNEL_CREATE: Intent.Guilds,
  CHANNEL_UPDATE: Intent.Guilds,
  CHANNEL_DELETE: Intent.Guilds,
  GUILD_MEMBER_ADD: Intent.GuildMembers,
  GUILD_MEMBER_UPDATE: Intent.GuildMembers,
  GUILD_MEMBER_REMOVE: Intent.GuildMembers,
  MESSAGE_CREATE: Intent.GuildMessages,
  MESSAGE_UPDATE: Intent.GuildMessages,
  MESSAGE_DELETE: Intent.GuildMessages,
  MESSAGE_REACTION_ADD: Intent.GuildMessageReactions,
  MESSAGE_REACTION_REMOVE: Intent.GuildMessageReactions,
  TYPING_START: Intent.GuildMessageTyping,
};
const DM_EVENT_INTENTS: Record<string, number> = {
  MESSAGE_CREATE: Intent.DirectMessages,
  MESSAGE_UPDATE: Intent.DirectMessages,
  MESSAGE_DELETE: Intent.DirectMessages,
  MESSAGE_REACTION_ADD: Intent.DirectMessageReactions,
  MESSAGE_REACTION_REMOVE: Intent.DirectMessageReactions,
  TYPING_START: Intent.DirectMessageTyping,
};

export class FakeDiscord {
  /** Every REST request, in arrival order, failed ones included. */
  readonly requests: RecordedRequest[] = [];
  /** Bugs inside the fake itself (answered with 500); a passing test should leave this empty. */
  readonly internalErrors: Error[] = [];
  private readonly failures: PlannedFailure[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly world: DiscordWorld;
  private readonly rest: FakeRestApi;
  private readonly gateway: FakeGateway;
  private readonly server: Server;
  private readonly echoBotMessages: boolean;
  private readonly requiredToken: string | undefined;
  private port = 0;
  private lastToken: string | undefined;
  private endpoint: InteractionsEndpoint | undefined;
  private readonly firstDeliveries = new Map<string, Promise<EndpointDelivery>>();
  /** Every POST to the interactions endpoint, in the order their responses came. */
  readonly endpointDeliveries: EndpointDelivery[] = [];

  private constructor(private readonly options: FakeDiscordOptions) {
    this.world = new DiscordWorld(options);
    this.echoBotMessages = options.echoBotMessages ?? true;
    this.requiredToken = options.requiredToken;
    const enabledPrivilegedIntents = options.enabledPrivilegedIntents ?? PRIVILEGED_INTENTS;
    this.rest = new FakeRestApi(this.world, {
      gatewayUrl: () => this.gatewayUrl,
      interactionResponseDeadlineMs: options.interactionResponseDeadlineMs,
      enabledPrivilegedIntents,
      messageCreated: (stored) => this.echo('MESSAGE_CREATE', stored),
      messageUpdated: (stored) => this.echo('MESSAGE_UPDATE', stored),
      messageDeleted: (stored) => this.echo('MESSAGE_DELETE', stored),
      reactionChanged: (stored, emoji, added) => this.echoReaction(stored, emoji, added),
    });
    this.gateway = new FakeGateway({
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      // READY's resume_gateway_url: discord.js reconnects there to RESUME, a different path than the first connection.
      resumeGatewayUrl: () => `ws://127.0.0.1:${this.port}/resume-gateway`,
      enabledPrivilegedIntents,
      privilegedIntents: PRIVILEGED_INTENTS,
      acceptToken: (token) => {
        this.lastToken = token;
        return this.requiredToken === undefined || token === this.requiredToken;
      },
      greet: (session) => this.greet(session),
      memberChunks: (session, request) => this.memberChunks(session, request),
      changed: () => this.changed(),
    });
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('upgrade', (request, socket, head) => this.gateway.handleUpgrade(request, socket, head));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  async stop(): Promise<void> {
    for (const waiter of this.waiters) this.waiters.delete(waiter);
    await this.gateway.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // discord.js keeps REST connections alive; close them so the server can stop now.
      this.server.closeAllConnections();
    });
  }

  // ---- addresses and identity ----

  /** Pass as discord.js `rest: { api: fake.apiUrl }`; REST calls go to `${apiUrl}/v10/...`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** What /gateway/bot answers; discord.js appends `?v=10&encoding=json`. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  get applicationId(): string {
    return this.world.applicationId;
  }

  get botUser(): APIUser {
    return this.world.botUser;
  }

  /** The last bot token seen (REST Authorization header or gateway IDENTIFY). */
  get token(): string | undefined {
    return this.lastToken;
  }

  // ---- REST records ----

  /** Resolves with the first recorded request that matches (already recorded ones count), or rejects listing what came. */
  waitForRequest(matcher: RequestMatcher, timeoutMs = 5000): Promise<RecordedRequest> {
    const matches = this.toPredicate(matcher);
    let found: RecordedRequest | undefined;
    return this.waitFor(
      () => {
        found = this.requests.find(matches);
        return found !== undefined;
      },
      timeoutMs,
      () => `no request matched ${this.describeMatcher(matcher)} within ${timeoutMs} ms.\n${this.describeRequests()}`,
    ).then(() => found!);
  }

  /** Recorded requests with that method and path pattern (`/channels/:id/messages`, `*` for one segment, or a RegExp). */
  requestsTo(method: string, path: PathPattern): RecordedRequest[] {
    return this.requests.filter(this.toPredicate({ method, path }));
  }

  /** The callback request for an interaction the fake dispatched. */
  waitForCallback(interaction: { id: string; token: string }, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.waitForRequest({ method: 'POST', path: `/interactions/${interaction.id}/${interaction.token}/callback` }, timeoutMs);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /**
   * Makes the next matching request(s) fail with `status`. 429 comes with Retry-After and rate-limit headers (discord.js
   * waits and retries); 5xx is retried by @discordjs/rest up to 3 times before the call throws; 4xx throws at once.
   */
  failNext(method: string, path: PathPattern, status: number, body?: unknown, options: FailureOptions = {}): void {
    this.failures.push({
      method: method.toUpperCase(),
      pattern: compilePattern(path),
      status,
      body,
      remaining: options.times ?? 1,
      options,
    });
  }

  // ---- world views ----

  /** Commands registered globally, or in one guild. */
  commands(guildId?: string): readonly Json[] {
    return this.world.commandsFor(guildId);
  }

  /** Messages in a channel, oldest first (ephemeral ones are never here; see `interaction()`). */
  channelMessages(channelId: string): APIMessage[] {
    return this.world.channelMessages(channelId);
  }

  /** A stored message (including ephemeral interaction replies) by id. */
  getMessage(id: string): APIMessage | undefined {
    return this.world.messages.get(id)?.message;
  }

  /** Emoji the bot has on a message, as they appeared in the reactions route. */
  reactionsOn(messageId: string): string[] {
    return [...(this.world.messages.get(messageId)?.ownReactions ?? [])];
  }

  /** How an interaction was answered: its callback type, the original response and the follow-ups. */
  interaction(id: string): InteractionView {
    const state = this.world.interactions.get(id);
    if (!state) throw new Error(`FakeDiscord: no interaction ${id}`);
    return {
      id: state.id,
      token: state.token,
      responseType: state.responseType,
      original: state.originalMessageId ? this.world.messages.get(state.originalMessageId)?.message : undefined,
      followUps: state.followUpIds.map((messageId) => this.world.messages.get(messageId)!.message),
      modal: state.modal,
    };
  }

  /** Makes a user known (GET /users/:id answers 10013 Unknown User for ids the fake has never seen). */
  addUser(user: UserSpec): APIUser {
    return this.world.user(user);
  }

  /** The DM channel the bot has (or gets) with a user. */
  dmChannelId(userId: string): string {
    this.world.user(userId);
    return this.world.dmChannelFor(userId).id;
  }

  /** From now on the bot's DMs to this user fail with 403, code 50007, like a user who closed their DMs. */
  closeDirectMessages(userId: string): void {
    this.world.closedDms.add(userId);
  }

  // ---- gateway ----

  get identifyCount(): number {
    return this.gateway.identifies.length;
  }

  get identifies(): readonly IdentifyRecord[] {
    return this.gateway.identifies;
  }

  get resumeCount(): number {
    return this.gateway.resumeCount;
  }

  get sessions(): GatewaySessionInfo[] {
    return [...this.gateway.sessions.values()].map((session) => session.info());
  }

  get connectedSessionCount(): number {
    return [...this.gateway.sessions.values()].filter((session) => session.connected && !session.invalidated).length;
  }

  /** Every payload clients sent over the gateway (heartbeats, identify, resume, presence...). */
  get gatewayPayloads(): readonly ReceivedGatewayPayload[] {
    return this.gateway.received;
  }

  /** Paths of gateway connections in order: `/gateway` for fresh ones, `/resume-gateway` for resumes. */
  get gatewayConnectionPaths(): readonly string[] {
    return this.gateway.connectionPaths;
  }

  /**
   * Sends a dispatch to every session (queued for replay while a session is between connections). Guild and DM
   * events go only to sessions with the matching intent, as on Discord. Returns how many sessions it went to.
   */
  dispatch(event: string, data: unknown): number {
    if (event === 'MESSAGE_CREATE' && typeof data === 'object' && data !== null) {
      const message = data as APIMessage;
      if (!this.world.messages.has(message.id)) this.world.storeMessage(message);
    }
    const inGuild = typeof data === 'object' && data !== null && ('guild_id' in data || event.startsWith('GUILD_'));
    const needed = (inGuild ? GUILD_EVENT_INTENTS : DM_EVENT_INTENTS)[event];
    return this.gateway.dispatch(event, (session) => (needed === undefined || session.hasIntent(needed) ? data : undefined));
  }

  /** A member runs a slash command; returns the interaction id and token (its callback route contains both). */
  slashCommand(input: CommandInvocation): DispatchedInteraction {
    return this.dispatchInteraction(buildCommandInteraction(this.world, input));
  }

  /** A member presses a button on a message. */
  buttonClick(input: ButtonInvocation): DispatchedInteraction {
    return this.dispatchInteraction(buildButtonInteraction(this.world, input));
  }

  /** A member sends back a modal the bot opened. */
  modalSubmit(input: ModalSubmitInvocation): DispatchedInteraction {
    return this.dispatchInteraction(buildModalSubmitInteraction(this.world, input));
  }

  /** Threads the bot started from messages. */
  get threadsStarted(): readonly { id: string; parentId: string; name: string }[] {
    return this.rest.threadsStarted;
  }

  /** A user posts a message in a guild channel, or in their DM with the bot when no guild is given. */
  message(input: UserMessageInput): APIMessage {
    const author = this.world.user(input.author);
    const channelId = input.channelId ?? (input.guildId ? this.world.defaultChannel(input.guildId) : this.world.dmChannelFor(author.id).id);
    const channel = this.world.channel(channelId);
    if (!channel) throw new Error(`FakeDiscord: unknown channel ${channelId}`);
    if (!TEXT_BASED_CHANNEL_KINDS.has(channel.type)) throw new Error(`FakeDiscord: channel ${channelId} is not text-based`);
    if (channel.guildId) this.world.ensureMember(channel.guildId, author.id);
    const message = this.world.buildMessage({
      ...(input.id ? { id: input.id } : {}),
      channelId,
      author,
      content: input.content,
      attachments: (input.attachments ?? []).map((attachment) => {
        const id = snowflake();
        return {
          id,
          filename: attachment.filename,
          size: attachment.size ?? 1024,
          url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${attachment.filename}`,
          proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${attachment.filename}`,
          ...(attachment.contentType ? { content_type: attachment.contentType } : {}),
        };
      }),
    });
    const stored = this.world.storeMessage(message);
    this.deliverMessageEvent('MESSAGE_CREATE', stored);
    return message;
  }

  /** A user edits a message; Discord sends the whole message again in MESSAGE_UPDATE. */
  messageUpdate(input: MessageUpdateInput): APIMessage {
    let stored = this.world.messages.get(input.id);
    if (!stored) {
      if (!input.author) throw new Error(`FakeDiscord: message ${input.id} is unknown; pass its author`);
      stored = this.world.storeMessage(
        this.world.buildMessage({ id: input.id, channelId: input.channelId, author: this.world.user(input.author), content: input.content }),
      );
    }
    const mentions = this.world.resolveMentions(input.content, undefined);
    stored.message = {
      ...stored.message,
      content: input.content,
      edited_timestamp: discordTimestamp(),
      mentions: mentions.users.map((id) => this.world.userPayload(id)),
      mention_roles: mentions.roles,
      mention_everyone: mentions.everyone,
    };
    this.deliverMessageEvent('MESSAGE_UPDATE', stored);
    return stored.message;
  }

  /** A message is deleted (by its author or a moderator). */
  messageDelete(input: MessageDeleteInput): void {
    const stored = this.world.messages.get(input.id);
    if (stored) {
      stored.deleted = true;
      this.deliverMessageEvent('MESSAGE_DELETE', stored);
      return;
    }
    const guildId = input.guildId ?? this.world.channel(input.channelId)?.guildId;
    this.dispatch('MESSAGE_DELETE', { id: input.id, channel_id: input.channelId, ...(guildId ? { guild_id: guildId } : {}) });
  }

  /**
   * Closes every gateway socket. discord.js 14 (@discordjs/ws 1.2) resumes after most codes (4000 by default here)
   * and re-identifies after 1000; 'terminate' cuts the TCP connection (the client sees 1006 and resumes).
   * Returns how many sockets were closed.
   */
  dropConnections(code: number | 'terminate' = 4000): number {
    return this.gateway.dropConnections(code);
  }

  /** Op 7 Reconnect: the client closes and resumes on resume_gateway_url. */
  requestReconnect(): number {
    return this.gateway.sendOp(GatewayOp.Reconnect, null);
  }

  /** Op 9 Invalid Session; with `resumable` false the client identifies again from scratch. */
  invalidateSessions(resumable = false): number {
    if (!resumable) {
      for (const session of this.gateway.sessions.values()) if (session.connected) session.invalidated = true;
    }
    return this.gateway.sendOp(GatewayOp.InvalidSession, resumable);
  }

  /** Waits until `condition` holds, re-checking on every request and gateway event (and every 20 ms). */
  waitUntil(condition: () => boolean, options: { timeoutMs?: number; description?: string } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 5000;
    return this.waitFor(condition, timeoutMs, () => `${options.description ?? 'condition'} did not hold within ${timeoutMs} ms`);
  }

  // ---- internals: REST ----

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = (request.method ?? 'GET').toUpperCase();
    const versioned = url.pathname.match(/^\/api\/v(\d+)(\/.*)$/);
    const rawPath = versioned ? versioned[2]! : url.pathname;
    const recorded: RecordedRequest = {
      method,
      path: decodePath(rawPath),
      rawPath,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(request.headers),
      body: undefined,
      files: [],
      status: 0,
      response: undefined,
      receivedAt: Date.now(),
    };
    let answer: FakeResponse;
    try {
      const parsed = await parseBody(await readBody(request), request.headers['content-type']);
      recorded.body = parsed.body;
      recorded.files = parsed.files;
      answer = versioned && versioned[1] === '10' ? await this.answer(recorded) : { status: 404, body: genericErrorBody(404) };
    } catch (error) {
      if (error instanceof DiscordHttpError) answer = error.toResponse();
      else if (error instanceof SyntaxError) answer = { status: 400, body: { message: '400: Bad Request', code: 50109 } };
      else {
        this.internalErrors.push(error as Error);
        answer = { status: 500, body: { message: `FakeDiscord internal error: ${(error as Error).message}`, code: 0 } };
      }
    }
    recorded.status = answer.status;
    recorded.response = answer.body;
    this.requests.push(recorded);
    send(response, answer);
    this.changed();
  }

  private async answer(request: RecordedRequest): Promise<FakeResponse> {
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith('Bot ') ? authorization.slice(4) : undefined;
    if (token) this.lastToken = token;

    const failure = this.failures.find((planned) => (planned.method === '*' || planned.method === request.method) && planned.pattern.match(request.path));
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return this.failureResponse(failure);
    }

    const matched = this.rest.match(request.method, request.path);
    if (matched === undefined) return { status: 404, body: genericErrorBody(404) };
    if (matched === 'wrong-method') return { status: 405, body: genericErrorBody(405) };
    if (matched.route.auth && (token === undefined || (this.requiredToken !== undefined && token !== this.requiredToken))) {
      return { status: 401, body: genericErrorBody(401) };
    }
    const body = request.body;
    return matched.route.handle({
      params: matched.params,
      query: request.query,
      body: typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {},
      rawBody: body,
      files: request.files,
    });
  }

  private failureResponse(failure: PlannedFailure): FakeResponse {
    if (failure.status !== 429) return { status: failure.status, body: failure.body ?? genericErrorBody(failure.status), headers: failure.options.headers ?? {} };
    const retryAfter = failure.options.retryAfterSeconds ?? 0.05;
    const global = failure.options.global ?? false;
    return {
      status: 429,
      body: failure.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global },
      headers: {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '1',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
        ...failure.options.headers,
      },
    };
  }

  // ---- internals: gateway ----

  private greet(session: GatewaySession): { ready: Json; then: Dispatch[] } {
    const applicationFlags = applicationFlagsFor(this.options.enabledPrivilegedIntents ?? PRIVILEGED_INTENTS);
    const guildIds = [...this.world.guilds.keys()];
    return {
      ready: {
        user: { ...this.world.botUser, verified: true, mfa_enabled: false, email: null },
        guilds: guildIds.map((id) => ({ id, unavailable: true })),
        application: { id: this.world.applicationId, flags: applicationFlags },
        private_channels: [],
        relationships: [],
        presences: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        user_settings: {},
        auth: {},
      },
      // discord.js waits for a GUILD_CREATE per READY guild before it emits clientReady (or 15 s, waitGuildTimeout).
      then: session.hasIntent(Intent.Guilds)
        ? guildIds.map((id) => ({ t: 'GUILD_CREATE', d: this.world.guildCreatePayload(id, session.intents) }))
        : [],
    };
  }

  private memberChunks(_session: GatewaySession, request: Json): Dispatch[] {
    const guildId = Array.isArray(request.guild_id) ? String(request.guild_id[0]) : String(request.guild_id);
    const guild = this.world.guild(guildId);
    if (!guild) return [];
    let memberIds = [...guild.members.keys()];
    const notFound: string[] = [];
    if (Array.isArray(request.user_ids) || typeof request.user_ids === 'string') {
      const wanted = ([] as unknown[]).concat(request.user_ids).map(String);
      memberIds = wanted.filter((id) => guild.members.has(id));
      notFound.push(...wanted.filter((id) => !guild.members.has(id)));
    } else if (typeof request.query === 'string' && request.query !== '') {
      const prefix = request.query.toLowerCase();
      memberIds = memberIds.filter((id) => this.world.users.get(id)?.username.toLowerCase().startsWith(prefix));
    }
    const limit = typeof request.limit === 'number' && request.limit > 0 ? request.limit : memberIds.length;
    return [
      {
        t: 'GUILD_MEMBERS_CHUNK',
        d: {
          guild_id: guildId,
          members: memberIds.slice(0, limit).map((id) => this.world.memberPayload(guildId, id)),
          chunk_index: 0,
          chunk_count: 1,
          ...(notFound.length > 0 ? { not_found: notFound } : {}),
          ...(request.presences ? { presences: [] } : {}),
          ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
        },
      },
    ];
  }

  private dispatchInteraction(state: InteractionState): DispatchedInteraction {
    if (this.endpoint) {
      const delivery = this.deliver(state, this.endpoint.url);
      state.delivering = delivery;
      this.firstDeliveries.set(state.id, delivery);
    } else {
      this.gateway.dispatch('INTERACTION_CREATE', () => state.payload);
    }
    this.changed();
    return { id: state.id, token: state.token, payload: state.payload };
  }

  // ---- interactions endpoint ----

  /**
   * From now on interactions go to this endpoint as signed POSTs, not over the gateway, as on Discord
   * once the application has an Interactions Endpoint URL (undefined goes back to the gateway). The
   * response is taken as the interaction's callback; the interaction's webhook waits for it.
   */
  useInteractionsEndpoint(endpoint: InteractionsEndpoint | undefined): void {
    this.endpoint = endpoint;
  }

  /** The first delivery of an interaction sent to the endpoint, once its response is in. */
  delivery(interaction: { id: string }): Promise<EndpointDelivery> {
    const delivery = this.firstDeliveries.get(interaction.id);
    if (!delivery) throw new Error(`FakeDiscord: interaction ${interaction.id} was not sent to an interactions endpoint`);
    return delivery;
  }

  /** Sends an interaction to the endpoint again (the same id and token), to `url` or the endpoint's own. */
  redeliver(interaction: { id: string }, url = this.endpoint?.url): Promise<EndpointDelivery> {
    const state = this.world.interactions.get(interaction.id);
    if (!state || !url) throw new Error(`FakeDiscord: cannot send interaction ${interaction.id} again`);
    return this.deliver(state, url);
  }

  private async deliver(state: InteractionState, url: string): Promise<EndpointDelivery> {
    const endpoint = this.endpoint;
    if (!endpoint) throw new Error('FakeDiscord: no interactions endpoint');
    const body = JSON.stringify(state.payload);
    const started = Date.now();
    // Discord gives an endpoint 3 seconds to answer.
    const deadline = this.options.interactionResponseDeadlineMs ?? 3000;
    let status = 0;
    let answer: unknown;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)', ...signatureHeaders(endpoint.privateKey, body) },
        body,
        signal: AbortSignal.timeout(deadline),
      });
      status = response.status;
      const text = await response.text();
      try {
        answer = JSON.parse(text);
      } catch {
        answer = text;
      }
    } catch {
      status = 0;
    }
    let accepted = false;
    if (status === 200 && typeof answer === 'object' && answer !== null && !Array.isArray(answer)) {
      let result: FakeResponse;
      try {
        result = this.rest.applyEndpointAnswer(state, answer as Json);
      } catch (error) {
        if (error instanceof DiscordHttpError) result = error.toResponse();
        else {
          this.internalErrors.push(error as Error);
          result = { status: 500, body: { message: (error as Error).message, code: 0 } };
        }
      }
      accepted = result.status < 300;
      const path = `/interactions/${state.id}/${state.token}/callback`;
      this.requests.push({ method: 'POST', path, rawPath: path, query: {}, headers: {}, body: answer, files: [], status: result.status, response: result.body, receivedAt: Date.now(), via: 'interactions endpoint' });
    }
    const delivery: EndpointDelivery = { interactionId: state.id, url, status, answer, accepted, ms: Date.now() - started };
    this.endpointDeliveries.push(delivery);
    this.changed();
    return delivery;
  }

  /**
   * MESSAGE_* events as a given session would get them: with guild_id, member and channel_type; without the
   * MessageContent intent, guild messages from others that do not mention the bot arrive with empty content,
   * embeds, attachments and components.
   */
  private messageEventFor(event: string, stored: StoredMessage, session: GatewaySession): unknown {
    const message = stored.message;
    const guildId = stored.guildId;
    const needed = (guildId ? GUILD_EVENT_INTENTS : DM_EVENT_INTENTS)[event]!;
    if (!session.hasIntent(needed)) return undefined;
    if (event === 'MESSAGE_DELETE') return { id: message.id, channel_id: message.channel_id, ...(guildId ? { guild_id: guildId } : {}) };

    const channel = this.world.channel(message.channel_id);
    const fromBot = message.author.id === this.world.botUserId;
    const withMember = (user: APIUser) => {
      if (!guildId || !this.world.guild(guildId)?.members.has(user.id)) return user;
      const { user: _user, ...member } = this.world.memberPayload(guildId, user.id);
      return { ...user, member };
    };
    const payload: Json = {
      ...message,
      ...(channel ? { channel_type: channel.type } : {}),
      mentions: message.mentions.map(withMember),
    };
    if (guildId) {
      payload.guild_id = guildId;
      if (!message.webhook_id) {
        const { user: _user, ...member } = this.world.memberPayload(guildId, message.author.id);
        payload.member = member;
      }
    }
    const mentionsBot = message.mentions.some((user) => user.id === this.world.botUserId);
    if (guildId && !fromBot && !mentionsBot && !session.hasIntent(Intent.MessageContent)) {
      Object.assign(payload, { content: '', embeds: [], attachments: [], components: [] });
      delete payload.poll;
    }
    return payload;
  }

  private deliverMessageEvent(event: string, stored: StoredMessage): void {
    this.gateway.dispatch(event, (session) => this.messageEventFor(event, stored, session));
    this.changed();
  }

  /** The bot's own REST actions come back over the gateway, as they do on Discord. */
  private echo(event: string, stored: StoredMessage): void {
    if (!this.echoBotMessages || stored.ephemeral) return;
    if (event === 'MESSAGE_CREATE' && (stored.message.flags ?? 0) & MessageFlag.Ephemeral) return;
    this.deliverMessageEvent(event, stored);
  }

  private echoReaction(stored: StoredMessage, emoji: string, added: boolean): void {
    if (!this.echoBotMessages) return;
    const [name, id] = emoji.includes(':') ? emoji.split(':') : [emoji, null];
    const guildId = stored.guildId;
    const event = added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE';
    const data: Json = {
      user_id: this.world.botUserId,
      channel_id: stored.message.channel_id,
      message_id: stored.message.id,
      emoji: { id, name },
      burst: false,
      type: 0,
      ...(guildId ? { guild_id: guildId } : {}),
      ...(added ? { message_author_id: stored.message.author.id, burst_colors: [] } : {}),
      ...(added && guildId ? { member: this.world.memberPayload(guildId, this.world.botUserId) } : {}),
    };
    const needed = (guildId ? GUILD_EVENT_INTENTS : DM_EVENT_INTENTS)[event]!;
    this.gateway.dispatch(event, (session) => (session.hasIntent(needed) ? data : undefined));
  }

  // ---- internals: waiting ----

  private changed(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private waitFor(condition: () => boolean, timeoutMs: number, explain: () => string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(waiter);
        if (error) reject(error);
        else resolve();
      };
      const waiter: Waiter = {
        check: () => {
          if (!condition()) return false;
          finish();
          return true;
        },
      };
      const timer = setTimeout(() => finish(new Error(`FakeDiscord: ${explain()}`)), timeoutMs);
      const poll = setInterval(() => waiter.check(), 20);
      this.waiters.add(waiter);
    });
  }

  private toPredicate(matcher: RequestMatcher): (request: RecordedRequest) => boolean {
    if (typeof matcher === 'function') return matcher;
    const pattern = matcher.path === undefined ? undefined : compilePattern(matcher.path);
    const method = matcher.method?.toUpperCase();
    return (request) => (method === undefined || request.method === method) && (pattern === undefined || pattern.match(request.path) !== undefined);
  }

  private describeMatcher(matcher: RequestMatcher): string {
    if (typeof matcher === 'function') return 'the predicate';
    return `${matcher.method ?? '*'} ${matcher.path === undefined ? '*' : compilePattern(matcher.path).describe}`;
  }

  private describeRequests(): string {
    if (this.requests.length === 0) return 'No requests were recorded.';
    const lines = this.requests.map((request) => `  ${request.method} ${request.path} -> ${request.status}`);
    const errors = this.internalErrors.map((error) => `  fake error: ${error.message}`);
    return ['Recorded requests:', ...lines, ...errors].join('\n');
  }
}
