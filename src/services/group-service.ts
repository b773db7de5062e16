import { workspaceNoun } from '../core/format';
import type { Actor, Conversation } from '../core/invocation';
import { UserError } from '../core/user-error';
import {
  addGroupAdmin,
  findGroupByChannel,
  findGroupById,
  removeGroupAdmin,
  updateGroupSettings,
  upsertGroup,
} from '../db/group.repository';
import { recountFollowerPeriods } from '../db/follower.repository';
import { recountTotals } from '../db/member-totals.repository';
import type { Group } from '../domain/group';
import { parseChannelReference } from '../domain/references';
import { checkSettingRules, GROUP_SETTING_TABLE, type GroupSetting, requireZone, type SettingChecks } from './group-settings';
import type { MemberService } from './member-service';
import type { ServiceDeps } from './service-deps';
import { TtlCache } from './ttl-cache';

const channelKey = (c: Pick<Conversation, 'platform' | 'workspaceId' | 'channelId'>) => `${c.platform}|${c.workspaceId}|${c.channelId}`;

export class GroupService {
  /** Groups by channel (or their absence, for channels that are not groups) and by id. */
  private readonly byChannel: TtlCache<Group | undefined>;
  private readonly byId: TtlCache<Group>;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
  ) {
    this.byChannel = new TtlCache(deps.clock, deps.settings.lookupCacheMs);
    this.byId = new TtlCache(deps.clock, deps.settings.lookupCacheMs);
  }

  async find(conversation: Conversation): Promise<Group | undefined> {
    const key = channelKey(conversation);
    const cached = this.byChannel.get(key);
    if (cached) return cached.value;
    const group = await findGroupByChannel(this.deps.db, conversation.platform, conversation.workspaceId, conversation.channelId);
    this.byChannel.set(key, group);
    return group;
  }

  async get(id: number): Promise<Group> {
    const cached = this.byId.get(String(id));
    if (cached) return cached.value;
    const group = await findGroupById(this.deps.db, id);
    if (!group) throw new UserError('not_found', 'That group no longer exists.');
    this.byId.set(String(id), group);
    return group;
  }

  /** Forgets what this process cached about a group, after changing it. */
  private forget(group: Pick<Group, 'id' | 'platform' | 'workspaceId' | 'channelId'>): void {
    this.byId.delete(String(group.id));
    this.byChannel.delete(channelKey(group));
  }

  isAdmin(group: Group | undefined, actor: Actor): boolean {
    return actor.isAdmin || (group?.admins.includes(actor.userId) ?? false);
  }

  /** Makes this channel a group, or changes its zone and announcement channel if it already is one. */
  async setup(conversation: Conversation, actor: Actor, settings: { timezone: string; channel?: string }): Promise<{ group: Group; created: boolean }> {
    const timezone = requireZone(settings.timezone);
    const announceChannelId = settings.channel ? parseChannelReference(settings.channel) : conversation.channelId;
    await this.requireOwnChannel(conversation, announceChannelId);
    const existed = await this.find(conversation);
    const { platform, workspaceId, channelId } = conversation;
    const id = await upsertGroup(
      this.deps.db,
      { platform, workspaceId, channelId, announceChannelId, timezone, createdBy: actor.userId },
      this.deps.clock.now(),
    );
    this.forget({ id, platform, workspaceId, channelId });
    return { group: await this.get(id), created: !existed };
  }

  /** Changes one setting: its value read and checked by the settings table, and against the other settings. */
  async configure(group: Group, setting: GroupSetting, value: string): Promise<Group> {
    const { db, clock } = this.deps;
    const place = workspaceNoun(group.platform);
    const checks: SettingChecks = {
      requireOwnChannel: (channelId) => this.requireOwnChannel(group, channelId),
      requireOwnRole: async (roleId) => {
        if (!(await this.deps.outbound.inWorkspace(group, { roleId })))
          throw new UserError('bad_argument', `That role is not in this ${place}: pick a role of this ${place}, or none.`);
      },
      addAdmin: async (reference) => addGroupAdmin(db, group.id, await this.members.userIdOf(group, reference), clock.now()),
      removeAdmin: async (reference) => {
        if (!(await removeGroupAdmin(db, group.id, await this.members.userIdOf(group, reference))))
          throw new UserError('not_found', `${reference} is not on this group's admin list.`);
      },
    };
    const changes = await GROUP_SETTING_TABLE[setting].read(value, checks);
    checkSettingRules({ ...group, ...changes });
    const next = { ...group, ...changes };
    if (next.weekStart === group.weekStart && next.timezone === group.timezone) await updateGroupSettings(db, group.id, changes, clock.now());
    else {
      // Dates and reads now fall in other weeks (or, in another zone, other days): count the periods again.
      await db.transaction().execute(async (trx) => {
        await updateGroupSettings(trx, group.id, changes, clock.now());
        await recountTotals(trx, next);
        await recountFollowerPeriods(trx, next);
      });
    }
    this.forget(group);
    return this.get(group.id);
  }

  /** Announcements go only to a channel of the group's own server or workspace (the group's own channel always is). */
  private async requireOwnChannel(where: Pick<Conversation, 'platform' | 'workspaceId' | 'channelId'>, channelId: string): Promise<void> {
    if (channelId === where.channelId || (await this.deps.outbound.inWorkspace(where, { channelId }))) return;
    const place = workspaceNoun(where.platform);
    throw new UserError('bad_argument', `That channel is not in this ${place}: pick a channel of this ${place}.`);
  }
}
