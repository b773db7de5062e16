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

/** How services and the scheduler reach a chat, without knowing which platform it is on. */
export interface Outbound {
  post(to: Conversation, reply: Reply): Promise<MessageRef | undefined>;
}
