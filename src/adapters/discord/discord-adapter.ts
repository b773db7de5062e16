import {
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  InteractionWebhook,
  type GuildMember,
  type Interaction,
  type Message,
  MessageFlags,
  Options,
  type ModalSubmitFields,
  type PartialMessage,
  Partials,
  PermissionFlagsBits,
  type RepliableInteraction,
  Routes,
  type User,
} from 'discord.js';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { ChatAdapter, Delivery, InvocationHandler, PostOnce, ReplyAddress, WorkspaceTarget } from '../../core/chat-adapter';
import type { CommandDefinition } from '../../router/command';
import type { Actor, Conversation, FormValues, Invocation } from '../../core/invocation';
import { APOLOGY, type MessageRef, privateReply, type Reply } from '../../core/reply';
import type { Logger } from '../../logger';
import { registerCommands } from './application-commands';
import { decodeCustomId, FORM_CHOICE_ID, FORM_TEXT_ID, renderForDiscord, renderModal } from './render-discord';
import { channelMention, clip, userMention } from '../../core/format';

export interface DiscordAdapterOptions {
  token: string;
  /** REST base URL: Discord's, a shared REST proxy, or a local fake in tests. */
  apiUrl?: string;
  /** Register commands to this guild only (instant, for trying out); unset registers them globally. */
  guildId?: string;
  /** Defaults to the application the token belongs to. */
  applicationId?: string;
  commands: readonly CommandDefinition[];
  /** Read plain messages for chat logging (needs the privileged Message Content intent). */
  chatLogging: boolean;
  logger: Logger;
  /** Acknowledge an interaction (defer) if its handler has not answered by then; Discord allows 3 s. */
  deferAfterMs?: number;
}

const EPHEMERAL = MessageFlags.Ephemeral;

/** Discord takes answers through an interaction's token for 15 minutes; a little is left for the request itself. */
const INTERACTION_TOKEN_WINDOW_MS = 14 * 60_000;

/** Discord's answer when a message already has a thread. */
const THREAD_ALREADY_CREATED = 160004;

/** Discord takes a nonce of at most 25 characters. */
const NONCE_LENGTH = 25;

/**
 * The nonce a post with this key is sent with: short and the same on every attempt. With enforce_nonce,
 * Discord answers a repeat (same author, channel and nonce, within a few minutes) with the message it
 * already made instead of a second one.
 */
export function discordNonce(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, NONCE_LENGTH);
}

