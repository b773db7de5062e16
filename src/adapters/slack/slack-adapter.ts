import { App, type BlockAction, ErrorCode as BoltErrorCode, type ButtonAction, HTTPReceiver, type RespondFn, type SlackCommandMiddlewareArgs, SocketModeReceiver, type ViewSubmitAction } from '@slack/bolt';
import { ErrorCode as OAuthErrorCode, type StateStore } from '@slack/oauth';
import { WebAPIPlatformError, WebClient, type WebClientOptions } from '@slack/web-api';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { type ChatAdapter, type Delivery, type InvocationHandler, type PostOnce, type ReplyAddress, WorkspaceNotInstalledError, type WorkspaceTarget } from '../../core/chat-adapter';
import type { CommandDefinition } from '../../router/command';
import type { Actor, Conversation, Invocation } from '../../core/invocation';
import { type MessageRef, privateReply, type Reply, type ReplyForm } from '../../core/reply';
import { HttpServer, type HttpRoutes } from '../../http/http-server';
import type { Logger } from '../../logger';
import { ChannelSendQueue } from '../send-queue';
import { boltLogger } from './bolt-logger';
import { actionFromId, FORM_CHOICE_ID, FORM_TEXT_ID, readSlackText, renderForSlack, renderSlackModal, slackReactionName } from './render-slack';
import { OrgInstallRefusedError, type SlackInstallationStore } from './installation-store';
import { guardSignedRequests } from './signed-request-guard';
import { commandNameFromSlack } from './slack-commands';

/** Serving any number of workspaces, each installed through Slack's OAuth flow by Bolt's own installer. */
export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** Where installations (their tokens sealed) are kept; Bolt's authorize reads each request's workspace from it. */
  installations: SlackInstallationStore;
  /** How the state parameter is made and checked (SingleUseStateStore); Bolt signs its own with stateSecret without it. */
  stateStore?: StateStore;
  scopes: readonly string[];
  /** PUBLIC_URL's /slack/oauth_redirect; unset, Slack uses the app's only redirect URL. */
  redirectUri?: string;
}

export interface SlackAdapterOptions {
  /** One workspace, with its bot token; or `oauth`, for every workspace that installs the app. */
  botToken?: string;
  oauth?: SlackOAuthOptions;
  signingSecret: string;
  /** Set: Socket Mode (no public URL needed). Unset: Bolt's HTTP receiver at /slack/events. */
  appToken?: string;
  /** The bot's HTTP server, where /slack/* is mounted; without one, the adapter serves its own on `port`. */
  http?: HttpRoutes;
  port?: number;
  host?: string;
  /** Web API base URL: Slack's, a proxy, or a local fake in tests. */
  apiUrl?: string;
  commandPrefix?: string;
  commands: readonly CommandDefinition[];
  logger: Logger;
  /** Spacing between posts to one channel (Slack allows about one per second). */
  postIntervalMs?: number;
  /** How long a users.info answer (admin or not, display name) is trusted. */
  userCacheMs?: number;
  retryConfig?: WebClientOptions['retryConfig'];
}

interface SlackUser {
  displayName: string;
  isAdmin: boolean;
  expires: number;
}

/** Where Slack sends commands, buttons and events over HTTP. */
const EVENTS_PATH = '/slack/events';
/** Where "Add to Slack" starts (a redirect to Slack, with the state cookie), and where Slack sends the installer back. */
export const INSTALL_PATH = '/slack/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/** How long a channel's teams are trusted (a channel is rarely shared or unshared). */
const CHANNEL_TEAMS_CACHE_MS = 10 * 60_000;

/** The metadata event type of a post made with a key; its payload names the key. */
const POST_EVENT_TYPE = 'inkwell_post';

/** A message Slack returned with the metadata of a post made with a key. */
const keyedPost = z.object({ ts: z.string(), metadata: z.object({ event_type: z.literal(POST_EVENT_TYPE), event_payload: z.object({ key: z.string() }) }) });

/**
 * How far a retried post looks for an earlier attempt: the channel's messages since the post was due,
 * newest first, at most this many pages of this many. Only retries look, so a first post costs nothing.
 */
