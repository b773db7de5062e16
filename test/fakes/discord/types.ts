import type { APIMessage } from 'discord.js';

/** Permissions as Discord sends them (a decimal string) or as a bigint bitfield. */
export type PermissionsInput = bigint | string;

export interface UserSpec {
  id: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
  avatar?: string | null;
}

/** A user id (looked up among known users, or invented) or a full description. */
export type UserRef = string | UserSpec;

export interface RoleSpec {
  id: string;
  name: string;
  permissions?: PermissionsInput;
  position?: number;
  color?: number;
  mentionable?: boolean;
}

export interface MemberSpec {
  user: UserSpec;
  roles?: string[];
  nick?: string | null;
  joinedAt?: string;
}

export interface ChannelSpec {
  id: string;
  name: string;
  /** Discord channel type; 0 (text) when left out. */
  type?: number;
  parentId?: string | null;
  topic?: string | null;
  position?: number;
  /** What the bot may do in this channel, instead of its guild-wide permissions. */
  botPermissions?: PermissionsInput;
}

export interface GuildSpec {
  id: string;
  name: string;
  channels: ChannelSpec[];
  roles?: RoleSpec[];
  members?: MemberSpec[];
  /** Defaults to the first member, or an invented user. */
  ownerId?: string;
  everyonePermissions?: PermissionsInput;
  /** Given to the bot through its managed role. */
  botPermissions?: PermissionsInput;
  preferredLocale?: string;
}

export interface FakeDiscordOptions {
  guilds?: GuildSpec[];
  botUser?: Partial<UserSpec>;
  /** Defaults to the bot user's id, as for every application created since 2020. */
  applicationId?: string;
  /** When set, any other token gets 401 on REST and close code 4004 on the gateway. */
  requiredToken?: string;
  heartbeatIntervalMs?: number;
  /** Privileged intents switched on in the developer portal; identifying with any other closes with 4014. */
  enabledPrivilegedIntents?: number;
  /** Callbacks later than this after the interaction was sent get 404 Unknown interaction, as on Discord (3 s). */
  interactionResponseDeadlineMs?: number;
  /** Echo the bot's own posts back as MESSAGE_CREATE / MESSAGE_UPDATE / MESSAGE_DELETE, as Discord does. Default true. */
  echoBotMessages?: boolean;
}

export interface RecordedFile {
  /** Multipart field name, `files[0]` and so on. */
  field: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v10` prefix, percent-decoded: `/channels/1/messages/2/reactions/✅/@me`. */
  path: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or `payload_json` of a multipart body; undefined when there was none. */
  body: unknown;
  files: RecordedFile[];
  /** The status the fake answered with. */
  status: number;
  /** The body the fake answered with (undefined for 204). */
  response: unknown;
  receivedAt: number;
  /** Set for an interaction's answer that came back as the response of the fake's POST to the interactions endpoint. */
  via?: 'interactions endpoint';
}

export type PathPattern = string | RegExp;

export interface FailureOptions {
  /** How many matching requests fail; 1 by default. */
  times?: number;
  /** For 429: seconds to wait, sent as `retry_after` and the Retry-After header. Default 0.05. */
  retryAfterSeconds?: number;
  /** For 429: a global rate limit (X-RateLimit-Global). */
  global?: boolean;
  headers?: Record<string, string>;
}

export interface IdentifyRecord {
  token: string;
  intents: number;
  shard: [number, number] | undefined;
  properties: unknown;
  presence: unknown;
  sessionId: string;
  at: number;
}

export interface GatewaySessionInfo {
  sessionId: string;
  intents: number;
  sequence: number;
  connected: boolean;
  /** Closed by the client with 1000/1001, or never resumable again. */
  invalidated: boolean;
  resumes: number;
}

export interface CommandInvocation {
  /** Leave out for a DM with the bot. */
  guildId?: string;
  /** Defaults to the guild's first text channel, or the user's DM channel. */
  channelId?: string;
  user: UserRef;
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  /**
   * Option values by name (types come from the registered command when there is one, else from the JS value),
   * or raw interaction options.
   */
  options?: Record<string, string | number | boolean> | RawCommandOption[];
  /** The invoking member's permissions; computed from roles when left out. */
  memberPermissions?: PermissionsInput;
  roles?: string[];
  locale?: string;
}

export interface RawCommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: RawCommandOption[];
  focused?: boolean;
}

export interface ButtonInvocation {
  guildId?: string;
  channelId?: string;
  user: UserRef;
  customId: string;
  /** The message carrying the button: a message object, a stored message id, or the latest stored one with that button. */
  message?: APIMessage | string;
  memberPermissions?: PermissionsInput;
  roles?: string[];
  locale?: string;
}

/** A member sends a modal back: the modal's custom_id, and each field's value by its custom_id (a select's as a list). */
export interface ModalSubmitInvocation {
  guildId?: string;
  channelId?: string;
  user: UserRef;
  customId: string;
  values: Record<string, string | string[]>;
  /** The message whose button opened the modal. */
  message?: string;
  memberPermissions?: PermissionsInput;
}

export interface UserMessageInput {
  /** Leave out for a DM to the bot. */
  guildId?: string;
  /** Defaults to the guild's first text channel, or the author's DM channel. */
  channelId?: string;
  author: UserRef;
  content: string;
  id?: string;
  attachments?: { filename: string; size?: number; contentType?: string }[];
}

export interface MessageUpdateInput {
  channelId: string;
  id: string;
  content: string;
  guildId?: string;
  author?: UserRef;
}

export interface MessageDeleteInput {
  channelId: string;
  id: string;
  guildId?: string;
}

export interface DispatchedInteraction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
}

/** What happened to an interaction the fake sent. */
export interface InteractionView {
  id: string;
  token: string;
  /** Callback type of the first (and only allowed) callback. */
  responseType: number | undefined;
  original: APIMessage | undefined;
  followUps: APIMessage[];
  /** The modal the bot opened in answer, as it sent it. */
  modal: Record<string, unknown> | undefined;
}

/** Where the fake sends interactions instead of the gateway, as Discord does once an Interactions Endpoint URL is set. */
export interface InteractionsEndpoint {
  url: string;
  /** The application's Ed25519 private key: every request is signed with it. */
  privateKey: import('node:crypto').KeyObject;
}

/** One POST of an interaction to the endpoint, and what became of the answer it brought back. */
export interface EndpointDelivery {
  interactionId: string;
  url: string;
  /** The HTTP status, or 0 when no response came within the deadline (or the connection failed). */
  status: number;
  /** The response body (JSON when it was). */
  answer: unknown;
  /** Whether Discord took the answer as the interaction's callback (a second answer is refused, 40060). */
  accepted: boolean;
  /** From sending to the response. */
  ms: number;
}
