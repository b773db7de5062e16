import { type REST, Routes } from 'discord.js';
import type { WorkspaceTarget } from '../../core/chat-adapter';
import { systemClock } from '../../core/clock';
import type { Reply } from '../../core/reply';
import { TtlCache } from '../../services/ttl-cache';
import { hiddenAs } from './discord-interactions';
import { renderForDiscord, toRestMessage } from './render-discord';

/** A channel stays in its server for good; only a channel the bot loses sight of matters, and a post then fails anyway. */
const CHANNEL_SERVER_KEPT_MS = 10 * 60_000;
/** Roles come and go: a role is looked up again after a minute. */
const ROLES_KEPT_MS = 60_000;

/**
 * The bot's own posts over REST with its token, for a process without the gateway: digests,
 * announcements, edits, direct messages, and the check of which server a channel or role is in
 * (what the gateway's caches answer otherwise), remembered for a while so each post costs one request.
 */
export class RestPosts {
  private readonly serverOfChannel = new TtlCache<string | null>(systemClock, CHANNEL_SERVER_KEPT_MS);
  private readonly rolesOfServer = new TtlCache<ReadonlySet<string>>(systemClock, ROLES_KEPT_MS, 1000);
  private readonly directChannel = new TtlCache<string>(systemClock, CHANNEL_SERVER_KEPT_MS);

  constructor(private readonly rest: REST) {}

  /** The new message's id; with a nonce, Discord answers a repeat within its window with the first message. */
  async post(channelId: string, reply: Reply, nonce?: string): Promise<string> {
    const { body, files } = toRestMessage(renderForDiscord(reply));
    const sent = (await this.rest.post(Routes.channelMessages(channelId), { body: { ...body, ...(nonce && { nonce, enforce_nonce: true }) }, files })) as { id: string };
    return sent.id;
  }

  async edit(channelId: string, messageId: string, reply: Reply): Promise<void> {
    const { body, files } = toRestMessage(renderForDiscord(reply));
    await this.rest.patch(Routes.channelMessage(channelId, messageId), { body, files });
  }

  async directMessage(userId: string, reply: Reply): Promise<void> {
    let channelId = this.directChannel.get(userId)?.value;
    if (!channelId) {
      channelId = ((await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string }).id;
      this.directChannel.set(userId, channelId);
    }
    await this.post(channelId, reply);
  }

  async inWorkspace(workspaceId: string, target: WorkspaceTarget): Promise<boolean> {
    if ('roleId' in target) return (await this.roles(workspaceId)).has(target.roleId);
    return (await this.serverOf(target.threadId ?? target.channelId)) === workspaceId;
  }

  /** The server a channel is in ('dm' for a direct message), or null when Discord will not show it. */
  private async serverOf(channelId: string): Promise<string | null> {
    const known = this.serverOfChannel.get(channelId);
    if (known) return known.value;
    const channel = (await this.rest.get(Routes.channel(channelId)).catch(hiddenAs(null))) as { guild_id?: string } | null;
    const server = channel ? (channel.guild_id ?? 'dm') : null;
    if (server) this.serverOfChannel.set(channelId, server);
    return server;
  }

  private async roles(serverId: string): Promise<ReadonlySet<string>> {
    const known = this.rolesOfServer.get(serverId);
    if (known) return known.value;
    const roles = (await this.rest.get(Routes.guildRoles(serverId)).catch(hiddenAs([]))) as { id: string }[];
    const ids = new Set(roles.map((role) => role.id));
    this.rolesOfServer.set(serverId, ids);
    return ids;
  }
}
