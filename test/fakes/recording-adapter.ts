import type { ChatAdapter, InvocationHandler } from '../../src/core/chat-adapter';
import type { Actor, Conversation, Invocation } from '../../src/core/invocation';
import type { MessageRef, Reply } from '../../src/core/reply';

/** A working in-memory platform: delivers invocations to the bot and records what the bot posts. */
export class RecordingAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly posts: { to: Conversation; reply: Reply; messageId: string }[] = [];
  readonly edits: { ref: MessageRef; reply: Reply }[] = [];
  readonly directMessages: { to: Actor; reply: Reply }[] = [];
  private handler?: InvocationHandler;

  async start(onInvocation: InvocationHandler): Promise<void> {
    this.handler = onInvocation;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  async post(to: Conversation, reply: Reply): Promise<MessageRef> {
    const messageId = `m${this.posts.length + 1}`;
    this.posts.push({ to, reply, messageId });
    return { conversation: to, messageId };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    this.edits.push({ ref, reply });
  }

  async directMessage(to: Actor, reply: Reply): Promise<void> {
    this.directMessages.push({ to, reply });
  }

  deliver(invocation: Invocation): Promise<Reply | void> {
    if (!this.handler) throw new Error('adapter not started');
    return this.handler(invocation);
  }
}
