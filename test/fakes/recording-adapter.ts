import { type ChatAdapter, type InvocationHandler, type PostOnce, WorkspaceNotInstalledError, type WorkspaceTarget } from '../../src/core/chat-adapter';
import type { Clock } from '../../src/core/clock';
import type { Actor, Conversation, Invocation } from '../../src/core/invocation';
import type { MessageRef, Reply } from '../../src/core/reply';

/** A working in-memory platform: delivers invocations to the bot and records what the bot posts. */
export class RecordingAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly posts: { to: Conversation; reply: Reply; messageId: string; at: number; once?: PostOnce }[] = [];
  /** Posts answered with the message already posted under their key, as an idempotent platform would. */
  readonly repeats: { to: Conversation; messageId: string; once: PostOnce }[] = [];
  readonly edits: { ref: MessageRef; reply: Reply }[] = [];
  readonly directMessages: { to: Actor; reply: Reply; at: number }[] = [];
  /** Channels that refuse posts (a deleted channel, a missing permission), and users with closed DMs. */
  readonly brokenChannels = new Set<string>();
  readonly closedDirectMessages = new Set<string>();
  /** Channels whose posts wait for this promise (a platform that is slow to answer). */
  readonly slowChannels = new Map<string, Promise<void>>();
  /**
   * Channels and roles (by id) that live in one workspace only. Any other id is in every workspace,
   * as the harness names channels ("general") the same way in each.
   */
  readonly workspaceOf = new Map<string, string>();
  /** Workspaces that removed the app: nothing is posted there (WorkspaceNotInstalledError), as with Slack after an uninstall. */
  readonly uninstalled = new Set<string>();
  private handler?: InvocationHandler;

  constructor(private readonly clock?: Clock) {}

  async start(onInvocation: InvocationHandler): Promise<void> {
    this.handler = onInvocation;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  async post(to: Conversation, reply: Reply, once?: PostOnce): Promise<MessageRef> {
    this.refuseUninstalled(to.workspaceId);
    if (this.brokenChannels.has(to.channelId)) throw new Error('Missing Access');
    await this.slowChannels.get(to.channelId);
    const earlier = once && this.posts.find((post) => post.once?.key === once.key && post.to.channelId === to.channelId);
    if (once && earlier) {
      this.repeats.push({ to, messageId: earlier.messageId, once });
      return { conversation: to, messageId: earlier.messageId };
    }
    const messageId = `m${this.posts.length + 1}`;
    this.posts.push({ to, reply, messageId, at: this.clock?.now() ?? Date.now(), ...(once && { once }) });
    return { conversation: to, messageId };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    this.edits.push({ ref, reply });
  }

  async directMessage(to: Actor, reply: Reply): Promise<void> {
    this.refuseUninstalled(to.workspaceId);
    if (this.closedDirectMessages.has(to.userId)) throw new Error('Cannot send messages to this user');
    this.directMessages.push({ to, reply, at: this.clock?.now() ?? Date.now() });
  }

  async inWorkspace(workspaceId: string, target: WorkspaceTarget): Promise<boolean> {
    this.refuseUninstalled(workspaceId);
    const id = 'roleId' in target ? target.roleId : target.channelId;
    return (this.workspaceOf.get(id) ?? workspaceId) === workspaceId;
  }

  private refuseUninstalled(workspaceId: string): void {
    if (this.uninstalled.has(workspaceId)) throw new WorkspaceNotInstalledError({ platform: this.platform, workspaceId });
  }

  deliver(invocation: Invocation): Promise<Reply | void> {
    if (!this.handler) throw new Error('adapter not started');
    return this.handler(invocation);
  }
}
