import type {
  APIAttachment,
  APIChannel,
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  Locale,
  RoleFlags,
  UserFlags,
} from 'discord.js';
import {
  ALL_PERMISSIONS,
  ChannelKind,
  DEFAULT_EVERYONE_PERMISSIONS,
  Intent,
  MessageFlag,
  MessageKind,
  Permission,
} from './constants';
import { discordTimestamp, isSnowflake, snowflake } from './snowflake';
import type { ChannelSpec, FakeDiscordOptions, GuildSpec, PermissionsInput, UserRef, UserSpec } from './types';

export interface MemberState {
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  joinedAt: string;
  roles: Map<string, APIRole>;
  members: Map<string, MemberState>;
  channelIds: string[];
  botRoleId: string;
}

export interface ChannelState {
  id: string;
  type: number;
  name: string | null;
  guildId?: string;
  topic: string | null;
  position: number;
  parentId: string | null;
  /** The other side of a DM. */
  recipientId?: string;
  botPermissions?: bigint;
  lastMessageId: string | null;
}

export interface StoredMessage {
  message: APIMessage;
  guildId?: string;
  ephemeral: boolean;
  deleted: boolean;
  /** Reactions the bot added, by emoji as it appears in the route. */
  ownReactions: Set<string>;
}

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  name?: string;
  guildId?: string;
  channelId: string;
  userId: string;
  createdAt: number;
  responseType?: number;
  originalMessageId?: string;
  /** For component interactions: the message the component was on. */
  componentMessageId?: string;
  followUpIds: string[];
  payload: Record<string, unknown>;
  /** The modal the bot answered with (callback type 9), as it sent it. */
  modal?: Record<string, unknown>;
  /** Set while the interaction is out at the interactions endpoint: its webhook waits for the answer, as Discord's does. */
  delivering?: Promise<unknown>;
}

export function toPermissions(input: PermissionsInput | undefined, fallback: bigint): bigint {
  if (input === undefined) return fallback;
  return typeof input === 'bigint' ? input : BigInt(input);
}

function requireSnowflake(value: string, what: string): void {
  if (!isSnowflake(value)) {
    throw new Error(`FakeDiscord: ${what} id ${JSON.stringify(value)} is not a snowflake (digits only); discord.js parses ids as BigInt`);
  }
}

/** The fake's model of Discord: users, guilds, channels, messages, commands and interactions. */
export class DiscordWorld {
  readonly users = new Map<string, UserSpec & { username: string }>();
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, ChannelState>();
  readonly dmChannelByUser = new Map<string, string>();
  readonly messages = new Map<string, StoredMessage>();
  readonly channelMessageIds = new Map<string, string[]>();
  readonly globalCommands: Record<string, unknown>[] = [];
  readonly guildCommands = new Map<string, Record<string, unknown>[]>();
  readonly interactions = new Map<string, InteractionState>();
  readonly closedDms = new Set<string>();
  readonly botUserId: string;
  readonly applicationId: string;

  constructor(options: FakeDiscordOptions) {
    const bot = options.botUser ?? {};
    this.botUserId = bot.id ?? snowflake();
    requireSnowflake(this.botUserId, 'bot user');
    this.users.set(this.botUserId, { ...bot, id: this.botUserId, username: bot.username ?? 'FakeBot', bot: true });
    this.applicationId = options.applicationId ?? this.botUserId;
    requireSnowflake(this.applicationId, 'application');
    for (const guild of options.guilds ?? []) this.addGuild(guild);
  }

  // ---- users ----

  /** Resolves a user reference, registering users the fake has not seen yet. */
  user(ref: UserRef): APIUser {
    const spec = typeof ref === 'string' ? { id: ref } : ref;
    requireSnowflake(spec.id, 'user');
    const known = this.users.get(spec.id);
    const merged = { ...known, ...spec, username: spec.username ?? known?.username ?? `user${spec.id.slice(-4)}` };
    this.users.set(spec.id, merged);
    return this.userPayload(spec.id);
  }