const LOOK_BACK_PAGE_SIZE = 200;
const LOOK_BACK_PAGES = 5;

/** How long the lookup of who sent a command may take before its ack (Slack allows 3 seconds in all). */
const ACTOR_LOOKUP_MS = 1500;

/** Slack takes answers through a response_url for 30 minutes; a little is left for the request itself. */
const RESPONSE_URL_WINDOW_MS = 29 * 60_000;

/** Slack message events that are someone writing, editing or deleting a message (not joins, bots, etc.). */
const HANDLED_SUBTYPES = new Set([undefined, 'message_changed', 'message_deleted', 'thread_broadcast', 'file_share']);

/**
 * Slack through Bolt: slash commands, Block Kit buttons and channel messages in, Block Kit out.
 * Every request is acknowledged at once; the answer follows through response_url or the Web API.
 * Over HTTP, a request signed more than five minutes off (either way), forged or unreadable is refused
 * before Bolt sees it (signed-request-guard.ts); Bolt checks the signature again.
 */
export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  readonly app: App;
  private handle?: InvocationHandler;
  /** Its own server, when the bot gave it none. */
  private ownServer?: HttpServer;
  private routes?: HttpRoutes;
  private readonly receiver?: HTTPReceiver;
  private readonly socketReceiver?: SocketModeReceiver;
  private serving = false;
  private readonly users = new Map<string, SlackUser>();
  /**
   * The teams each channel belongs to, as each workspace's token sees it (conversations.info, cached, by
   * workspace and channel), for the check before every post.
   */
  private readonly channelTeams = new Map<string, { teams: string[]; expires: number }>();
  /** With OAuth: a client per installed workspace, made again when its token changes (a reinstall). */
  private readonly workspaceClients = new Map<string, { token: string; client: WebClient }>();
  private readonly clientOptions: WebClientOptions;
  private readonly queue: ChannelSendQueue;

  constructor(private readonly options: SlackAdapterOptions) {
    if (Boolean(options.botToken) === Boolean(options.oauth)) throw new Error('the Slack adapter needs either a bot token or OAuth settings');
    if (options.oauth && options.appToken) throw new Error('installing through OAuth is served over HTTP, not Socket Mode');
    this.queue = new ChannelSendQueue(options.postIntervalMs ?? 1000);
    const logger = boltLogger(options.logger);
    const clientOptions: WebClientOptions = {
      ...(options.apiUrl && { slackApiUrl: options.apiUrl }),
      ...(options.retryConfig && { retryConfig: options.retryConfig }),
    };
    this.clientOptions = { ...clientOptions, logger };
    const { oauth } = options;
    // Over HTTP, Bolt's receiver is served by our own server, behind the guard (see start). With OAuth it
    // holds Bolt's installer, whose authorize the App then answers every request with.
    if (oauth) {
      this.receiver = new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: EVENTS_PATH,
        logger,
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        stateSecret: oauth.stateSecret,
        scopes: [...oauth.scopes],
        installationStore: oauth.installations,
        ...(oauth.redirectUri && { redirectUri: oauth.redirectUri }),
        installerOptions: {
          installPath: INSTALL_PATH,
          redirectUriPath: OAUTH_REDIRECT_PATH,
          // /slack/install sends the browser straight on to Slack: the README's "Add to Slack" link points at it.
          directInstall: true,
          ...(oauth.stateStore && { stateStore: oauth.stateStore }),
          clientOptions,
          callbackOptions: {
            success: (installation, _options, _request, response) => this.installed(installation.team?.id, installation.appId, response),
            failure: (error, _options, _request, response) => this.installFailed(error, response),
          },
        },
      });
    } else if (!options.appToken) {
      this.receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: EVENTS_PATH, logger });
    } else {
      // Made here rather than by Bolt (as Bolt would make it), so that readiness can ask its socket.
      this.socketReceiver = new SocketModeReceiver({ appToken: options.appToken, logger, installerOptions: { clientOptions } });
    }
    this.app = new App({
      ...(options.botToken && { token: options.botToken }),
      logger,
      clientOptions,
      receiver: this.receiver ?? this.socketReceiver,
    });
  }

  /** Where the HTTP receiver listens (after start; undefined in Socket Mode). */
  get address(): AddressInfo | undefined {
    return this.routes?.address;
  }

  async start(onInvocation: InvocationHandler): Promise<void> {
    this.handle = onInvocation;
    const { app, options } = this;
    // Every command, ours or one an outdated manifest still sends, goes to the router, which explains unknown ones.
    app.command(/^\/.+/, (args) => this.guard('command', this.onCommand(args)));
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, action, body, respond, client }) => {
      await this.guard('button', this.onButton(client, action, body, () => ack(), respond));
    });
    app.view<ViewSubmitAction>({ type: 'view_submission' }, async ({ ack, body, client }) => {
      await this.guard('form', this.onViewSubmission(client, body, () => ack()));
    });
    app.event('message', async ({ event, body, context, client }) => {
      await this.guard('message', this.onMessage(client, event as unknown as SlackMessageEvent, body.team_id ?? String(context.teamId), String(body.event_id)));
    });
    if (options.oauth) {
      // Bolt skips authorize for these two: the workspace's token is already gone on Slack's side.
      app.event('app_uninstalled', async ({ body, context }) => {
        await this.guard('uninstall', this.uninstalled(body.team_id ?? String(context.teamId), 'app_uninstalled'));
      });
      app.event('tokens_revoked', async ({ event, body, context }) => {
        if (event.tokens.bot?.length) await this.guard('uninstall', this.uninstalled(body.team_id ?? String(context.teamId), 'tokens_revoked'));
      });
    }
    app.error(async (error) => {
      // With OAuth, a request from a workspace without an installation (or whose token no longer opens) is not served.
      if (error.code === BoltErrorCode.AuthorizationError) options.logger.warn({ reason: error.message }, 'slack request not served: no usable installation for its workspace');
      else options.logger.error({ err: error }, 'slack app error');
    });
    if (this.receiver) {
      await this.serve(this.receiver);
    } else {
      await app.start();
    }
    this.serving = true;
    options.logger.info({ mode: options.appToken ? 'socket' : options.oauth ? 'http, installed through OAuth' : 'http', port: this.address?.port }, 'slack connected');
  }

  /** Over HTTP, once its endpoint is served; in Socket Mode, while the socket is open. */
  connected(): boolean {
    if (this.socketReceiver) return this.serving && this.socketReceiver.client.websocket?.isActive() === true;
    return this.serving;
  }

  async stop(): Promise<void> {
    this.serving = false;
    if (!this.receiver) {
      await this.app.stop();
      return;
    }
    // The bot's server is the bot's to close; only one of the adapter's own is closed here.
    const own = this.ownServer;
    this.ownServer = undefined;
    await own?.close();
  }

  /** Serves Bolt's receiver at /slack/*, each request screened first: on the bot's server, or on one of its own on `port`. */
  private async serve(receiver: HTTPReceiver): Promise<void> {
    const { options } = this;
    const listener = guardSignedRequests(receiver.requestListener, { signingSecret: options.signingSecret, endpoint: EVENTS_PATH, now: () => Date.now(), logger: options.logger });
    if (options.http) {
      options.http.mount('/slack', listener);
      this.routes = options.http;
      return;
    }
    const own = new HttpServer(options.logger);
    own.mount('/slack', listener);
    await own.listen(options.port ?? 3000, options.host);
    this.ownServer = own;
    this.routes = own;
  }

  /**
   * A post with a key carries it in its metadata. Slack has no idempotent post, so a retry of one that
   * may have landed (its process died before recording it) looks for the key in the channel first.
   */
  async post(to: Conversation, reply: Reply, once?: PostOnce): Promise<MessageRef> {
    if (once?.earlierAttemptSince !== undefined) {
      const earlier = await this.findPosted(to, once.key, once.earlierAttemptSince);
      if (earlier) return { conversation: to, messageId: earlier };
    }
    const ts = await this.send(await this.clientFor(to.workspaceId), to.channelId, reply, to.threadId, once?.key);
    return { conversation: to, messageId: ts };
  }

  /**
   * The client for a workspace's own posts: the one token in single-workspace mode; with OAuth, the
   * workspace's installation, or WorkspaceNotInstalledError when it has none (it uninstalled the app).
   */
  private async clientFor(workspaceId: string): Promise<WebClient> {
    const { oauth } = this.options;
    if (!oauth) return this.app.client;
    const token = await oauth.installations.botToken(workspaceId);
    if (!token) {
      this.workspaceClients.delete(workspaceId);
      throw new WorkspaceNotInstalledError({ platform: 'slack', workspaceId });
    }
    let known = this.workspaceClients.get(workspaceId);
    if (known?.token !== token) {
      known = { token, client: new WebClient(token, { ...this.clientOptions, teamId: workspaceId }) };
      this.workspaceClients.set(workspaceId, known);
    }
    return known.client;
  }

  /** Slack sent the installer back and the installation is stored: on to the app in Slack, as Bolt's own page does. */
  private installed(teamId: string | undefined, appId: string | undefined, response: ServerResponse): void {
    this.forgetWorkspace(teamId ?? '');
    const where = teamId && appId ? `slack://app?team=${encodeURIComponent(teamId)}&id=${encodeURIComponent(appId)}` : 'slack://open';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(installPage('Inkwell is installed', `Inkwell is in your workspace now. Run <code>/setup</code> in the channel your group writes in.</p><p><a href="${where}">Open Slack</a>`));
  }

  private installFailed(error: Error & { code?: string }, response: ServerResponse): void {
    this.options.logger.warn({ reason: error.code ?? 'unknown', message: error.message }, 'slack installation not completed');
    const [status, why] = installFailure(error);
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    response.end(installPage('Installation not completed', `${why} Please start again from <a href="${INSTALL_PATH}">Add to Slack</a>.`));
  }

  /** The workspace removed the app or its token: the token is deleted, so its groups stop posting until it installs again. */
  private async uninstalled(teamId: string, why: string): Promise<void> {
    await this.options.oauth!.installations.forget(teamId);
    this.forgetWorkspace(teamId);
    this.options.logger.info({ workspace: teamId, event: why }, "slack workspace's token deleted; its groups' data stays until it is reinstalled or removed");
  }

  /** Drops what was learned with a workspace's old token (its client, which channels it sees). */
  private forgetWorkspace(teamId: string): void {
    this.workspaceClients.delete(teamId);
    for (const key of this.channelTeams.keys()) if (key.startsWith(`${teamId}:`)) this.channelTeams.delete(key);
  }

  /** The ts of a message posted in the conversation since `since` whose metadata names `key`, if one is among the latest. */
  private async findPosted(to: Conversation, key: string, since: number): Promise<string | undefined> {
    const client = await this.clientFor(to.workspaceId);
    const window = { channel: to.channelId, oldest: (since / 1000).toFixed(6), include_all_metadata: true, limit: LOOK_BACK_PAGE_SIZE };
    let cursor: string | undefined;
    for (let page = 0; page < LOOK_BACK_PAGES; page++) {
      const more = cursor ? { cursor } : {};
      const { messages = [], has_more, response_metadata } = to.threadId
        ? await client.conversations.replies({ ...window, ts: to.threadId, ...more })
        : await client.conversations.history({ ...window, ...more });
      for (const message of messages) {
        const posted = keyedPost.safeParse(message);
        if (posted.success && posted.data.metadata.event_payload.key === key) return posted.data.ts;
      }
      cursor = response_metadata?.next_cursor;
      if (!has_more || !cursor) return undefined;
    }
    return undefined;
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    const client = await this.clientFor(ref.conversation.workspaceId);
    await client.chat.update({ channel: ref.conversation.channelId, ts: ref.messageId, ...renderForSlack(reply) });
  }

  async directMessage(to: Actor, reply: Reply): Promise<void> {
    const client = await this.clientFor(to.workspaceId);
    const opened = await client.conversations.open({ users: to.userId });
    await this.send(client, opened.channel!.id!, reply);
  }

  /**
   * Whether a channel belongs to the team: its own team, or one it is shared with (conversations.info,
   * kept for a few minutes, so posts do not each ask). A channel Slack will not show the bot is in no
   * team; Slack has no roles.
   */
  async inWorkspace(workspaceId: string, target: WorkspaceTarget): Promise<boolean> {
    if ('roleId' in target) return false;
    const now = Date.now();
    // Asked with the workspace's own token: a channel only another workspace's token can see is in no team.
    const cacheKey = `${workspaceId}:${target.channelId}`;
    let known = this.channelTeams.get(cacheKey);
    if (!known || known.expires < now) {
      known = { teams: await this.teamsOf(await this.clientFor(workspaceId), target.channelId), expires: now + CHANNEL_TEAMS_CACHE_MS };
      // A channel not found may be found once the bot is invited: only what Slack showed is kept.
      if (known.teams.length) this.channelTeams.set(cacheKey, known);
    }
    return known.teams.includes(workspaceId);
  }

  private async teamsOf(client: WebClient, channel: string): Promise<string[]> {
    try {
      const { channel: info } = await client.conversations.info({ channel });
      const teams = [info?.context_team_id, ...(info?.shared_team_ids ?? []), ...(info?.internal_team_ids ?? [])];
      return teams.filter((team): team is string => Boolean(team));
    } catch (error) {
      if (error instanceof WebAPIPlatformError && error.data.error === 'channel_not_found') return [];
      throw error;
    }
  }

  /** Runs a handler so that its failure is logged and Bolt carries on. */
  private async guard(what: string, work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (error) {
      this.options.logger.error({ err: error }, `slack ${what} failed`);
    }
  }

  private async onCommand({ command, ack, respond, client }: SlackCommandMiddlewareArgs & { client: WebClient }): Promise<void> {
    const conversation = conversationOf(command.team_id, command.channel_id);
    // The invocation is stored before the ack, so who is asking is looked up first, within a bound that keeps Slack's 3 seconds.
    const actor = await this.actorBefore(client, command.team_id, command.user_id, command.user_name);
    await this.handOver(
      {
        kind: 'command',
        name: commandNameFromSlack(command.command, this.options.commands, this.options.commandPrefix),
        args: { text: readSlackText(command.text) },
        actor,
        conversation,
        idempotencyKey: `slack:command:${command.trigger_id}`,
      },
      { acknowledge: () => ack(), answer: (reply) => this.answer(client, respond, conversation, command.user_id, reply), replyTo: { responseUrl: command.response_url } },
    );
  }

  private async onButton(client: WebClient, action: ButtonAction, body: BlockAction, ack: () => Promise<void>, respond: RespondFn): Promise<void> {
    if (action.url) return ack(); // a link button: Slack opened the link, nothing to do
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const conversation = conversationOf(teamId, body.channel?.id ?? body.user.id);
    const actor = await this.actorBefore(client, teamId, body.user.id, body.user.name);
    await this.handOver(
      {
        kind: 'button',
        action: actionFromId(action.action_id),
        payload: action.value ?? '',
        actor,
        conversation,
        idempotencyKey: `slack:action:${body.trigger_id}:${action.action_ts}`,
      },
      {
        acknowledge: () => ack(),
        // A form opens as a modal, through the click's trigger_id (good for 3 seconds).
        answer: (reply) =>
          reply?.form ? this.openForm(client, body.trigger_id, reply.form, conversation, respond) : this.answer(client, respond, conversation, body.user.id, reply),
        ...(body.response_url && { replyTo: { responseUrl: body.response_url } }),
      },
    );
  }

  private async openForm(client: WebClient, triggerId: string, form: ReplyForm, conversation: Conversation, respond: RespondFn): Promise<void> {
    try {
      await client.views.open({ trigger_id: triggerId, view: renderSlackModal(form, JSON.stringify({ channel: conversation.channelId })) as never });
    } catch (error) {
      this.options.logger.warn({ err: error, channel: conversation.channelId }, 'slack form not opened');
      await respond({ response_type: 'ephemeral', ...renderForSlack(privateReply('I could not open the form in time. Please press the button again.')) });
    }
  }

  /**
   * A modal sent back: its values as a form's, in the channel its button was pressed in (kept in the
   * view's private_metadata). The view is acknowledged (closed) once stored; the answer is an
   * ephemeral message there.
   */
  private async onViewSubmission(client: WebClient, body: ViewSubmitAction, ack: () => Promise<void>): Promise<void> {
    const { view } = body;
    const at = view.callback_id.indexOf(':');
    const [action, payload] = at < 0 ? [view.callback_id, ''] : [view.callback_id.slice(0, at), view.callback_id.slice(at + 1)];
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const channel = readMetadataChannel(view.private_metadata);
    const conversation = conversationOf(teamId, channel);
    const actor = await this.actorBefore(client, teamId, body.user.id, body.user.name);
    const state = view.state.values;
    const text = state[FORM_TEXT_ID]?.[FORM_TEXT_ID]?.value ?? '';
    const choice = state[FORM_CHOICE_ID]?.[FORM_CHOICE_ID]?.selected_option?.value ?? '';
    await this.handOver(
      { kind: 'form', action, payload, values: { text, choice }, actor, conversation, idempotencyKey: `slack:view:${view.id}` },
      { acknowledge: () => ack(), answer: (reply) => this.answerPrivately(client, conversation, body.user.id, reply ?? privateReply('Done.')) },
    );
  }

  /** An ephemeral answer in the channel; where that fails (the bot is not in it), in the person's direct messages. */
  private async answerPrivately(client: WebClient, conversation: Conversation, userId: string, reply: Reply): Promise<void> {
    try {
      await client.chat.postEphemeral({ channel: conversation.channelId, user: userId, ...renderForSlack(reply) });
    } catch (error) {
      this.options.logger.warn({ err: error, channel: conversation.channelId }, 'slack ephemeral answer failed; sending it directly');
      const opened = await client.conversations.open({ users: userId });
      await this.send(client, opened.channel!.id!, reply);
    }
  }

  /**
   * Hands a command or button to the handler, which stores it before it acknowledges (see Delivery).
   * A handler that answers by returning a Reply, without the delivery, is acknowledged and answered for
   * here; one that returns nothing has left the answer to another process.
   */
  private async handOver(invocation: Invocation, delivery: Delivery): Promise<void> {
    let acknowledged = false;
    let answered = false;
    const tracked: Delivery = {
      ...delivery,
      acknowledge: async () => {
        acknowledged = true;
        await delivery.acknowledge();
      },
      answer: async (reply) => {
        answered = true;
        await delivery.answer(reply);
      },
    };
    try {
      const returned = await this.handle!(invocation, tracked);
      if (!acknowledged) await tracked.acknowledge();
      if (!answered && returned) await tracked.answer(returned);
    } finally {
      // Even a handler that failed is acknowledged, so Slack does not show a timeout on top.
      if (!acknowledged) await tracked.acknowledge();
    }
  }

  /**
   * The actor, looked up before the ack: users.info is usually cached, and a lookup slower than
   * ACTOR_LOOKUP_MS is not waited for (the person is taken as a member by the name Slack sent, as
   * when users.info fails), so the ack is never late.
   */
  private async actorBefore(client: WebClient, teamId: string, userId: string, userName?: string): Promise<Actor> {
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<Actor>((resolve) => {
      timer = setTimeout(() => {
        this.options.logger.warn({ user: userId }, 'slack users.info is slow; treating as a member');
        resolve({ platform: 'slack', workspaceId: teamId, userId, displayName: userName || userId, isAdmin: false });
      }, ACTOR_LOOKUP_MS);
    });
    try {
      return await Promise.race([this.actor(client, teamId, userId), slow]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async onMessage(client: WebClient, event: SlackMessageEvent, teamId: string, eventId: string): Promise<void> {
    if (!HANDLED_SUBTYPES.has(event.subtype) || event.bot_id) return;
    const conversation = conversationOf(teamId, event.channel);
    let invocation: Invocation;
    const base = { conversation, idempotencyKey: `slack:event:${eventId}` };
    if (event.subtype === 'message_deleted') {
      const ts = event.deleted_ts ?? event.previous_message?.ts ?? '';
      const actor = await this.actor(client, teamId, event.previous_message?.user ?? 'unknown');
      invocation = { ...base, kind: 'message-deleted', messageId: ts, actor };
    } else if (event.subtype === 'message_changed') {
      const edited = event.message;
      if (!edited?.user || edited.bot_id) return;
      invocation = { ...base, kind: 'message-edited', messageId: edited.ts, text: readSlackText(edited.text ?? ''), actor: await this.actor(client, teamId, edited.user) };
    } else {
      if (!event.user || !event.text) return;
      invocation = { ...base, kind: 'message', messageId: event.ts, text: readSlackText(event.text), actor: await this.actor(client, teamId, event.user) };
    }
    const reply = await this.handle!(invocation);
    if (!reply) return;
    const messageTs = invocation.kind === 'message-deleted' ? undefined : invocation.messageId;
    if (reply.reaction && messageTs) {
      await client.reactions.add({ channel: event.channel, timestamp: messageTs, name: slackReactionName(reply.reaction) });
    } else {
      await client.chat.postEphemeral({ channel: event.channel, user: invocation.actor.userId, ...renderForSlack(reply) });
    }
  }

  /**
   * Sends a command's or button's answer: through response_url (ephemeral or in the channel), with
   * files and pictures uploaded alongside (privately: to the person's direct messages, and when those
   * cannot be reached the text still arrives, saying what was not delivered).
   */
  private async answer(client: WebClient, respond: RespondFn, conversation: Conversation, userId: string, maybe: Reply | void): Promise<void> {
    let reply = maybe ?? privateReply('Done.');
    const isPrivate = reply.visibility === 'private';
    const hasFiles = Boolean(reply.images?.length || reply.files?.length);
    if (hasFiles && !isPrivate) return this.upload(client, conversation.channelId, reply);
    if (hasFiles) {
      const delivered = await this.uploadToDirectMessages(client, conversation, userId, reply);
      const note = delivered ? '(Sent to your direct messages.)' : `(I couldn't send ${attachmentsOf(reply)} to your direct messages.)`;
      reply = { ...reply, text: `${reply.text}\n${note}` };
    }
    try {
      await respond({ response_type: isPrivate ? 'ephemeral' : 'in_channel', ...renderForSlack(reply) });
    } catch (error) {
      this.options.logger.error({ err: error, channel: conversation.channelId }, 'slack reply lost');
      throw error;
    }
  }

  /**
   * Answers a command an earlier process acknowledged, through its response_url while Slack still
   * takes it (30 minutes). Files and pictures are left out: their text alternative is in the text.
   */
  async answerLater(replyTo: ReplyAddress, ageMs: number, reply: Reply): Promise<boolean> {
    const responseUrl = replyTo.responseUrl;
    if (!responseUrl || ageMs > RESPONSE_URL_WINDOW_MS) return false;
    const response = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: reply.visibility === 'private' ? 'ephemeral' : 'in_channel', ...renderForSlack(reply) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) this.options.logger.warn({ status: response.status }, 'slack no longer takes the late answer');
    return response.ok;
  }

  /** Uploads a private reply's files and pictures to the person's DM; false (logged) if Slack refuses (DMs closed, or an error). */
  private async uploadToDirectMessages(client: WebClient, conversation: Conversation, userId: string, reply: Reply): Promise<boolean> {
    try {
      const opened = await client.conversations.open({ users: userId });
      const channel = opened.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      await this.upload(client, channel, reply);
      return true;
    } catch (error) {
      this.options.logger.warn({ err: error, user: userId, channel: conversation.channelId }, 'slack direct message failed; answering in the channel only');
      return false;
    }
  }

  /** Posts a Reply to a channel (spaced per channel), uploading its files and picture with the current flow; a key goes in its metadata. */
  private async send(client: WebClient, channel: string, reply: Reply, threadTs?: string, key?: string): Promise<string> {
    const result = await this.queue.run(channel, () =>
      client.chat.postMessage({
        channel,
        ...renderForSlack(reply),
        ...(threadTs && { thread_ts: threadTs }),
        ...(key && { metadata: { event_type: POST_EVENT_TYPE, event_payload: { key } } }),
        unfurl_links: false,
      }),
    );
    // Pictures and files follow the message, uploaded with the current flow.
    if (reply.images?.length || reply.files?.length) await this.upload(client, channel, { ...reply, text: '' }, threadTs);
    return result.ts ?? '';
  }

  private async upload(client: WebClient, channel: string, reply: Reply, threadTs?: string): Promise<void> {
    const files = [
      ...(reply.images ?? []).map((image) => ({ file: Buffer.from(image.png), filename: image.fileName, alt_text: image.alt.slice(0, 1000) })),
      ...(reply.files ?? []).map((f) => ({ file: Buffer.from(f.content), filename: f.fileName })),
    ];
    await this.queue.run(channel, () =>
      client.files.uploadV2({
        channel_id: channel,
        ...(reply.text && { initial_comment: renderForSlack(reply).text }),
        file_uploads: files,
        ...(threadTs && { thread_ts: threadTs }),
      }),
    );
  }

  /** The actor behind a Slack user: workspace admins and owners are admins (users.info, cached). */
  private async actor(client: WebClient, teamId: string, userId: string): Promise<Actor> {
    const now = Date.now();
    let user = this.users.get(`${teamId}:${userId}`);
    if (!user || user.expires < now) {
      const expires = now + (this.options.userCacheMs ?? 10 * 60_000);
      try {
        const info = await client.users.info({ user: userId });
        const u = info.user;
        user = {
          displayName: u?.profile?.display_name || u?.real_name || u?.name || userId,
          isAdmin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
          expires,
        };
      } catch (error) {
        this.options.logger.warn({ err: error, user: userId }, 'slack users.info failed; treating as a member');
        user = { displayName: userId, isAdmin: false, expires: now + 60_000 };
      }
      this.users.set(`${teamId}:${userId}`, user);
    }
    return { platform: 'slack', workspaceId: teamId, userId, displayName: user.displayName, isAdmin: user.isAdmin };
  }
}

interface SlackMessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  text?: string;
  ts: string;
  bot_id?: string;
  deleted_ts?: string;
  message?: { user?: string; text?: string; ts: string; bot_id?: string };
  previous_message?: { user?: string; ts: string };
}

