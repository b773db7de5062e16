import type { APIMessage } from 'discord.js';
import {
  ATTACHMENT_SIZE_LIMIT,
  CommandOptionKind,
  ComponentKind,
  InteractionContext,
  InteractionKind,
} from './constants';
import { interactionToken, snowflake } from './snowflake';
import type { ButtonInvocation, CommandInvocation, ModalSubmitInvocation, RawCommandOption } from './types';
import { toPermissions, type DiscordWorld, type InteractionState } from './world';

type Json = Record<string, unknown>;

interface Where {
  guildId?: string;
  channelId: string;
}

function resolveWhere(world: DiscordWorld, input: { guildId?: string; channelId?: string }, userId: string): Where {
  if (input.channelId) {
    const channel = world.channel(input.channelId);
    if (!channel) throw new Error(`FakeDiscord: unknown channel ${input.channelId}`);
    if (input.guildId && channel.guildId !== input.guildId) {
      throw new Error(`FakeDiscord: channel ${input.channelId} is not in guild ${input.guildId}`);
    }
    return { ...(channel.guildId ? { guildId: channel.guildId } : {}), channelId: channel.id };
  }
  if (input.guildId) {
    if (!world.guild(input.guildId)) throw new Error(`FakeDiscord: unknown guild ${input.guildId}`);
    return { guildId: input.guildId, channelId: world.defaultChannel(input.guildId) };
  }
  return { channelId: world.dmChannelFor(userId).id };
}

/** The fields every interaction carries, for a guild (member) or a DM with the bot (user). */
function interactionEnvelope(
  world: DiscordWorld,
  where: Where,
  userId: string,
  input: { memberPermissions?: bigint | string; roles?: string[]; locale?: string },
): Json {
  const channel = { ...(world.channelPayload(where.channelId) as unknown as Json) };
  const common = {
    application_id: world.applicationId,
    token: interactionToken(),
    version: 1,
    channel,
    channel_id: where.channelId,
    app_permissions: world.botPermissionsIn(where.channelId).toString(),
    locale: input.locale ?? 'en-US',
    entitlements: [],
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  if (!where.guildId) {
    return {
      ...common,
      user: world.userPayload(userId),
      context: InteractionContext.BotDM,
      // A guild-installed app used in the bot's DM: the guild key is "0".
      authorizing_integration_owners: { '0': '0' },
    };
  }
  const guild = world.guild(where.guildId)!;
  world.ensureMember(where.guildId, userId, input.roles);
  const permissions = toPermissions(input.memberPermissions, world.memberPermissions(where.guildId, userId));
  return {
    ...common,
    guild_id: where.guildId,
    guild: { id: where.guildId, locale: guild.preferredLocale, features: [] },
    guild_locale: guild.preferredLocale,
    member: { ...world.memberPayload(where.guildId, userId), permissions: permissions.toString() },
    context: InteractionContext.Guild,
    authorizing_integration_owners: { '0': where.guildId },
  };
}

function optionDefinitions(command: Json | undefined, group?: string, subcommand?: string): Json[] {
  let options = Array.isArray(command?.options) ? (command.options as Json[]) : [];
  for (const name of [group, subcommand]) {
    if (!name) continue;
    const next = options.find((option) => option.name === name);
    options = Array.isArray(next?.options) ? (next.options as Json[]) : [];
  }
  return options;
}

function inferOptionType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return CommandOptionKind.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? CommandOptionKind.Integer : CommandOptionKind.Number;
  return CommandOptionKind.String;
}

/** Turns `{ name: value }` into interaction options typed like the registered command (raw options pass as they are). */
function buildCommandOptions(input: CommandInvocation, command: Json | undefined): RawCommandOption[] {
  let options: RawCommandOption[];
  if (Array.isArray(input.options)) {
    options = input.options;
  } else {
    const definitions = optionDefinitions(command, input.subcommandGroup, input.subcommand);
    options = Object.entries(input.options ?? {}).map(([name, raw]) => {
      const definition = definitions.find((option) => option.name === name);
      const type = typeof definition?.type === 'number' ? definition.type : inferOptionType(raw);
      let value: string | number | boolean;
      if (type === CommandOptionKind.Integer || type === CommandOptionKind.Number) value = Number(raw);
      else if (type === CommandOptionKind.Boolean) value = raw === true || raw === 'true';
      else value = String(raw);
      return { name, type, value };
    });
  }
  if (input.subcommand) options = [{ name: input.subcommand, type: CommandOptionKind.Subcommand, options }];
  if (input.subcommandGroup) options = [{ name: input.subcommandGroup, type: CommandOptionKind.SubcommandGroup, options }];
  return options;
}

