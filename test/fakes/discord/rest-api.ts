import type { APIAttachment, APIMessage } from 'discord.js';
import {
  applicationFlagsFor,
  ATTACHMENT_SIZE_LIMIT,
  CallbackType,
  CDN_BASE,
  ChannelKind,
  ErrorCode,
  InteractionKind,
  MessageFlag,
  MessageKind,
  Permission,
  TEXT_BASED_CHANNEL_KINDS,
} from './constants';
import { DiscordHttpError, compilePattern, forbidden, notFound, type CompiledPattern, type FakeResponse, type RouteParams } from './http';
import { checkCommand, checkCommandList, checkMessageBody, FormErrors } from './limits';
import { discordTimestamp, snowflake } from './snowflake';
import type { RecordedFile } from './types';
import type { DiscordWorld, InteractionState, StoredMessage } from './world';

type Json = Record<string, unknown>;

export interface RestContext {
  params: RouteParams;
  query: Record<string, string>;
  /** The JSON body (or payload_json), `{}` when there was none or it was not an object. */
  body: Json;
  rawBody: unknown;
  files: RecordedFile[];
}

interface Route {
  method: string;
  pattern: CompiledPattern;
  /** Interaction callbacks and interaction webhooks are called without an Authorization header. */
  auth: boolean;
  handle(context: RestContext): FakeResponse | Promise<FakeResponse>;
}

/** What REST needs from the rest of the fake. */
export interface RestHooks {
  gatewayUrl(): string;
  interactionResponseDeadlineMs: number | undefined;
  enabledPrivilegedIntents: number;
  messageCreated(stored: StoredMessage): void;
  messageUpdated(stored: StoredMessage): void;
  messageDeleted(stored: StoredMessage): void;
  reactionChanged(stored: StoredMessage, emoji: string, added: boolean): void;
}

const ok = (body: unknown): FakeResponse => ({ status: 200, body });
const noContent = (): FakeResponse => ({ status: 204 });
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function invalidForm(path: string[], code: string, message: string): DiscordHttpError {
  const errors = new FormErrors();
  errors.add(path, code, message);
  const body = errors.toBody();
  return new DiscordHttpError(400, body.code, body.message, { errors: body.errors });
}

/** Discord's limit on a nonce given as a string. */
const NONCE_MAX_LENGTH = 25;
/** How long Discord remembers a nonce for enforce_nonce ("the past few minutes"). */
export const NONCE_WINDOW_MS = 5 * 60_000;

const UNICODE_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)/u;
const CUSTOM_EMOJI = /^[\w~-]{2,32}:\d{1,20}$/;

/** The REST half of the fake: Discord's routes an adapter uses, with Discord's answers and error codes. */
export class FakeRestApi {
  private readonly routes: Route[] = [];

  constructor(
    private readonly world: DiscordWorld,
    private readonly hooks: RestHooks,
  ) {
    this.defineRoutes();
  }

