import type { ChatAdapter, InvocationHandler, PostOnce } from '../src/core/chat-adapter';
import type { Conversation, Invocation } from '../src/core/invocation';
import type { MessageRef, Reply } from '../src/core/reply';
import { now, sleep } from './measure';

/**
 * A token bucket that hands out reservations in order: a request that finds it empty waits its
 * turn (the bucket goes negative by the requests queued), so the k-th waiting request goes k/rate later.
 */
class ReservingBucket {
  private tokens: number;
  private at = now();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity;
  }

  async take(): Promise<void> {
    const t = now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.at) * this.perSecond) / 1000);
    this.at = t;
    this.tokens -= 1;
    if (this.tokens < 0) await sleep((-this.tokens * 1000) / this.perSecond);
  }
}

/** How a platform limits posts: a bucket for the whole bot, and one per channel. */
export interface PostLimits {
  /** Requests a second for the whole bot (Discord: 50), with as many at once. */
  global?: number;
  /** Messages a second per channel (Slack: about 1), one at once. */
  perChannel?: number;
  /** How long the platform takes to answer a post once it is let through. */
  postMs: number;
}

export const DISCORD_LIMITS: PostLimits = { global: 50, postMs: 150 };
export const SLACK_LIMITS: PostLimits = { perChannel: 1, postMs: 150 };

/**
 * A platform as the bot meets it under load: every post waits for the platform's rate limits, then
 * takes `postMs` to be answered. Records when each post landed (real time, `now()`); delivers
 * invocations to the bot like any adapter.
 */
export class RateLimitedAdapter implements ChatAdapter {
  /** What was posted (not the pictures: a storm of them would weigh on the memory being measured around it). */
  readonly posts: { to: Conversation; title?: string; once?: PostOnce; landedAt: number }[] = [];
  private handler?: InvocationHandler;
  private readonly global?: ReservingBucket;
  private readonly channels = new Map<string, ReservingBucket>();

  constructor(
    readonly platform: 'discord' | 'slack',
    private readonly limits: PostLimits,
  ) {
    if (limits.global) this.global = new ReservingBucket(limits.global, limits.global);
  }

  async start(onInvocation: InvocationHandler): Promise<void> {
    this.handler = onInvocation;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  async post(to: Conversation, reply: Reply, once?: PostOnce): Promise<MessageRef> {
    await this.global?.take();
    if (this.limits.perChannel) {
      const key = `${to.workspaceId}:${to.channelId}`;
      let bucket = this.channels.get(key);
      if (!bucket) this.channels.set(key, (bucket = new ReservingBucket(1, this.limits.perChannel)));
      await bucket.take();
    }
    await sleep(this.limits.postMs);
    this.posts.push({ to, landedAt: now(), ...(reply.title && { title: reply.title }), ...(once && { once }) });
    return { conversation: to, messageId: `${this.platform}-${this.posts.length}` };
  }

  async edit(): Promise<void> {
    await this.global?.take();
    await sleep(this.limits.postMs);
  }

  async inWorkspace(): Promise<boolean> {
    return true;
  }

  deliver(invocation: Invocation): Promise<Reply | void> {
    if (!this.handler) throw new Error('adapter not started');
    return this.handler(invocation);
  }
}