/** The `resolved` map Discord adds for user, member, role and channel options. */
function resolveOptionEntities(world: DiscordWorld, options: RawCommandOption[], where: Where, invokerId: string): Json | undefined {
  const resolved: Record<string, Json> = {};
  const add = (bucket: string, id: string, value: unknown) => {
    resolved[bucket] ??= {};
    resolved[bucket]![id] = value;
  };
  const visit = (option: RawCommandOption) => {
    option.options?.forEach(visit);
    if (option.value === undefined) return;
    const id = String(option.value);
    const isUser = option.type === CommandOptionKind.User || (option.type === CommandOptionKind.Mentionable && world.users.has(id));
    if (isUser) {
      add('users', id, world.user(id));
      if (where.guildId && world.guild(where.guildId)!.members.has(id)) {
        const { user: _user, ...member } = world.memberPayload(where.guildId, id);
        add('members', id, { ...member, permissions: world.memberPermissions(where.guildId, id).toString() });
      }
    } else if (option.type === CommandOptionKind.Role || option.type === CommandOptionKind.Mentionable) {
      const role = where.guildId ? world.guild(where.guildId)?.roles.get(id) : undefined;
      if (role) add('roles', id, role);
    } else if (option.type === CommandOptionKind.Channel) {
      const channel = world.channel(id);
      if (channel) {
        add('channels', id, {
          id,
          name: channel.name,
          type: channel.type,
          // The invoking member's permissions there.
          permissions: where.guildId ? world.memberPermissions(where.guildId, invokerId).toString() : '0',
          ...(channel.parentId ? { parent_id: channel.parentId } : {}),
        });
      }
    }
  };
  options.forEach(visit);
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

function register(world: DiscordWorld, payload: Json, extra: Partial<InteractionState> & { type: number }, where: Where, userId: string): InteractionState {
  const state: InteractionState = {
    id: payload.id as string,
    token: payload.token as string,
    ...(where.guildId ? { guildId: where.guildId } : {}),
    channelId: where.channelId,
    userId,
    createdAt: Date.now(),
    followUpIds: [],
    payload,
    ...extra,
  };
  world.interactions.set(state.id, state);
  return state;
}

/** INTERACTION_CREATE data for a chat-input command, as Discord sends it. */
export function buildCommandInteraction(world: DiscordWorld, input: CommandInvocation): InteractionState {
  const user = world.user(input.user);
  const where = resolveWhere(world, input, user.id);
  const command = world.findCommand(input.name, where.guildId);
  const options = buildCommandOptions(input, command);
  const resolved = resolveOptionEntities(world, options, where, user.id);
  const payload: Json = {
    id: snowflake(),
    type: InteractionKind.ApplicationCommand,
    data: {
      id: typeof command?.id === 'string' ? command.id : snowflake(),
      name: input.name,
      type: 1,
      ...(options.length > 0 ? { options } : {}),
      ...(resolved ? { resolved } : {}),
      ...(typeof command?.guild_id === 'string' ? { guild_id: command.guild_id } : {}),
    },
    ...interactionEnvelope(world, where, user.id, input),
  };
  return register(world, payload, { type: InteractionKind.ApplicationCommand, name: input.name }, where, user.id);
}

function hasButton(message: APIMessage, customId: string): boolean {
  const search = (components: unknown): boolean =>
    Array.isArray(components) &&
    components.some((component: Json) => component.custom_id === customId || search(component.components));
  return search(message.components);
}

/** The message a button click refers to: the one given, the newest one carrying that button, or a made-up bot message. */
function buttonMessage(world: DiscordWorld, input: ButtonInvocation, channelId: string | undefined): APIMessage {
  if (typeof input.message === 'string') {
    const stored = world.messages.get(input.message);
    if (!stored) throw new Error(`FakeDiscord: no stored message ${input.message} for the button click`);
    return stored.message;
  }
  if (input.message) {
    if (!world.messages.has(input.message.id)) world.storeMessage(input.message);
    return world.messages.get(input.message.id)!.message;
  }
  const candidates = [...world.messages.values()].reverse();
  const found = candidates.find(
    (stored) => !stored.deleted && (!channelId || stored.message.channel_id === channelId) && hasButton(stored.message, input.customId),
  );
  if (found) return found.message;
  const targetChannel = channelId ?? (input.guildId ? world.defaultChannel(input.guildId) : world.dmChannelFor(world.user(input.user).id).id);
  const made = world.buildMessage({
    channelId: targetChannel,
    author: world.botUser,
    content: 'A message with a button',
    components: [{ type: ComponentKind.ActionRow, components: [{ type: ComponentKind.Button, style: 1, label: 'Press', custom_id: input.customId }] }],
  });
  return world.storeMessage(made).message;
}

/** INTERACTION_CREATE data for a modal sent back: each value in a label component, as Discord sends them. */
export function buildModalSubmitInteraction(world: DiscordWorld, input: ModalSubmitInvocation): InteractionState {
  const user = world.user(input.user);
  const message = input.message ? world.messages.get(input.message)?.message : undefined;
  const where = resolveWhere(world, { ...input, channelId: input.channelId ?? message?.channel_id }, user.id);
  const components = Object.entries(input.values).map(([customId, value], i) => ({
    type: ComponentKind.Label,
    id: i + 1,
    component: Array.isArray(value)
      ? { type: ComponentKind.StringSelect, id: 100 + i, custom_id: customId, values: value }
      : { type: ComponentKind.TextInput, id: 100 + i, custom_id: customId, value },
  }));
  const payload: Json = {
    id: snowflake(),
    type: InteractionKind.ModalSubmit,
    data: { custom_id: input.customId, components },
    ...(message ? { message } : {}),
    ...interactionEnvelope(world, where, user.id, input),
  };
  return register(world, payload, { type: InteractionKind.ModalSubmit, ...(message && { componentMessageId: message.id }) }, where, user.id);
}

/** INTERACTION_CREATE data for a button press on a message. */
export function buildButtonInteraction(world: DiscordWorld, input: ButtonInvocation): InteractionState {
  const user = world.user(input.user);
  const message = buttonMessage(world, input, input.channelId);
  const where = resolveWhere(world, { ...input, channelId: input.channelId ?? message.channel_id }, user.id);
  const payload: Json = {
    id: snowflake(),
    type: InteractionKind.MessageComponent,
    data: { custom_id: input.customId, component_type: ComponentKind.Button },
    message,
    ...interactionEnvelope(world, where, user.id, input),
  };
  return register(world, payload, { type: InteractionKind.MessageComponent, componentMessageId: message.id }, where, user.id);
}
