import type { Actor, Conversation, Invocation, Platform } from './invocation';
import { workspaceNoun } from './format';
import type { MessageRef, Reply } from './reply';

/**
 * Where a command's answer can still be sent after the process that received it is gone: what the
 * platform gave for it (a Slack response_url, a Discord interaction's token), read back only by the
 * adapter that wrote it.
 */
export type ReplyAddress = Readonly<Record<string, string>>;

/**
 * How an adapter hands over a command it must acknowledge. The handler stores the invocation first
 * and only then calls `acknowledge`, so an acknowledged command is never lost; `answer` delivers the
 * reply and rejects when the platform did not take it, so an answer that did not arrive is sent again.
 */
export interface Delivery {
  acknowledge(): Promise<void>;
  answer(reply: Reply | void): Promise<void>;
  replyTo?: ReplyAddress;
}

/**
 * With a `delivery`, the handler answers through it and resolves once that is done; a handler that
 * resolves with a Reply instead is acknowledged and answered with it by the adapter.
 */
export type InvocationHandler = (invocation: Invocation, delivery?: Delivery) => Promise<Reply | void>;

/** Something a group points at on its platform: a channel (or a thread in it) to post in, or a role to ping. */
export type WorkspaceTarget = Pick<Conversation, 'channelId' | 'threadId'> | { roleId: string };

/**
 * What makes a post the same post when it is tried again. `key` is the same for every attempt at one
 * post and different for every other post. `earlierAttemptSince` is set when an earlier attempt may
 * have reached the platform without being recorded (its process died, or it ran past its deadline):
 * the adapter then looks for a message carrying the key, posted since that instant, and returns it
 * instead of posting a second one. Platforms that refuse a repeat by themselves need not look.
 */
export interface PostOnce {
  key: string;
  /** Epoch milliseconds: the earliest an earlier attempt could have been posted. */
  earlierAttemptSince?: number;
}

/** What every platform, the console included, can do. Optional capabilities are marked `?`: check before use. */
export interface ChatAdapter {
  readonly platform: Platform;
  start(onInvocation: InvocationHandler): Promise<void>;
  stop(): Promise<void>;
  /**
   * Whether the platform's connection is up now (Discord's gateway session, Slack's Socket Mode
   * socket), for readiness probes. Without it, an adapter counts as connected once started.
   */
  connected?(): boolean;
  /** With `once`, a repeat of the same post (same key) returns the message already posted where the platform allows. */
  post(to: Conversation, reply: Reply, once?: PostOnce): Promise<MessageRef>;
  edit?(ref: MessageRef, reply: Reply): Promise<void>;
  directMessage?(to: Actor, reply: Reply): Promise<void>;
  /**
   * The thread under a message, opened on platforms where a thread must be opened first (Discord);
   * without it, a message's thread is addressed by the message's own id (Slack's thread_ts).
   */
  openThread?(ref: MessageRef, name: string): Promise<Conversation>;
  /**
   * Answers a command received by an earlier process through the address it was given, if the
   * platform still takes it (the interaction or response_url has not expired); false when it does not.
   */
  answerLater?(replyTo: ReplyAddress, ageMs: number, reply: Reply): Promise<boolean>;
  /**
   * Whether a channel or role belongs to this workspace (Discord server, Slack team), as the platform
   * says; a channel the bot cannot see is not in it. Without it, nothing is posted through `Outbound`.
   */
  inWorkspace?(workspaceId: string, target: WorkspaceTarget): Promise<boolean>;
}

/** Who a direct message goes to. */
export type Recipient = Pick<Actor, 'platform' | 'workspaceId' | 'userId' | 'displayName'>;

/** A post refused before it was sent, because its channel is not in the conversation's workspace. */
export class OtherWorkspaceError extends Error {
  override readonly name = 'OtherWorkspaceError';

  constructor(readonly to: Pick<Conversation, 'platform' | 'workspaceId' | 'channelId'>) {
    super(`that channel is not in this ${workspaceNoun(to.platform)}`);
  }
}

/**
 * A post for a workspace the bot no longer serves: it removed the app (Slack's uninstall), so there is no
 * token to post with until it installs the app again. Scheduled posts for it are skipped, not retried.
 */
export class WorkspaceNotInstalledError extends Error {
  override readonly name = 'WorkspaceNotInstalledError';

  constructor(readonly where: Pick<Conversation, 'platform' | 'workspaceId'>) {
    super(`the bot is not installed in this ${workspaceNoun(where.platform)} any more`);
  }
}

/**
 * How services and the scheduler reach a chat, without knowing which platform it is on.
 * `post` throws when the platform refuses (the caller decides whether that matters), and with
 * `OtherWorkspaceError`, before sending, when the channel is not in the conversation's workspace;
 * `edit` and `directMessage` report false when they could not be done.
 */
export interface Outbound {
  post(to: Conversation, reply: Reply, once?: PostOnce): Promise<MessageRef>;
  edit(ref: MessageRef, reply: Reply): Promise<boolean>;
  directMessage(to: Recipient, reply: Reply): Promise<boolean>;
  /** The conversation of the thread under a message, opened if the platform needs that; throws when it cannot be. */
  thread(ref: MessageRef, name: string): Promise<Conversation>;
  /** Whether a channel or role belongs to the workspace, as its platform says (false when it cannot say). */
  inWorkspace(where: Pick<Conversation, 'platform' | 'workspaceId'>, target: WorkspaceTarget): Promise<boolean>;
}
