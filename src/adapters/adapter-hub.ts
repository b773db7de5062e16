import { type ChatAdapter, type Outbound, OtherWorkspaceError, type PostOnce, type Recipient, type ReplyAddress, WorkspaceNotInstalledError, type WorkspaceTarget } from '../core/chat-adapter';
import type { Conversation, Platform } from '../core/invocation';
import type { MessageRef, Reply } from '../core/reply';
import type { Logger } from '../logger';

/**
 * The running adapters, by platform: how services and the scheduler post without knowing the platform.
 * Every post and edit is checked against the conversation's workspace just before it is sent, so a
 * channel or role of another server (set by an older build, or moved since) is never posted to or pinged.
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

  async inWorkspace(where: Pick<Conversation, 'platform' | 'workspaceId'>, target: WorkspaceTarget): Promise<boolean> {
    try {
      return await this.belongs(where, target);
    } catch (error) {
      if (error instanceof WorkspaceNotInstalledError) return false;
      throw error;
    }
  }

  /** As inWorkspace, but a workspace the bot is no longer installed in throws WorkspaceNotInstalledError, so a post says why it was not made. */
  private async belongs(where: Pick<Conversation, 'platform' | 'workspaceId'>, target: WorkspaceTarget): Promise<boolean> {
    const adapter = this.adapters.get(where.platform);
    // An adapter that cannot say where a channel lives could be posting anywhere: it is never trusted with one.
    if (!adapter?.inWorkspace) return false;
    return adapter.inWorkspace(where.workspaceId, target);
  }

  /** A workspace that removed the app is no failure of the bot's: said once at info level, not as a warning. */
  private logNotDone(error: unknown, fields: Record<string, unknown>, what: string): void {
    if (error instanceof WorkspaceNotInstalledError) this.logger.info({ ...fields, workspace: error.where.workspaceId }, `${what} skipped: the bot is no longer installed there`);
    else this.logger.warn({ err: error, ...fields }, `${what} failed`);
  }

  async post(to: Conversation, reply: Reply, once?: PostOnce): Promise<MessageRef> {
    const adapter = this.adapters.get(to.platform);
    if (!adapter) throw new Error(`no ${to.platform} adapter is running`);
    if (!(await this.belongs(to, { channelId: to.channelId, threadId: to.threadId }))) {
      this.logger.warn({ platform: to.platform, workspace: to.workspaceId, channel: to.channelId }, 'post refused: the channel is not in the workspace');
      throw new OtherWorkspaceError(to);
    }
    return adapter.post(to, await this.withoutOtherRoles(to, reply), once);
  }

  async edit(ref: MessageRef, reply: Reply): Promise<boolean> {
    const { conversation: to } = ref;
    const adapter = this.adapters.get(to.platform);
    if (!adapter?.edit) return false;
    try {
      if (!(await this.inWorkspace(to, { channelId: to.channelId, threadId: to.threadId }))) {
        this.logger.warn({ platform: to.platform, workspace: to.workspaceId, channel: to.channelId }, 'edit refused: the channel is not in the workspace');
        return false;
      }
      await adapter.edit(ref, await this.withoutOtherRoles(to, reply));
      return true;
    } catch (error) {
      this.logNotDone(error, { platform: to.platform, message: ref.messageId }, 'edit');
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
      this.logNotDone(error, { platform: to.platform }, 'direct message');
      return false;
    }
  }

  async thread(ref: MessageRef, name: string): Promise<Conversation> {
    const { conversation: to } = ref;
    const adapter = this.adapters.get(to.platform);
    if (!adapter) throw new Error(`no ${to.platform} adapter is running`);
    if (!(await this.belongs(to, { channelId: to.channelId }))) throw new OtherWorkspaceError(to);
    if (adapter.openThread) return adapter.openThread(ref, name);
    return { ...to, threadId: ref.messageId };
  }

  /** Answers a stored command through the address its platform gave (CommandInbox); false when the platform no longer takes it. */
  async answerLater(platform: Platform, replyTo: ReplyAddress, ageMs: number, reply: Reply): Promise<boolean> {
    const adapter = this.adapters.get(platform);
    if (!adapter?.answerLater) return false;
    try {
      return await adapter.answerLater(replyTo, ageMs, reply);
    } catch (error) {
      this.logger.warn({ err: error, platform }, 'late answer failed');
      return false;
    }
  }

  /** The reply without pings of roles outside the workspace: not notified, and not named in the text either. */
  private async withoutOtherRoles(to: Conversation, reply: Reply): Promise<Reply> {
    const roles = reply.pings?.roles;
    if (!roles?.length) return reply;
    const kept: string[] = [];
    let text = reply.text;
    for (const roleId of roles) {
      if (await this.inWorkspace(to, { roleId })) {
        kept.push(roleId);
        continue;
      }
      this.logger.warn({ platform: to.platform, workspace: to.workspaceId, channel: to.channelId, role: roleId }, 'ping dropped: the role is not in the workspace');
      text = text.replaceAll(`<@&${roleId}> `, '').replaceAll(`<@&${roleId}>`, '');
    }
    if (kept.length === roles.length) return reply;
    return { ...reply, text, pings: { ...reply.pings, roles: kept } };
  }
}