  userPayload(id: string): APIUser {
    const spec = this.users.get(id);
    if (!spec) throw new Error(`FakeDiscord: unknown user ${id}`);
    return {
      id,
      username: spec.username,
      discriminator: '0',
      global_name: spec.globalName === undefined ? (spec.bot ? null : spec.username) : spec.globalName,
      avatar: spec.avatar ?? null,
      ...(spec.bot ? { bot: true } : {}),
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
    };
  }

  get botUser(): APIUser {
    return this.userPayload(this.botUserId);
  }

  // ---- guilds ----

  addGuild(spec: GuildSpec): GuildState {
    requireSnowflake(spec.id, 'guild');
    if (this.guilds.has(spec.id)) throw new Error(`FakeDiscord: guild ${spec.id} is described twice`);
    const joinedAt = discordTimestamp();
    const roles = new Map<string, APIRole>();
    roles.set(spec.id, this.role({ id: spec.id, name: '@everyone', permissions: toPermissions(spec.everyonePermissions, DEFAULT_EVERYONE_PERMISSIONS), position: 0 }));
    for (const [index, role] of (spec.roles ?? []).entries()) {
      requireSnowflake(role.id, 'role');
      roles.set(role.id, this.role({ ...role, permissions: toPermissions(role.permissions, 0n), position: role.position ?? index + 1 }));
    }
    const botRoleId = snowflake();
    const botPermissions = toPermissions(spec.botPermissions, DEFAULT_EVERYONE_PERMISSIONS | Permission.ManageMessages);
    roles.set(botRoleId, {
      ...this.role({ id: botRoleId, name: this.users.get(this.botUserId)!.username, permissions: botPermissions, position: roles.size }),
      managed: true,
      tags: { bot_id: this.botUserId },
    });

    const members = new Map<string, MemberState>();
    for (const member of spec.members ?? []) {
      this.user(member.user);
      members.set(member.user.id, { userId: member.user.id, roles: member.roles ?? [], nick: member.nick ?? null, joinedAt: member.joinedAt ?? joinedAt });
    }
    members.set(this.botUserId, { userId: this.botUserId, roles: [botRoleId], nick: null, joinedAt });

    const ownerId = spec.ownerId ?? spec.members?.[0]?.user.id ?? snowflake();
    if (!this.users.has(ownerId)) this.user({ id: ownerId, username: `owner${ownerId.slice(-4)}` });

    const guild: GuildState = {
      id: spec.id,
      name: spec.name,
      ownerId,
      preferredLocale: spec.preferredLocale ?? 'en-US',
      joinedAt,
      roles,
      members,
      channelIds: [],
      botRoleId,
    };
    this.guilds.set(spec.id, guild);
    for (const [index, channel] of spec.channels.entries()) this.addGuildChannel(guild, channel, index);
    return guild;
  }

  private role(input: { id: string; name: string; permissions: bigint; position: number; color?: number; mentionable?: boolean }): APIRole {
    return {
      id: input.id,
      name: input.name,
      color: input.color ?? 0,
      colors: { primary_color: input.color ?? 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: input.position,
      permissions: input.permissions.toString(),
      managed: false,
      mentionable: input.mentionable ?? false,
      flags: 0 as RoleFlags,
    };
  }

  private addGuildChannel(guild: GuildState, spec: ChannelSpec, index: number): void {
    requireSnowflake(spec.id, 'channel');
    if (this.channels.has(spec.id)) throw new Error(`FakeDiscord: channel ${spec.id} is described twice`);
    this.channels.set(spec.id, {
      id: spec.id,
      type: spec.type ?? ChannelKind.GuildText,
      name: spec.name,
      guildId: guild.id,
      topic: spec.topic ?? null,
      position: spec.position ?? index,
      parentId: spec.parentId ?? null,
      ...(spec.botPermissions === undefined ? {} : { botPermissions: toPermissions(spec.botPermissions, 0n) }),
      lastMessageId: null,
    });
    guild.channelIds.push(spec.id);
  }

  guild(id: string): GuildState | undefined {
    return this.guilds.get(id);
  }

  /** The channel a guild interaction or message lands in when a test names none: the first text channel. */
  defaultChannel(guildId: string): string {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`FakeDiscord: unknown guild ${guildId}`);
    const id = guild.channelIds.find((channelId) => this.channels.get(channelId)?.type === ChannelKind.GuildText);
    if (!id) throw new Error(`FakeDiscord: guild ${guildId} has no text channel; pass channelId`);
    return id;
  }