/**
 * Discord through discord.js: slash commands, buttons and chat messages in, rendered Replies out.
 * It translates and renders; every decision is the router's. A failing handler or a lost reply is
 * logged, never allowed to take the client down.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  readonly client: Client;
  private handle?: InvocationHandler;

  constructor(private readonly options: DiscordAdapterOptions) {
    const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages];
    if (options.chatLogging) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
    this.client = new Client({
      intents,
      // Edits and deletes of messages we never cached still arrive, as partials.
      partials: [Partials.Message, Partials.Channel],
      makeCache: Options.cacheWithLimits({
        ...Options.DefaultMakeCacheSettings,
        MessageManager: 0,
        GuildMemberManager: { maxSize: 20, keepOverLimit: (member) => member.id === member.client.user.id },
        UserManager: { maxSize: 100, keepOverLimit: (user) => user.id === user.client.user.id },
        PresenceManager: 0,
        ReactionManager: 0,
        ReactionUserManager: 0,
        GuildEmojiManager: 0,
        GuildStickerManager: 0,
        GuildScheduledEventManager: 0,
        GuildInviteManager: 0,
        GuildBanManager: 0,
        VoiceStateManager: 0,
        StageInstanceManager: 0,
        ThreadMemberManager: 0,
        AutoModerationRuleManager: 0,
        ApplicationCommandManager: 0,
      }),
      sweepers: {
        ...Options.DefaultSweeperSettings,
        users: { interval: 3600, filter: () => (user) => user.id !== user.client.user.id },
      },
      rest: options.apiUrl ? { api: options.apiUrl } : {},
    });
  }

  async start(onInvocation: InvocationHandler): Promise<void> {
    const { client, options } = this;
    this.handle = onInvocation;
    client.on(Events.InteractionCreate, (interaction) => this.guard('interaction', this.onInteraction(interaction)));
    client.on(Events.MessageCreate, (message) => this.guard('message', this.onMessage(message)));
    client.on(Events.MessageUpdate, (_, message) => this.guard('message edit', this.onMessageEdit(message)));
    client.on(Events.MessageDelete, (message) => this.guard('message delete', this.onMessageDelete(message)));
    client.on(Events.Error, (error) => options.logger.error({ err: error }, 'discord client error'));
    client.on(Events.ShardError, (error, shardId) => options.logger.error({ err: error, shardId }, 'discord shard error'));

    const ready = once(client, Events.ClientReady);
    try {
      await client.login(options.token);
    } catch (error) {
      if (error instanceof Error && /disallowed intents/i.test(error.message))
        throw new Error(
          'Discord refused the Message Content intent. Turn it on for the bot in the developer portal (Bot > Privileged Gateway Intents), or set DISCORD_CHAT_LOGGING=false to run without chat logging.',
          { cause: error },
        );
      throw error;
    }
    await ready;
    // With several shards, one registration is enough.
    if (!client.shard || client.shard.ids.includes(0)) {
      const applicationId = options.applicationId ?? client.application!.id;
      const count = await registerCommands(client.rest, { applicationId, guildId: options.guildId }, options.commands);
      options.logger.info({ count, guild: options.guildId ?? 'global' }, 'discord commands registered');
    }
    options.logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord connected');
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  /** The gateway session is up (false while discord.js reconnects). */
  connected(): boolean {
    return this.client.isReady();
  }

  async post(to: Conversation, reply: Reply, once?: PostOnce): Promise<MessageRef> {
    const channel = await this.client.channels.fetch(to.threadId ?? to.channelId);
    if (!channel?.isSendable()) throw new Error(`cannot send to discord channel ${to.channelId}`);
    // Discord answers a repeat within its nonce window (a few minutes) with the first message; a
    // message's nonce cannot be read back later, so there is nothing to look for in the channel.
    const sent = await channel.send({ ...renderForDiscord(reply), ...(once && { nonce: discordNonce(once.key), enforceNonce: true }) });
    return { conversation: to, messageId: sent.id };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    const channel = await this.client.channels.fetch(ref.conversation.threadId ?? ref.conversation.channelId);
    if (!channel?.isTextBased()) throw new Error(`cannot edit in discord channel ${ref.conversation.channelId}`);
    const { files, ...message } = renderForDiscord(reply);
    await channel.messages.edit(ref.messageId, { ...message, ...(files.length && { files }) });
  }

  /**
   * The thread on a message, started with this name the first time: Discord gives a thread started
   * from a message the message's own id, so one started earlier (by another process) is found by it.
   */
  async openThread(ref: MessageRef, name: string): Promise<Conversation> {
    const thread = { ...ref.conversation, threadId: ref.messageId };
    try {
      await this.client.rest.post(Routes.threads(ref.conversation.channelId, ref.messageId), { body: { name: clip(name, 100), auto_archive_duration: 1440 } });
    } catch (error) {
      if (!(error instanceof DiscordAPIError && error.code === THREAD_ALREADY_CREATED)) throw error;
    }
    return thread;
  }

  async directMessage(to: Actor, reply: Reply): Promise<void> {
    const user = await this.client.users.fetch(to.userId);
    await user.send(renderForDiscord(reply));
  }

  /**
   * Where a channel or role lives, from what discord.js already holds: channels and roles arrive with
   * each server at connect and stay cached, so checking before every post costs no request. A channel
   * Discord will not show the bot (unknown, or in a server it is not in) is not in the server.
   */
  async inWorkspace(workspaceId: string, target: WorkspaceTarget): Promise<boolean> {
    if ('roleId' in target) {
      const guild = this.client.guilds.cache.get(workspaceId);
      if (!guild) return false;
      return guild.roles.cache.has(target.roleId) || (await guild.roles.fetch(target.roleId).catch(hiddenAs(null))) !== null;
    }
    // A channel of a server this process does not hold is read to learn its server, but not kept.
    const options = { allowUnknownGuild: true, cache: false };
    const channel = await this.client.channels.fetch(target.threadId ?? target.channelId, options).catch(hiddenAs(null));
    if (!channel) return false;
    const guildId = 'guildId' in channel ? channel.guildId : null;
    return (guildId ?? 'dm') === workspaceId;
  }

  /** Runs an event handler so that its failure is logged and the client carries on. */
  private guard(what: string, work: Promise<unknown>): void {
    work.catch((error: unknown) => this.options.logger.error({ err: error }, `discord ${what} failed`));
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (!interaction.isRepliable()) return;
    const actor = actorOf({
      guildId: interaction.guildId,
      user: interaction.user,
      nickname: nicknameOf(interaction.member),
      permissions: interaction.memberPermissions,
    });
    const base = { actor, conversation: conversationOf(interaction), idempotencyKey: `discord:interaction:${interaction.id}` };
    let invocation: Invocation | undefined;
    if (interaction.isChatInputCommand()) {
      invocation = { ...base, kind: 'command', name: interaction.commandName, args: { values: optionValues(interaction) } };
    } else if (interaction.isButton()) {
      invocation = { ...base, kind: 'button', ...decodeCustomId(interaction.customId) };
    } else if (interaction.isModalSubmit()) {
      invocation = { ...base, kind: 'form', ...decodeCustomId(interaction.customId), values: modalValues(interaction.fields) };
    }
    if (!invocation) return this.complete(interaction, privateReply("I don't know what to do with that."));
    // Discord's first response is the acknowledgement: it waits until the invocation is stored, then comes
    // at once if the handler is quick, otherwise as a private deferral after deferAfterMs.
    let deferral: Promise<unknown> | undefined;
    let timer: NodeJS.Timeout | undefined;
    let answered = false;
    let acknowledged = false;
    const delivery: Delivery = {
      acknowledge: async () => {
        acknowledged = true;
        timer = setTimeout(() => {
          deferral = interaction.deferReply({ flags: EPHEMERAL });
        }, this.options.deferAfterMs ?? 2000);
      },
      answer: async (reply) => {
        answered = true;
        clearTimeout(timer);
        await this.complete(interaction, reply ?? privateReply('Done.'), deferral);
      },
      replyTo: { applicationId: interaction.applicationId, token: interaction.token },
    };
    try {
      // A handler that answers by returning a Reply (without the delivery) is answered for here; one that
      // returns nothing has left the answer to another process.
      const returned = await this.handle!(invocation, delivery);
      if (!answered && returned) {
        if (!acknowledged) await delivery.acknowledge();
        await delivery.answer(returned);
      }
    } catch (error) {
      this.options.logger.error({ err: error, interaction: interaction.id }, 'discord handler failed');
      if (!answered) await delivery.answer(privateReply(APOLOGY));
    }
  }

  /**
   * Sends the answer: directly, or into the private deferral when there was one. A public answer to a
   * deferred interaction is posted as a follow-up and the private placeholder removed. Rejects when
   * Discord did not take it, so the inbox tries again later.
   */
  private async complete(interaction: RepliableInteraction, reply: Reply, deferral?: Promise<unknown>): Promise<void> {
    const message = renderForDiscord(reply);
    const isPrivate = reply.visibility === 'private';
    try {
      // A form opens as the interaction's first answer; one already deferred can only say to press again.
      if (reply.form && !deferral && 'showModal' in interaction) {
        await interaction.showModal(renderModal(reply.form));
        return;
      }
      if (reply.form) {
        await deferral;
        await interaction.editReply(renderForDiscord(privateReply('That took me too long to open the form. Please press the button again.')));
        return;
      }
      if (!deferral) {
        await interaction.reply({ ...message, ...(isPrivate && { flags: EPHEMERAL }) });
      } else {
        await deferral;
        if (isPrivate) {
          await interaction.editReply(message);
        } else {
          await interaction.followUp(message);
          await interaction.deleteReply();
        }
      }
    } catch (error) {
      this.options.logger.error({ err: error, interaction: interaction.id }, 'discord reply lost');
      throw error;
    }
  }

  /**
   * Answers an interaction an earlier process received, while its token lasts (15 minutes): into the
   * deferral it left loading. An interaction never acknowledged cannot be answered (Discord has already
   * told the person it failed), and one already answered needs nothing more.
   */
  async answerLater(replyTo: ReplyAddress, ageMs: number, reply: Reply): Promise<boolean> {
    const { applicationId, token } = replyTo;
    if (!applicationId || !token || ageMs > INTERACTION_TOKEN_WINDOW_MS || !this.client.isReady()) return false;
    const webhook = new InteractionWebhook(this.client, applicationId, token);
    const original = await webhook.fetchMessage('@original').catch(hiddenAs(null));
    if (!original) return false;
    if (!original.flags.has(MessageFlags.Loading)) return true;
    await webhook.editMessage('@original', renderForDiscord(reply));
    return true;
  }

  private async onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.system || !message.inGuild() || !message.content) return;
    const reply = await this.handle!({
      kind: 'message',
      messageId: message.id,
      text: message.content,
      actor: messageActor(message),
      conversation: conversationOf(message),
      idempotencyKey: `discord:message:${message.id}`,
    });
    await this.acknowledge(message, reply);
  }

  private async onMessageEdit(updated: Message | PartialMessage): Promise<void> {
    const message = updated.partial ? await updated.fetch() : updated;
    if (message.author.bot || !message.inGuild()) return;
    const reply = await this.handle!({
      kind: 'message-edited',
      messageId: message.id,
      text: message.content,
      actor: messageActor(message),
      conversation: conversationOf(message),
      idempotencyKey: `discord:edit:${message.id}:${message.editedTimestamp ?? 0}`,
    });
    await this.acknowledge(message, reply);
  }

  private async onMessageDelete(message: Message | PartialMessage): Promise<void> {
    if (!message.guildId) return;
    await this.handle!({
      kind: 'message-deleted',
      messageId: message.id,
      actor: { platform: 'discord', workspaceId: message.guildId, userId: message.author?.id ?? 'unknown', displayName: '', isAdmin: false },
      conversation: conversationOf(message),
      idempotencyKey: `discord:delete:${message.id}`,
    });
  }

  /** A chat message's answer: a reaction, or the reason it could not be logged, as privately as Discord allows. */
  private async acknowledge(message: Message, reply: Reply | void): Promise<void> {
    if (!reply) return;
    if (reply.reaction) {
      await message.react(reply.reaction);
      return;
    }
    const rendered = renderForDiscord(reply);
    try {
      await message.author.send(rendered);
    } catch {
      // Direct messages closed: answer in the channel, addressed to the author without pinging them.
      await message.reply(rendered);
    }
  }
}