  /** Finds the route for a request: the route, a 405 when only the method is wrong, or undefined. */
  match(method: string, path: string): { route: Route; params: RouteParams } | 'wrong-method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const params = route.pattern.match(path);
      if (!params) continue;
      if (route.method === method) return { route, params };
      pathMatched = true;
    }
    return pathMatched ? 'wrong-method' : undefined;
  }

  private on(method: string, pattern: string, handle: Route['handle'], auth = true): void {
    this.routes.push({ method, pattern: compilePattern(pattern), auth, handle });
  }

  private defineRoutes(): void {
    const world = this.world;

    // Gateway discovery: discord.js asks /gateway/bot once per login for the URL and identify concurrency.
    this.on('GET', '/gateway', () => ok({ url: this.hooks.gatewayUrl() }), false);
    this.on('GET', '/gateway/bot', () =>
      ok({
        url: this.hooks.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      }),
    );

    this.on('GET', '/users/@me', () => ok({ ...world.botUser, verified: true, mfa_enabled: false, email: null, locale: 'en-US' }));
    this.on('GET', '/users/:userId', ({ params }) => {
      if (!world.users.has(params.userId!)) throw notFound(ErrorCode.UnknownUser, 'Unknown User');
      return ok(world.userPayload(params.userId!));
    });
    this.on('POST', '/users/@me/channels', ({ body }) => {
      const recipient = body.recipient_id;
      if (typeof recipient !== 'string') throw invalidForm(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      world.user(recipient);
      return ok(world.channelPayload(world.dmChannelFor(recipient).id));
    });

    this.on('GET', '/applications/@me', () => ok(this.application()));
    this.on('PATCH', '/applications/@me', ({ body }) => ok({ ...this.application(), ...body }));

    for (const scope of ['/applications/:app/commands', '/applications/:app/guilds/:guildId/commands']) {
      this.on('GET', scope, ({ params }) => ok(this.commandScope(params)));
      this.on('PUT', scope, ({ params, rawBody }) => ok(this.overwriteCommands(params, rawBody)));
      this.on('POST', scope, ({ params, body }) => this.createCommand(params, body));
      this.on('GET', `${scope}/:commandId`, ({ params }) => ok(this.findCommand(params).command));
      this.on('PATCH', `${scope}/:commandId`, ({ params, body }) => ok(this.editCommand(params, body)));
      this.on('DELETE', `${scope}/:commandId`, ({ params }) => {
        const { list, command } = this.findCommand(params);
        list.splice(list.indexOf(command), 1);
        return noContent();
      });
    }

    this.on('POST', '/interactions/:interactionId/:token/callback', (context) => this.interactionCallback(context), false);
    this.on('POST', '/webhooks/:app/:token', async (context) => (await this.answered(context), this.createFollowUp(context)), false);
    this.on('GET', '/webhooks/:app/:token/messages/:messageId', async (context) => (await this.answered(context), ok(this.webhookMessage(context.params).message)), false);
    this.on('PATCH', '/webhooks/:app/:token/messages/:messageId', async (context) => (await this.answered(context), this.editWebhookMessage(context)), false);
    this.on('DELETE', '/webhooks/:app/:token/messages/:messageId', async ({ params }) => {
      await this.answered({ params });
      const stored = this.webhookMessage(params);
      stored.deleted = true;
      this.hooks.messageDeleted(stored);
      return noContent();
    }, false);

    this.on('GET', '/channels/:channelId', ({ params }) => ok(world.channelPayload(this.channel(params.channelId!).id)));
    this.on('POST', '/channels/:channelId/messages/:messageId/threads', (context) => this.startThread(context));
    this.on('GET', '/channels/:channelId/messages', ({ params, query }) => {
      this.channel(params.channelId!);
      const limit = Math.min(Number(query.limit ?? 50), 100);
      return ok(world.channelMessages(params.channelId!).reverse().slice(0, limit));
    });
    this.on('GET', '/channels/:channelId/messages/:messageId', ({ params }) => ok(this.channelMessage(params).message));
    this.on('POST', '/channels/:channelId/messages', (context) => this.createChannelMessage(context));
    this.on('PATCH', '/channels/:channelId/messages/:messageId', (context) => this.editChannelMessage(context));
    this.on('DELETE', '/channels/:channelId/messages/:messageId', ({ params }) => {
      const stored = this.channelMessage(params);
      if (stored.message.author.id !== world.botUserId && !(world.botPermissionsIn(params.channelId!) & Permission.ManageMessages)) {
        throw forbidden(ErrorCode.MissingPermissions, 'Missing Permissions');
      }
      stored.deleted = true;
      this.hooks.messageDeleted(stored);
      return noContent();
    });
    this.on('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', ({ params }) => {
      const stored = this.channelMessage(params);
      const emoji = this.checkEmoji(params.emoji!);
      const permissions = world.botPermissionsIn(params.channelId!);
      if (!stored.ownReactions.has(emoji) && !(permissions & Permission.AddReactions)) {
        throw forbidden(ErrorCode.MissingPermissions, 'Missing Permissions');
      }
      if (!stored.ownReactions.has(emoji)) {
        stored.ownReactions.add(emoji);
        this.hooks.reactionChanged(stored, emoji, true);
      }
      return noContent();
    });
    this.on('DELETE', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', ({ params }) => {
      const stored = this.channelMessage(params);
      const emoji = this.checkEmoji(params.emoji!);
      if (stored.ownReactions.delete(emoji)) this.hooks.reactionChanged(stored, emoji, false);
      return noContent();
    });
    this.on('POST', '/channels/:channelId/typing', ({ params }) => {
      this.channel(params.channelId!);
      return noContent();
    });

    this.on('GET', '/guilds/:guildId', ({ params }) => ok(world.guildPayload(this.guild(params.guildId!).id)));
    this.on('GET', '/guilds/:guildId/channels', ({ params }) =>
      ok(this.guild(params.guildId!).channelIds.map((id) => world.channelPayload(id))),
    );
    this.on('GET', '/guilds/:guildId/roles', ({ params }) => ok([...this.guild(params.guildId!).roles.values()]));
    this.on('GET', '/guilds/:guildId/members', ({ params, query }) => {
      const guild = this.guild(params.guildId!);
      const limit = Math.min(Number(query.limit ?? 1), 1000);
      const after = BigInt(query.after ?? '0');
      const ids = [...guild.members.keys()].filter((id) => BigInt(id) > after).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      return ok(ids.slice(0, limit).map((id) => world.memberPayload(guild.id, id)));
    });
    this.on('GET', '/guilds/:guildId/members/:userId', ({ params }) => {
      const guild = this.guild(params.guildId!);
      if (!guild.members.has(params.userId!)) throw notFound(ErrorCode.UnknownMember, 'Unknown Member');
      return ok(world.memberPayload(guild.id, params.userId!));
    });
  }

  // ---- lookups that answer like Discord when something is missing ----

  private guild(id: string) {
    const guild = this.world.guild(id);
    if (!guild) throw notFound(ErrorCode.UnknownGuild, 'Unknown Guild');
    return guild;
  }

  private channel(id: string) {
    const channel = this.world.channel(id);
    if (!channel) throw notFound(ErrorCode.UnknownChannel, 'Unknown Channel');
    return channel;
  }

  private channelMessage(params: RouteParams): StoredMessage {
    this.channel(params.channelId!);
    const stored = this.world.messages.get(params.messageId!);
    if (!stored || stored.deleted || stored.ephemeral || stored.message.channel_id !== params.channelId) {
      throw notFound(ErrorCode.UnknownMessage, 'Unknown Message');
    }
    return stored;
  }

  private checkEmoji(emoji: string): string {
    if (!UNICODE_EMOJI.test(emoji) && !CUSTOM_EMOJI.test(emoji)) throw new DiscordHttpError(400, ErrorCode.UnknownEmoji, 'Unknown Emoji');
    return emoji;
  }

  private application(): Json {
    const ownerId = [...this.world.guilds.values()][0]?.ownerId;
    return {
      id: this.world.applicationId,
      name: this.world.botUser.username,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot: this.world.botUser,
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: 'f'.repeat(64),
      flags: applicationFlagsFor(this.hooks.enabledPrivilegedIntents),
      team: null,
      ...(ownerId ? { owner: this.world.userPayload(ownerId) } : {}),
      approximate_guild_count: this.world.guilds.size,
      interactions_endpoint_url: null,
      tags: [],
      integration_types_config: { '0': {} },
    };
  }

  // ---- application commands ----

  private commandScope(params: RouteParams): Json[] {
    if (params.app !== this.world.applicationId) {
      throw forbidden(ErrorCode.NotAuthorizedForApplication, 'You are not authorized to perform this action on this application');
    }
    if (params.guildId) this.guild(params.guildId);
    return this.world.commandsFor(params.guildId);
  }

  private storedCommand(input: Json, guildId: string | undefined, existing?: Json): Json {
    const type = typeof input.type === 'number' ? input.type : 1;
    return {
      id: existing?.id ?? snowflake(),
      application_id: this.world.applicationId,
      version: snowflake(),
      type,
      name: input.name,
      name_localizations: input.name_localizations ?? null,
      description: type === 1 ? input.description : '',
      description_localizations: input.description_localizations ?? null,
      ...(input.options === undefined ? {} : { options: input.options }),
      default_member_permissions: input.default_member_permissions ?? null,
      ...(guildId ? { guild_id: guildId } : { dm_permission: input.dm_permission ?? true }),
      contexts: input.contexts ?? null,
      integration_types: input.integration_types ?? [0],
      nsfw: input.nsfw ?? false,
    };
  }

  /** Bulk overwrite: the list replaces what was there; a command keeping its name and type keeps its id. */
  private overwriteCommands(params: RouteParams, rawBody: unknown): Json[] {
    const list = this.commandScope(params);
    const problem = checkCommandList(rawBody);
    if (problem) throw new DiscordHttpError(problem.status, problem.body.code as number, problem.body.message as string, { errors: problem.body.errors });
    const incoming = (rawBody as Json[]).map((command) => {
      const existing = list.find((old) => old.name === command.name && old.type === (command.type ?? 1));
      return this.storedCommand(command, params.guildId, existing);
    });
    list.splice(0, list.length, ...incoming);
    return incoming;
  }

  private createCommand(params: RouteParams, body: Json): FakeResponse {
    const list = this.commandScope(params);
    const errors = new FormErrors();
    checkCommand(errors, [], body);
    if (errors.count > 0) {
      const error = errors.toBody();
      throw new DiscordHttpError(400, error.code, error.message, { errors: error.errors });
    }
    const index = list.findIndex((old) => old.name === body.name && old.type === (body.type ?? 1));
    const command = this.storedCommand(body, params.guildId, index >= 0 ? list[index] : undefined);
    if (index >= 0) list[index] = command;
    else list.push(command);
    // Discord answers 200 when an existing command was replaced and 201 for a new one.
    return { status: index >= 0 ? 200 : 201, body: command };
  }

  private findCommand(params: RouteParams): { list: Json[]; command: Json } {
    const list = this.commandScope(params);
    const command = list.find((candidate) => candidate.id === params.commandId);
    if (!command) throw notFound(ErrorCode.UnknownApplicationCommand, 'Unknown application command');
    return { list, command };
  }

  private editCommand(params: RouteParams, body: Json): Json {
    const { list, command } = this.findCommand(params);
    const edited = this.storedCommand({ ...command, ...body }, params.guildId, command);
    list[list.indexOf(command)] = edited;
    return edited;
  }

  // ---- messages ----

  /**
   * Attachments a create/edit ends up with: `attachments` entries naming an existing attachment id keep it, entries
   * whose id is an upload index (`files[n]`) become new attachments, and uploads nobody listed are added too.
   */
  private attachmentsFor(body: Json, files: RecordedFile[], channelId: string, existing: APIAttachment[]): APIAttachment[] {
    for (const file of files) {
      if (file.bytes.length > ATTACHMENT_SIZE_LIMIT) throw new DiscordHttpError(413, 40005, 'Request entity too large');
    }
    const uploads = new Map(files.map((file, position) => [file.field.match(/\d+/)?.[0] ?? String(position), file]));
    const used = new Set<string>();
    const result: APIAttachment[] = [];
    const listed = Array.isArray(body.attachments) ? (body.attachments as unknown[]) : undefined;
    const fromUpload = (file: RecordedFile, entry: Json = {}): APIAttachment => {
      const id = snowflake();
      const filename = typeof entry.filename === 'string' ? entry.filename : file.name;
      return {
        id,
        filename,
        size: file.bytes.length,
        url: `${CDN_BASE}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`,
        proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`,
        content_type: file.contentType,
        ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
      };
    };
    if (listed) {
      for (const entry of listed) {
        if (!isObject(entry)) continue;
        const id = String(entry.id);
        const kept = existing.find((attachment) => attachment.id === id);
        const upload = uploads.get(id);
        if (kept) result.push(kept);
        else if (upload) {
          result.push(fromUpload(upload, entry));
          used.add(id);
        }
      }
    } else {
      result.push(...existing);
    }
    for (const [key, file] of uploads) if (!used.has(key)) result.push(fromUpload(file));
    return result;
  }

  private checkBody(body: Json, fileCount: number, kept = 0): void {
    const problem = checkMessageBody(body, { fileCount, keptAttachments: kept });
    if (problem) {
      const { code, message, ...extra } = problem.body;
      throw new DiscordHttpError(problem.status, code as number, message as string, extra);
    }
  }

  /** A public thread started from a message: it takes the message's id, and a message holds one thread at most (160004). */
  private startThread({ params, body }: RestContext): FakeResponse {
    const parent = this.channel(params.channelId!);
    const stored = this.world.messages.get(params.messageId!);
    if (!stored || stored.deleted || stored.message.channel_id !== parent.id) throw notFound(ErrorCode.UnknownMessage, 'Unknown Message');
    if (parent.type !== ChannelKind.GuildText && parent.type !== ChannelKind.GuildAnnouncement) throw new DiscordHttpError(400, 50024, 'Cannot execute action on this channel type');
    if (!(this.world.botPermissionsIn(parent.id) & Permission.CreatePublicThreads)) throw forbidden(ErrorCode.MissingPermissions, 'Missing Permissions');
    if (typeof body.name !== 'string' || body.name.length === 0 || body.name.length > 100) throw invalidForm(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    if (this.world.channels.has(stored.message.id)) throw new DiscordHttpError(400, 160004, 'A thread has already been created for this message');
    this.world.channels.set(stored.message.id, {
      id: stored.message.id,
      type: ChannelKind.PublicThread,
      name: body.name,
      guildId: parent.guildId,
      topic: null,
      position: 0,
      parentId: parent.id,
      lastMessageId: null,
    });
    this.threadsStarted.push({ id: stored.message.id, parentId: parent.id, name: body.name });
    return ok(this.world.channelPayload(stored.message.id));
  }

  /** Threads the bot started from messages, in order. */
  readonly threadsStarted: { id: string; parentId: string; name: string }[] = [];

  private createChannelMessage({ params, body, files }: RestContext): FakeResponse {
    const channel = this.channel(params.channelId!);
    if (!TEXT_BASED_CHANNEL_KINDS.has(channel.type)) {
      throw new DiscordHttpError(400, 50008, 'Cannot send messages in a non-text channel');
    }
    if (channel.type === ChannelKind.DM) {
      const recipient = this.world.users.get(channel.recipientId!);
      if (this.world.closedDms.has(channel.recipientId!) || recipient?.bot) {
        throw forbidden(ErrorCode.CannotSendMessagesToUser, 'Cannot send messages to this user');
      }
    }
    const permissions = this.world.botPermissionsIn(channel.id);
    if (!(permissions & Permission.ViewChannel)) throw forbidden(ErrorCode.MissingAccess, 'Missing Access');
    if (!(permissions & Permission.SendMessages)) throw forbidden(ErrorCode.MissingPermissions, 'Missing Permissions');
    if (files.length > 0 && !(permissions & Permission.AttachFiles)) throw forbidden(ErrorCode.MissingPermissions, 'Missing Permissions');
    this.checkBody(body, files.length);
    if (this.world.isEphemeral(body.flags)) {
      throw invalidForm(['flags'], 'MESSAGE_FLAGS_INVALID', 'Ephemeral messages can only be sent as interaction responses');
    }
    const nonce = typeof body.nonce === 'string' || typeof body.nonce === 'number' ? body.nonce : undefined;
    if (typeof nonce === 'string' && nonce.length > NONCE_MAX_LENGTH) {
      throw invalidForm(['nonce'], 'BASE_TYPE_MAX_LENGTH', `Must be ${NONCE_MAX_LENGTH} or fewer in length.`);
    }
    // enforce_nonce: a repeat by the same author in the same channel within the window gets the first message back.
    if (nonce !== undefined && body.enforce_nonce === true) {
      const earlier = this.world.messageWithNonce(channel.id, this.world.botUser.id, nonce, Date.now() - NONCE_WINDOW_MS);
      if (earlier) return ok(earlier);
    }

    const reference = isObject(body.message_reference) ? body.message_reference : undefined;
    const message = this.world.buildMessage({
      channelId: channel.id,
      author: this.world.botUser,
      content: typeof body.content === 'string' ? body.content : '',
      // Without Embed Links, Discord keeps the message and drops its embeds.
      embeds: permissions & Permission.EmbedLinks && Array.isArray(body.embeds) ? body.embeds : [],
      components: Array.isArray(body.components) ? body.components : [],
      attachments: this.attachmentsFor(body, files, channel.id, []),
      flags: typeof body.flags === 'number' ? body.flags & (MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2 | (1 << 12)) : 0,
      type: reference ? MessageKind.Reply : MessageKind.Default,
      allowedMentions: body.allowed_mentions,
      tts: body.tts === true,
      ...(nonce === undefined ? {} : { nonce }),
      ...(reference
        ? {
            messageReference: {
              type: 0,
              message_id: String(reference.message_id),
              channel_id: String(reference.channel_id ?? channel.id),
              ...(channel.guildId ? { guild_id: channel.guildId } : {}),
            },
          }
        : {}),
    });
    const stored = this.world.storeMessage(message);
    this.hooks.messageCreated(stored);
    return ok(message);
  }

  /** Applies an edit body to a message; only the fields present change, as on Discord. */
  private applyEdit(stored: StoredMessage, body: Json, files: RecordedFile[], options: { markEdited: boolean }): APIMessage {
    const old = stored.message;
    const attachments = this.attachmentsFor(body, files, old.channel_id, old.attachments);
    const next: APIMessage = {
      ...old,
      ...(typeof body.content === 'string' || body.content === null ? { content: (body.content as string | null) ?? '' } : {}),
      ...(Array.isArray(body.embeds) ? { embeds: body.embeds.map((embed) => ({ type: 'rich', ...(embed as object) })) as APIMessage['embeds'] } : {}),
      ...(Array.isArray(body.components) ? { components: body.components as APIMessage['components'] } : {}),
      attachments,
    };
    if (typeof body.flags === 'number') {
      const kept = (old.flags ?? 0) & (MessageFlag.Ephemeral | MessageFlag.Loading);
      next.flags = kept | (body.flags & (MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2));
    }
    const wasLoading = ((old.flags ?? 0) & MessageFlag.Loading) !== 0;
    if (wasLoading) next.flags = (next.flags ?? 0) & ~MessageFlag.Loading;
    if (typeof body.content === 'string') {
      const mentions = this.world.resolveMentions(body.content, body.allowed_mentions);
      next.mentions = mentions.users.map((id) => this.world.userPayload(id));
      next.mention_roles = mentions.roles;
      next.mention_everyone = mentions.everyone;
    }
    if (options.markEdited && !wasLoading) next.edited_timestamp = discordTimestamp();

    this.checkBody({ ...body, content: next.content, embeds: next.embeds, components: next.components, attachments: [] }, 0, attachments.length);
    stored.message = next;
    return next;
  }

  private editChannelMessage({ params, body, files }: RestContext): FakeResponse {
    const stored = this.channelMessage(params);
    const onlyFlags = Object.keys(body).every((key) => key === 'flags');
    if (stored.message.author.id !== this.world.botUserId && !onlyFlags) {
      throw forbidden(ErrorCode.CannotEditOtherUsersMessage, 'Cannot edit a message authored by another user');
    }
    const message = this.applyEdit(stored, body, files, { markEdited: true });
    this.hooks.messageUpdated(stored);
    return ok(message);
  }

  // ---- interactions ----

  private interaction(id: string, token: string): InteractionState {
    const interaction = this.world.interactions.get(id);
    if (!interaction || interaction.token !== token) throw notFound(ErrorCode.UnknownInteraction, 'Unknown interaction');
    return interaction;
  }

  private responseMessage(interaction: InteractionState, data: Json, files: RecordedFile[], overrides: { flags?: number } = {}): StoredMessage {
    const command = interaction.type === InteractionKind.ApplicationCommand;
    const flags = overrides.flags ?? (typeof data.flags === 'number' ? data.flags : 0);
    const ephemeral = this.world.isEphemeral(flags);
    const message = this.world.buildMessage({
      channelId: interaction.channelId,
      author: this.world.botUser,
      content: typeof data.content === 'string' ? data.content : '',
      embeds: Array.isArray(data.embeds) ? data.embeds : [],
      components: Array.isArray(data.components) ? data.components : [],
      attachments: this.attachmentsFor(data, files, interaction.channelId, []),
      flags: flags & (MessageFlag.Ephemeral | MessageFlag.Loading | MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2),
      type: command ? MessageKind.ChatInputCommand : MessageKind.Default,
      webhookId: this.world.applicationId,
      applicationId: this.world.applicationId,
      allowedMentions: data.allowed_mentions,
      tts: data.tts === true,
      interactionMetadata: {
        id: interaction.id,
        type: interaction.type,
        user: this.world.userPayload(interaction.userId),
        authorizing_integration_owners: interaction.payload.authorizing_integration_owners as never,
        ...(command ? { name: interaction.name, command_type: 1 } : { interacted_message_id: interaction.componentMessageId }),
      } as APIMessage['interaction_metadata'],
    });
    const stored = this.world.storeMessage(message, { ephemeral });
    if (!ephemeral) this.hooks.messageCreated(stored);
    return stored;
  }

  /** An interaction out at the interactions endpoint is answered (or failed) before its webhook acts. */
  private async answered({ params }: Pick<RestContext, 'params'>): Promise<void> {
    await this.world.interactionByToken(params.token!)?.delivering?.catch(() => undefined);
  }

  /** The answer an interactions endpoint gave, taken as the interaction's callback. */
  applyEndpointAnswer(interaction: InteractionState, body: Json): FakeResponse {
    return this.interactionCallback({ params: { interactionId: interaction.id, token: interaction.token }, body, query: {}, files: [], rawBody: body });
  }

  private interactionCallback({ params, body, query, files }: RestContext): FakeResponse {
    const interaction = this.interaction(params.interactionId!, params.token!);
    const deadline = this.hooks.interactionResponseDeadlineMs;
    if (interaction.responseType === undefined && deadline !== undefined && Date.now() - interaction.createdAt > deadline) {
      throw notFound(ErrorCode.UnknownInteraction, 'Unknown interaction');
    }
    if (interaction.responseType !== undefined) {
      throw new DiscordHttpError(400, ErrorCode.InteractionAlreadyAcknowledged, 'Interaction has already been acknowledged.');
    }
    const type = body.type;
    const data = isObject(body.data) ? body.data : {};
    const component = interaction.type === InteractionKind.MessageComponent || interaction.type === InteractionKind.ModalSubmit;
    const allowed: number[] = [CallbackType.ChannelMessageWithSource, CallbackType.DeferredChannelMessageWithSource, CallbackType.Modal];
    if (component) allowed.push(CallbackType.DeferredMessageUpdate, CallbackType.UpdateMessage);
    if (interaction.type === InteractionKind.ModalSubmit) allowed.splice(allowed.indexOf(CallbackType.Modal), 1);
    if (interaction.type === InteractionKind.ApplicationCommandAutocomplete) allowed.splice(0, allowed.length, CallbackType.ApplicationCommandAutocompleteResult);
    if (typeof type !== 'number' || !allowed.includes(type)) {
      throw invalidForm(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Callback type ${String(type)} is not valid for this interaction`);
    }

    let message: APIMessage | undefined;
    switch (type) {
      case CallbackType.ChannelMessageWithSource: {
        this.checkBody(data, files.length);
        const stored = this.responseMessage(interaction, data, files);
        interaction.originalMessageId = stored.message.id;
        message = stored.message;
        break;
      }
      case CallbackType.DeferredChannelMessageWithSource: {
        const ephemeral = this.world.isEphemeral(data.flags) ? MessageFlag.Ephemeral : 0;
        const stored = this.responseMessage(interaction, {}, [], { flags: MessageFlag.Loading | ephemeral });
        interaction.originalMessageId = stored.message.id;
        message = stored.message;
        break;
      }
      case CallbackType.DeferredMessageUpdate:
      case CallbackType.UpdateMessage: {
        const stored = interaction.componentMessageId ? this.world.messages.get(interaction.componentMessageId) : undefined;
        interaction.originalMessageId = interaction.componentMessageId;
        if (stored && type === CallbackType.UpdateMessage) {
          this.applyEdit(stored, data, files, { markEdited: true });
          if (!stored.ephemeral) this.hooks.messageUpdated(stored);
        }
        message = stored?.message;
        break;
      }
      case CallbackType.Modal: {
        const errors = new FormErrors();
        if (typeof data.custom_id !== 'string' || data.custom_id.length === 0) errors.add(['data', 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
        if (typeof data.title !== 'string' || data.title.length === 0) errors.add(['data', 'title'], 'BASE_TYPE_REQUIRED', 'This field is required');
        else if (data.title.length > 45) errors.add(['data', 'title'], 'BASE_TYPE_MAX_LENGTH', 'Must be 45 or fewer in length.');
        if (!Array.isArray(data.components) || data.components.length === 0 || data.components.length > 5)
          errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
        if (errors.count > 0) {
          const error = errors.toBody();
          throw new DiscordHttpError(400, error.code, error.message, { errors: error.errors });
        }
        interaction.modal = data;
        break;
      }
      default:
        break;
    }
    interaction.responseType = type;

    if (query.with_response !== 'true') return noContent();
    return ok({
      interaction: {
        id: interaction.id,
        type: interaction.type,
        response_message_id: message?.id,
        response_message_loading: type === CallbackType.DeferredChannelMessageWithSource,
        response_message_ephemeral: message ? this.world.isEphemeral(message.flags) : false,
      },
      resource: { type, ...(message ? { message } : {}) },
    });
  }

  private webhookInteraction(params: RouteParams): InteractionState {
    if (params.app !== this.world.applicationId) throw notFound(ErrorCode.UnknownWebhook, 'Unknown Webhook');
    const interaction = this.world.interactionByToken(params.token!);
    if (!interaction) throw notFound(ErrorCode.UnknownWebhook, 'Unknown Webhook');
    return interaction;
  }

  private webhookMessage(params: RouteParams): StoredMessage {
    const interaction = this.webhookInteraction(params);
    const id = params.messageId === '@original' ? interaction.originalMessageId : params.messageId;
    const belongs = id !== undefined && (id === interaction.originalMessageId || interaction.followUpIds.includes(id));
    const stored = belongs ? this.world.messages.get(id) : undefined;
    if (!stored || stored.deleted) throw notFound(ErrorCode.UnknownMessage, 'Unknown Message');
    return stored;
  }

  private editWebhookMessage({ params, body, files }: RestContext): FakeResponse {
    const stored = this.webhookMessage(params);
    const message = this.applyEdit(stored, body, files, { markEdited: true });
    if (!stored.ephemeral) this.hooks.messageUpdated(stored);
    return ok(message);
  }

  /**
   * A follow-up. While a deferred reply is still loading, Discord makes the first follow-up fill in that loading
   * message (same id, keeping the deferral's ephemeral flag) instead of posting a new one.
   */
  private createFollowUp({ params, body, files }: RestContext): FakeResponse {
    const interaction = this.webhookInteraction(params);
    if (interaction.responseType === undefined) throw notFound(ErrorCode.UnknownWebhook, 'Unknown Webhook');
    this.checkBody(body, files.length);
    const original = interaction.originalMessageId ? this.world.messages.get(interaction.originalMessageId) : undefined;
    if (original && !original.deleted && ((original.message.flags ?? 0) & MessageFlag.Loading)) {
      const message = this.applyEdit(original, body, files, { markEdited: false });
      if (!original.ephemeral) this.hooks.messageUpdated(original);
      return ok(message);
    }
    const stored = this.responseMessage(interaction, body, files);
    interaction.followUpIds.push(stored.message.id);
    return ok(stored.message);
  }
}