  /** Registers the user as a member (no roles) when an interaction or message comes from someone not described. */
  ensureMember(guildId: string, userId: string, roles?: string[]): MemberState {
    const guild = this.guilds.get(guildId)!;
    let member = guild.members.get(userId);
    if (!member) {
      member = { userId, roles: roles ?? [], nick: null, joinedAt: discordTimestamp() };
      guild.members.set(userId, member);
    } else if (roles) {
      member.roles = roles;
    }
    return member;
  }

  memberPermissions(guildId: string, userId: string): bigint {
    const guild = this.guilds.get(guildId)!;
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    const member = guild.members.get(userId);
    let permissions = BigInt(guild.roles.get(guild.id)!.permissions);
    for (const roleId of member?.roles ?? []) {
      const role = guild.roles.get(roleId);
      if (role) permissions |= BigInt(role.permissions);
    }
    return permissions & Permission.Administrator ? ALL_PERMISSIONS : permissions;
  }

  /** What the bot may do in a channel; in DMs it may do everything a DM allows. */
  botPermissionsIn(channelId: string): bigint {
    const channel = this.channels.get(channelId);
    if (!channel?.guildId) {
      return Permission.ViewChannel | Permission.SendMessages | Permission.EmbedLinks | Permission.AttachFiles |
        Permission.AddReactions | Permission.ReadMessageHistory | Permission.UseExternalEmojis;
    }
    if (channel.botPermissions !== undefined) return channel.botPermissions;
    return this.memberPermissions(channel.guildId, this.botUserId);
  }

