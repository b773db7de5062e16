import type { Actor, Conversation, Invocation, Platform } from './invocation';
import { workspaceNoun } from './format';
import type { MessageRef, Reply } from './reply';

export type InvocationHandler = (invocation: Invocation) => Promise<Reply | void>;

/** Something a group points at on its platform: a channel (or a thread in it) to post in, or a role to ping. */
export type WorkspaceTarget = Pick<Conversation, 'channelId' | 'threadId'> | { roleId: string };

/** What every platform, the console included, can do. Optional capabilities are marked `?`: check before use. */
export interface ChatAdapter {
  readonly platform: Platform;
  start(onInvocation: InvocationHandler): Promise<void>;
  stop(): Promise<void>;
  post(to: Conversation, reply: Reply): Promise<MessageRef>;
  edit?(ref: MessageRef, reply: Reply): Promise<void>;
  directMessage?(to: Actor, reply: Reply): Promise<void>;
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
 * How services and the scheduler reach a chat, without knowing which platform it is on.
 * `post` throws when the platform refuses (the caller decides whether that matters), and with
 * `OtherWorkspaceError`, before sending, when the channel is not in the conversation's workspace;
 * `edit` and `directMessage` report false when they could not be done.
 */
export interface Outbound {
  post(to: Conversation, reply: Reply): Promise<MessageRef>;
  edit(ref: MessageRef, reply: Reply): Promise<boolean>;
  directMessage(to: Recipient, reply: Reply): Promise<boolean>;
  /** Whether a channel or role belongs to the workspace, as its platform says (false when it cannot say). */
  inWorkspace(where: Pick<Conversation, 'platform' | 'workspaceId'>, target: WorkspaceTarget): Promise<boolean>;
}
