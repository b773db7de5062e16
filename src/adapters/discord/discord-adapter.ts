import {
  Client,
  DiscordAPIError,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type APIInteraction,
  type Message,
  Options,
  type PartialMessage,
  Partials,
  PermissionFlagsBits,
  REST,
  Routes,
  type User,
} from 'discord.js';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { ChatAdapter, InvocationHandler, PostOnce, ReplyAddress, WorkspaceTarget } from '../../core/chat-adapter';
import type { CommandDefinition } from '../../router/command';
import type { Actor, Conversation } from '../../core/invocation';
import type { MessageRef, Reply } from '../../core/reply';
import type { HttpRoutes } from '../../http/http-server';
import type { Logger } from '../../logger';
import { registerCommands } from './application-commands';
import { callbackAnswer, hiddenAs, InteractionAnswers, isRepliable } from './discord-interactions';
import { discordPublicKey, INTERACTIONS_MOUNT, interactionsEndpoint } from './interactions-endpoint';
import { renderForDiscord } from './render-discord';
import { RestPosts } from './rest-posts';
import { clip } from '../../core/format';

export interface DiscordAdapterOptions {
  token: string;
  /** REST base URL: Discord's, a shared REST proxy, or a local fake in tests. */
  apiUrl?: string;
  /** Register commands to this guild only (instant, for trying out); unset registers them globally. */
  guildId?: string;
  /** Defaults to the application the token belongs to. */
  applicationId?: string;
  commands: readonly CommandDefinition[];
  /** Read plain messages for chat logging (needs the privileged Message Content intent and the gateway). */
  chatLogging: boolean;
  /**
   * Connect to the gateway (default true). Without it nothing arrives but what the interactions
   * endpoint takes, there is no chat logging, and the bot's own posts go over REST.
   */
  gateway?: boolean;
  /** The application's public key (hex): serve Discord's interactions endpoint on `http` under /discord. */
  publicKey?: string;
  /** The bot's HTTP server, where the interactions endpoint is mounted. */
  http?: HttpRoutes;
  logger: Logger;
  /** Acknowledge an interaction (defer) if its handler has not answered by then; Discord allows 3 s. */
  deferAfterMs?: number;
}

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
 * Discord through discord.js: slash commands, buttons and forms in (over the gateway, or over HTTP
 * through the interactions endpoint, both answered by `InteractionAnswers`), chat messages in over the
 * gateway, rendered Replies out. It translates and renders; every decision is the router's. A failing
 * handler or a lost reply is logged, never allowed to take the client down.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  /** The gateway client; absent when the adapter runs over HTTP only. */
  readonly client?: Client;
  private readonly rest: REST;
  private readonly answers: InteractionAnswers;
  /** Posts over REST alone, for a process without the gateway. */
  private readonly restPosts?: RestPosts;
  private handle?: InvocationHandler;
  /** Without the gateway: the interactions endpoint is mounted and the commands registered. */
  private serving = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    if (options.gateway === false) {
      this.rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
      this.restPosts = new RestPosts(this.rest);
    } else {
      this.client = gatewayClient(options);
      this.rest = this.client.rest;
    }
    this.answers = new InteractionAnswers({ rest: this.rest, logger: options.logger, deferAfterMs: options.deferAfterMs });
  }

  async start(onInvocation: InvocationHandler): Promise<void> {
    const { client, options } = this;
    this.handle = onInvocation;
    if (options.publicKey) {
      if (!options.http) throw new Error('the Discord interactions endpoint needs the bot HTTP server');
      const endpoint = interactionsEndpoint({
        publicKey: discordPublicKey(options.publicKey),
        now: () => Date.now(),
        logger: options.logger,
        onInteraction: (interaction, first) => this.answers.run(interaction, first, onInvocation),
      });
      options.http.mount(INTERACTIONS_MOUNT, endpoint);
    }
    if (!client) {
      const applicationId = options.applicationId ?? ((await this.rest.get(Routes.currentApplication())) as { id: string }).id;
      await this.register(applicationId);
      this.serving = true;
      options.logger.info({ gateway: false }, 'discord connected');
      return;
    }
    // Interactions are taken as Discord sends them, so the gateway and the HTTP endpoint read the same payload.
    client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction: APIInteraction) => {
      if (isRepliable(interaction)) this.guard('interaction', this.answers.run(interaction, callbackAnswer(this.rest, interaction), onInvocation));
    });
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
    if (!client.shard || client.shard.ids.includes(0)) await this.register(options.applicationId ?? client.application!.id);
    options.logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord connected');
  }

  private async register(applicationId: string): Promise<void> {
    const { options } = this;
    const count = await registerCommands(this.rest, { applicationId, guildId: options.guildId }, options.commands);
    options.logger.info({ count, guild: options.guildId ?? 'global' }, 'discord commands registered');
  }

  async stop(): Promise<void> {
    this.serving = false;
    await this.client?.destroy();
  }

  /** The gateway session is up (false while discord.js reconnects); without the gateway, the endpoint is served. */
  connected(): boolean {
    return this.client ? this.client.isReady() : this.serving;
  }

  async post(to: Conversation, reply: Reply, once?: PostOnce): Promise<MessageRef> {
    const nonce = once && discordNonce(once.key);
    if (this.restPosts) return { conversation: to, messageId: await this.restPosts.post(to.threadId ?? to.channelId, reply, nonce) };
    const channel = await this.client!.channels.fetch(to.threadId ?? to.channelId);
    if (!channel?.isSendable()) throw new Error(`cannot send to discord channel ${to.channelId}`);
    // Discord answers a repeat within its nonce window (a few minutes) with the first message; a
    // message's nonce cannot be read back later, so there is nothing to look for in the channel.
    const sent = await channel.send({ ...renderForDiscord(reply), ...(nonce && { nonce, enforceNonce: true }) });
    return { conversation: to, messageId: sent.id };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    const channelId = ref.conversation.threadId ?? ref.conversation.channelId;
    if (this.restPosts) return this.restPosts.edit(channelId, ref.messageId, reply);
    const channel = await this.client!.channels.fetch(channelId);
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
      await this.rest.post(Routes.threads(ref.conversation.channelId, ref.messageId), { body: { name: clip(name, 100), auto_archive_duration: 1440 } });
    } catch (error) {
      if (!(error instanceof DiscordAPIError && error.code === THREAD_ALREADY_CREATED)) throw error;
    }
    return thread;
  }

  async directMessage(to: Actor, reply: Reply): Promise<void> {
    if (this.restPosts) return this.restPosts.directMessage(to.userId, reply);
    const user = await this.client!.users.fetch(to.userId);
    await user.send(renderForDiscord(reply));
  }

  /**
   * Where a channel or role lives. Over the gateway, from what discord.js already holds: channels and
   * roles arrive with each server at connect and stay cached, so checking before every post costs no
   * request; without it, from REST, remembered for a while. A channel Discord will not show the bot
   * (unknown, or in a server it is not in) is not in the server.
   */
  async inWorkspace(workspaceId: string, target: WorkspaceTarget): Promise<boolean> {
    if (this.restPosts) return this.restPosts.inWorkspace(workspaceId, target);
    const client = this.client!;
    if ('roleId' in target) {
      const guild = client.guilds.cache.get(workspaceId);
      if (!guild) return false;
      return guild.roles.cache.has(target.roleId) || (await guild.roles.fetch(target.roleId).catch(hiddenAs(null))) !== null;
    }
    // A channel of a server this process does not hold is read to learn its server, but not kept.
    const options = { allowUnknownGuild: true, cache: false };
    const channel = await client.channels.fetch(target.threadId ?? target.channelId, options).catch(hiddenAs(null));
    if (!channel) return false;
    const guildId = 'guildId' in channel ? channel.guildId : null;
    return (guildId ?? 'dm') === workspaceId;
  }

  /** Answers an interaction an earlier process (or this one, over the other path) received, while its token lasts. */
  answerLater(replyTo: ReplyAddress, ageMs: number, reply: Reply): Promise<boolean> {
    return this.answers.answerLater(replyTo, ageMs, reply);
  }

  /** Runs an event handler so that its failure is logged and the client carries on. */
  private guard(what: string, work: Promise<unknown>): void {
    work.catch((error: unknown) => this.options.logger.error({ err: error }, `discord ${what} failed`));
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

/** The discord.js client for the gateway, with caches kept small so memory does not grow with servers. */
function gatewayClient(options: DiscordAdapterOptions): Client {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages];
  if (options.chatLogging) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  return new Client({
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

function messageActor(message: Message): Actor {
  const user: User = message.author;
  return {
    platform: 'discord',
    workspaceId: message.guildId ?? 'dm',
    userId: user.id,
    displayName: message.member?.nickname || user.globalName || user.username,
    isAdmin: message.member?.permissions.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

function conversationOf(source: { guildId: string | null; channelId: string | null; channel: { isThread(): boolean; parentId?: string | null } | null }): Conversation {
  const channelId = source.channelId ?? 'unknown';
  if (!source.guildId) return { platform: 'discord', workspaceId: 'dm', channelId, isDirect: true };
  const thread = source.channel?.isThread() ? source.channel.parentId : null;
  return thread
    ? { platform: 'discord', workspaceId: source.guildId, channelId: thread, threadId: channelId }
    : { platform: 'discord', workspaceId: source.guildId, channelId };
}