  memberPayload(guildId: string, userId: string): APIGuildMember {
    const guild = this.guilds.get(guildId)!;
    const member = guild.members.get(userId) ?? this.ensureMember(guildId, userId);
    return {
      user: this.userPayload(userId),
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: [...member.roles],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  // ---- channels ----

  channel(id: string): ChannelState | undefined {
    return this.channels.get(id);
  }

  dmChannelFor(userId: string): ChannelState {
    const existing = this.dmChannelByUser.get(userId);
    if (existing) return this.channels.get(existing)!;
    const channel: ChannelState = {
      id: snowflake(),
      type: ChannelKind.DM,
      name: null,
      topic: null,
      position: 0,
      parentId: null,
      recipientId: userId,
      lastMessageId: null,
    };
    this.channels.set(channel.id, channel);
    this.dmChannelByUser.set(userId, channel.id);
    return channel;
  }

  channelPayload(id: string): APIChannel {
    const channel = this.channels.get(id)!;
    if (channel.type === ChannelKind.DM) {
      return {
        id: channel.id,
        type: ChannelKind.DM,
        name: null,
        last_message_id: channel.lastMessageId,
        flags: 0 as ChannelFlags,
        recipients: [this.userPayload(channel.recipientId!)],
      };
    }
    const base: Record<string, unknown> = {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      position: channel.position,
      permission_overwrites: [],
      parent_id: channel.parentId,
      nsfw: false,
      flags: 0,
    };
    if (channel.type !== ChannelKind.GuildCategory) {
      Object.assign(base, { last_message_id: channel.lastMessageId, rate_limit_per_user: 0 });
    }
    if (channel.type === ChannelKind.GuildText || channel.type === ChannelKind.GuildAnnouncement || channel.type === ChannelKind.GuildForum) {
      Object.assign(base, { topic: channel.topic, default_auto_archive_duration: 4320 });
    }
    if (channel.type === ChannelKind.PublicThread || channel.type === ChannelKind.PrivateThread) {
      Object.assign(base, {
        owner_id: this.botUserId,
        message_count: this.channelMessageIds.get(channel.id)?.length ?? 0,
        member_count: 1,
        thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
      });
    }
    if (channel.type === ChannelKind.GuildVoice || channel.type === ChannelKind.GuildStageVoice) {
      Object.assign(base, { bitrate: 64_000, user_limit: 0, rtc_region: null });
    }
    // The channel union is keyed on `type`; the spec's type is only known at run time.
    return base as unknown as APIChannel;
  }

  // ---- guild payloads ----

  guildPayload(id: string): APIGuild {
    const guild = this.guilds.get(id)!;
    const systemChannel = guild.channelIds.find((channelId) => this.channels.get(channelId)?.type === ChannelKind.GuildText) ?? null;
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles: [...guild.roles.values()],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: systemChannel,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: guild.preferredLocale as Locale,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      hub_type: null,
      incidents_data: null,
    };
  }

  /**
   * GUILD_CREATE as Discord sends it after READY. Without the GuildPresences intent, `members` holds only the bot
   * (Discord's rule for members and presences in this event); `member_count` always counts everyone.
   */
  guildCreatePayload(id: string, intents: number): GatewayGuildCreateDispatchData {
    const guild = this.guilds.get(id)!;
    const memberIds = intents & Intent.GuildPresences ? [...guild.members.keys()] : [this.botUserId];
    return {
      ...this.guildPayload(id),
      joined_at: guild.joinedAt,
      large: guild.members.size > 250,
      unavailable: false,
      member_count: guild.members.size,
      voice_states: [],
      members: memberIds.map((userId) => this.memberPayload(id, userId)),
      channels: guild.channelIds.map((channelId) => this.channelPayload(channelId)) as GatewayGuildCreateDispatchData['channels'],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- messages ----

  storeMessage(message: APIMessage, options: { ephemeral?: boolean } = {}): StoredMessage {
    const channel = this.channels.get(message.channel_id);
    const stored: StoredMessage = {
      message,
      ...(channel?.guildId ? { guildId: channel.guildId } : {}),
      ephemeral: options.ephemeral ?? false,
      deleted: false,
      ownReactions: new Set(),
    };
    this.messages.set(message.id, stored);
    if (!stored.ephemeral) {
      const ids = this.channelMessageIds.get(message.channel_id) ?? [];
      ids.push(message.id);
      this.channelMessageIds.set(message.channel_id, ids);
      if (channel) channel.lastMessageId = message.id;
    }
    return stored;
  }

  /** The channel's message by `authorId` sent with `nonce` at `since` or later, for enforce_nonce. */
  messageWithNonce(channelId: string, authorId: string, nonce: string | number, since: number): APIMessage | undefined {
    return this.channelMessages(channelId).find((message) => message.author.id === authorId && message.nonce === nonce && Date.parse(message.timestamp) >= since);
  }

  channelMessages(channelId: string): APIMessage[] {
    return (this.channelMessageIds.get(channelId) ?? [])
      .map((id) => this.messages.get(id)!)
      .filter((stored) => !stored.deleted)
      .map((stored) => stored.message);
  }

  /**
   * Builds a message as Discord returns it. `allowedMentions` follows Discord's rules: mentions in the content only
   * count (appear in `mentions`, `mention_roles`, `mention_everyone`) when allowed; no allowed_mentions allows all.
   */
  buildMessage(input: {
    id?: string;
    channelId: string;
    author: APIUser;
    content?: string;
    embeds?: unknown[];
    components?: unknown[];
    attachments?: APIAttachment[];
    flags?: number;
    type?: number;
    webhookId?: string;
    applicationId?: string;
    interactionMetadata?: APIMessage['interaction_metadata'];
    messageReference?: APIMessage['message_reference'];
    allowedMentions?: unknown;
    tts?: boolean;
    nonce?: string | number;
    timestamp?: string;
  }): APIMessage {
    const content = input.content ?? '';
    const mentions = this.resolveMentions(content, input.allowedMentions);
    return {
      id: input.id ?? snowflake(),
      channel_id: input.channelId,
      type: input.type ?? MessageKind.Default,
      author: input.author,
      content,
      timestamp: input.timestamp ?? discordTimestamp(),
      edited_timestamp: null,
      tts: input.tts ?? false,
      mention_everyone: mentions.everyone,
      mentions: mentions.users.map((id) => this.userPayload(id)),
      mention_roles: mentions.roles,
      attachments: input.attachments ?? [],
      embeds: (input.embeds ?? []).map((embed) => ({ type: 'rich', ...(embed as object) })) as APIMessage['embeds'],
      components: (input.components ?? []) as APIMessage['components'],
      pinned: false,
      flags: input.flags ?? 0,
      ...(input.webhookId ? { webhook_id: input.webhookId } : {}),
      ...(input.applicationId ? { application_id: input.applicationId } : {}),
      ...(input.interactionMetadata ? { interaction_metadata: input.interactionMetadata } : {}),
      ...(input.messageReference ? { message_reference: input.messageReference } : {}),
      ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
    };
  }

  resolveMentions(content: string, allowedMentions: unknown): { users: string[]; roles: string[]; everyone: boolean } {
    const allowed = typeof allowedMentions === 'object' && allowedMentions !== null ? (allowedMentions as Record<string, unknown>) : undefined;
    const parse = allowed ? (Array.isArray(allowed.parse) ? (allowed.parse as string[]) : []) : ['users', 'roles', 'everyone'];
    const allowedUsers = new Set(Array.isArray(allowed?.users) ? (allowed.users as string[]) : []);
    const allowedRoles = new Set(Array.isArray(allowed?.roles) ? (allowed.roles as string[]) : []);
    const users = [...new Set([...content.matchAll(/<@!?(\d{1,20})>/g)].map((match) => match[1]!))]
      .filter((id) => parse.includes('users') || allowedUsers.has(id))
      .filter((id) => this.users.has(id));
    const roles = [...new Set([...content.matchAll(/<@&(\d{1,20})>/g)].map((match) => match[1]!))].filter(
      (id) => parse.includes('roles') || allowedRoles.has(id),
    );
    const everyone = /@(everyone|here)\b/.test(content) && parse.includes('everyone');
    return { users, roles, everyone };
  }

  isEphemeral(flags: unknown): boolean {
    return typeof flags === 'number' && (flags & MessageFlag.Ephemeral) !== 0;
  }

  // ---- commands ----

  commandsFor(guildId?: string): Record<string, unknown>[] {
    if (!guildId) return this.globalCommands;
    let list = this.guildCommands.get(guildId);
    if (!list) {
      list = [];
      this.guildCommands.set(guildId, list);
    }
    return list;
  }

  /** The registered chat-input command by that name (guild first, then global). */
  findCommand(name: string, guildId?: string): Record<string, unknown> | undefined {
    const isMatch = (command: Record<string, unknown>) => command.name === name && (command.type ?? 1) === 1;
    return (guildId ? this.guildCommands.get(guildId)?.find(isMatch) : undefined) ?? this.globalCommands.find(isMatch);
  }

  // ---- interactions ----

  interactionByToken(token: string): InteractionState | undefined {
    for (const interaction of this.interactions.values()) if (interaction.token === token) return interaction;
    return undefined;
  }
}