/** Discord's answer for something the bot may not see (unknown, or no access) becomes `value`; other failures stay failures. */
function hiddenAs<T>(value: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 404)) return value;
    throw error;
  };
}

interface ActorSource {
  guildId: string | null;
  user: User;
  /** The member's server nickname, when there is one. */
  nickname?: string | null;
  permissions: Readonly<{ has(bit: bigint): boolean }> | null;
}

function actorOf({ guildId, user, nickname, permissions }: ActorSource): Actor {
  return {
    platform: 'discord',
    workspaceId: guildId ?? 'dm',
    userId: user.id,
    displayName: nickname || user.globalName || user.username,
    isAdmin: permissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

function messageActor(message: Message): Actor {
  return actorOf({ guildId: message.guildId, user: message.author, nickname: message.member?.nickname, permissions: message.member?.permissions ?? null });
}

/** The server nickname, from a cached GuildMember or the raw member an interaction carries. */
function nicknameOf(member: GuildMember | { nick?: string | null } | null): string | null {
  if (!member) return null;
  return 'nickname' in member ? member.nickname : (member.nick ?? null);
}

function conversationOf(source: { guildId: string | null; channelId: string | null; channel: { isThread(): boolean; parentId?: string | null } | null }): Conversation {
  const channelId = source.channelId ?? 'unknown';
  if (!source.guildId) return { platform: 'discord', workspaceId: 'dm', channelId, isDirect: true };
  const thread = source.channel?.isThread() ? source.channel.parentId : null;
  return thread
    ? { platform: 'discord', workspaceId: source.guildId, channelId: thread, threadId: channelId }
    : { platform: 'discord', workspaceId: source.guildId, channelId };
}

/** A modal's values as a form's: the text field, and the first chosen option of the choice. */
function modalValues(fields: ModalSubmitFields): FormValues {
  const text = fields.fields.has(FORM_TEXT_ID) ? fields.getTextInputValue(FORM_TEXT_ID) : '';
  const choice = fields.fields.has(FORM_CHOICE_ID) ? (fields.getStringSelectValues(FORM_CHOICE_ID)[0] ?? '') : '';
  return { text, choice };
}

/** Slash-command option values as the router expects them: people and channels as mentions. */
function optionValues(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of interaction.options.data) {
    if (option.user) values[option.name] = userMention(option.user.id);
    else if (option.channel) values[option.name] = channelMention(option.channel.id);
    else if (option.value !== undefined) values[option.name] = option.value;
  }
  return values;
}