/** What a reply carries besides its text, as the note about an undelivered DM names it. */
function attachmentsOf(reply: Reply): string {
  const images = reply.images?.length ?? 0;
  const files = reply.files?.length ?? 0;
  const parts: string[] = [];
  if (images) parts.push(images === 1 ? 'the picture' : 'the pictures');
  if (files) parts.push(files === 1 ? 'the file' : 'the files');
  return parts.join(' and ');
}

/** The channel a modal's button was pressed in, from the private_metadata the bot gave the view. */
function readMetadataChannel(metadata: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(metadata ?? '');
    const channel = typeof parsed === 'object' && parsed !== null && 'channel' in parsed ? parsed.channel : undefined;
    return typeof channel === 'string' && /^[A-Z0-9]{1,30}$/.test(channel) ? channel : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The status and the sentence an installer sees when the installation did not complete. */
function installFailure(error: Error & { code?: string }): [number, string] {
  if (error instanceof OrgInstallRefusedError) return [400, 'Inkwell is installed workspace by workspace, not for a whole organization.'];
  if (error.code === OAuthErrorCode.AuthorizationError) return [400, 'The installation was cancelled.'];
  const refused = [OAuthErrorCode.InvalidStateError, OAuthErrorCode.MissingStateError, OAuthErrorCode.MissingCodeError].some((code) => code === error.code);
  return refused ? [400, 'This installation link has expired or was already used.'] : [500, 'Slack did not complete the installation.'];
}

/** A small page of our own for the end of an installation (Bolt's says nothing about what to do next). */
function installPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><meta name="viewport" content="width=device-width"></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem"><h1>${title}</h1><p>${body}</p></body></html>`;
}

function conversationOf(teamId: string, channelId: string): Conversation {
  return { platform: 'slack', workspaceId: teamId, channelId, ...(channelId.startsWith('D') && { isDirect: true }) };
}
