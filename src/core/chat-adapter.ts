import type { Actor, Conversation, Invocation, Platform } from './invocation';
import type { MessageRef, Reply } from './reply';

export type InvocationHandler = (invocation: Invocation) => Promise<Reply | void>;

/** What every platform, the console included, can do. Optional capabilities are marked `?`: check before use. */
export interface ChatAdapter {
  readonly platform: Platform;
  start(onInvocation: InvocationHandler): Promise<void>;
  stop(): Promise<void>;
  post(to: Conversation, reply: Reply): Promise<MessageRef>;
  edit?(ref: MessageRef, reply: Reply): Promise<void>;
  directMessage?(to: Actor, reply: Reply): Promise<void>;
}

/** Who a direct message goes to. */
export type Recipient = Pick<Actor, 'platform' | 'workspaceId' | 'userId' | 'displayName'>;

/**
 * How services and the scheduler reach a chat, without knowing which platform it is on.
 * `post` throws when the platform refuses (the caller decides whether that matters);
 * `edit` and `directMessage` report false when they could not be done.
 */
export interface Outbound {
  post(to: Conversation, reply: Reply): Promise<MessageRef>;
  edit(ref: MessageRef, reply: Reply): Promise<boolean>;
  directMessage(to: Recipient, reply: Reply): Promise<boolean>;
}
