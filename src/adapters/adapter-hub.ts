import type { ChatAdapter, Outbound } from '../core/chat-adapter';
import type { Conversation, Platform } from '../core/invocation';
import type { MessageRef, Reply } from '../core/reply';
import type { Logger } from '../logger';

/**
 * The running adapters, by platform: how services and the scheduler post without knowing which
 * platform a group is on. A failed post is logged and reported as undefined, never thrown.
 */
export class AdapterHub implements Outbound {
  private readonly adapters = new Map<Platform, ChatAdapter>();

  constructor(private readonly logger: Logger) {}

  add(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  get all(): ChatAdapter[] {
    return [...this.adapters.values()];
  }

  async post(to: Conversation, reply: Reply): Promise<MessageRef | undefined> {
    const adapter = this.adapters.get(to.platform);
    if (!adapter) {
      this.logger.warn({ platform: to.platform, channel: to.channelId }, 'no adapter running for this platform; post dropped');
      return undefined;
    }
    try {
      return await adapter.post(to, reply);
    } catch (error) {
      this.logger.error({ err: error, platform: to.platform, channel: to.channelId }, 'post failed');
      return undefined;
    }
  }
}
