import type { ChatAdapter, Outbound, Recipient } from '../core/chat-adapter';
import type { Conversation, Platform } from '../core/invocation';
import type { MessageRef, Reply } from '../core/reply';
import type { Logger } from '../logger';

/** The running adapters, by platform: how services and the scheduler post without knowing the platform. */
export class AdapterHub implements Outbound {
  private readonly adapters = new Map<Platform, ChatAdapter>();

  constructor(private readonly logger: Logger) {}

  add(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  get all(): ChatAdapter[] {
    return [...this.adapters.values()];
  }

  async post(to: Conversation, reply: Reply): Promise<MessageRef> {
    const adapter = this.adapters.get(to.platform);
    if (!adapter) throw new Error(`no ${to.platform} adapter is running`);
    return adapter.post(to, reply);
  }

  async edit(ref: MessageRef, reply: Reply): Promise<boolean> {
    const adapter = this.adapters.get(ref.conversation.platform);
    if (!adapter?.edit) return false;
    try {
      await adapter.edit(ref, reply);
      return true;
    } catch (error) {
      this.logger.warn({ err: error, platform: ref.conversation.platform, message: ref.messageId }, 'edit failed');
      return false;
    }
  }

  async directMessage(to: Recipient, reply: Reply): Promise<boolean> {
    const adapter = this.adapters.get(to.platform);
    if (!adapter?.directMessage) return false;
    try {
      await adapter.directMessage({ ...to, isAdmin: false }, reply);
      return true;
    } catch (error) {
      this.logger.warn({ err: error, platform: to.platform }, 'direct message failed');
      return false;
    }
  }
}
