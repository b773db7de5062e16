import { workspaceNoun } from '../core/format';
import type { Actor, Conversation } from '../core/invocation';
import { UserError } from '../core/user-error';
import {
  addGroupAdmin,
  findGroupByChannel,
  findGroupById,
  removeGroupAdmin,
  updateGroup,
  upsertGroup,
} from '../db/group.repository';
import type { GroupUpdate } from '../db/group.table';
import { findMembersByName } from '../db/member.repository';
import { compileLogPattern } from '../domain/chat-log';
import { DEFAULT_DAILY_DIGEST_CRON, DEFAULT_DIGEST_CRON, type Group, MAX_BACKFILL_DAYS } from '../domain/group';
import { WEEKDAYS } from '../domain/periods';
import { scheduleProblem } from '../domain/schedule';
import { canonicalZone, zoneForAbbreviation } from '../domain/local-date';
import { parseChannelReference, parseMemberReference } from '../domain/references';
import type { ServiceDeps } from './service-deps';
import { TtlCache } from './ttl-cache';

export const GROUP_SETTINGS = [
  'timezone',
  'channel',
  'backfill_days',
  'log_pattern',
  'read_window',
  'fair_reads',
  'fair_window',
  'readers_role',
  'digest',
  'daily_digest',
  'week_start',
  'admin_add',
  'admin_remove',
] as const;
export type GroupSetting = (typeof GROUP_SETTINGS)[number];

function requireSchedule(setting: string, value: string): string {
  const expression = value.trim().replace(/^["']|["']$/g, '');
  const problem = scheduleProblem(expression);
  if (problem) throw new UserError('bad_argument', `That ${setting} schedule can't be used: ${problem}.`);
  return expression;
}

function wholeNumber(setting: string, value: string, min: number, max: number): number {
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < min || n > max)
    throw new UserError('bad_argument', `${setting} must be a whole number from ${min} to ${max} (got "${value}").`);
  return n;
}

export function requireZone(input: string): string {
  const meant = zoneForAbbreviation(input);
  if (meant)
    throw new UserError(
      'bad_argument',
      `${input.trim().toUpperCase()} is a clock abbreviation with no daylight-saving rules, so your days would be an hour off for half the year. Did you mean ${meant}? Use a place-named zone like that one.`,
    );
  const zone = canonicalZone(input);
  if (!zone)
    throw new UserError(
      'bad_argument',
      `"${input}" is not a time zone I know. Use an IANA zone name such as Europe/London, America/New_York or Asia/Kolkata.`,
    );
  return zone;
}

const channelKey = (c: Pick<Conversation, 'platform' | 'workspaceId' | 'channelId'>) => `${c.platform}|${c.workspaceId}|${c.channelId}`;

export class GroupService {
  /** Groups by channel (or their absence, for channels that are not groups) and by id. */
  private readonly byChannel: TtlCache<Group | undefined>;
  private readonly byId: TtlCache<Group>;

  constructor(private readonly deps: ServiceDeps) {
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

  /** Changes one setting; the value is validated for that setting. */
  async configure(group: Group, setting: GroupSetting, value: string): Promise<Group> {
    const { db, clock } = this.deps;
    const update: GroupUpdate = { updated_at: clock.now() };
    switch (setting) {
      case 'timezone':
        update.timezone = requireZone(value);
        break;
      case 'channel':
        update.announce_channel_id = parseChannelReference(value);
        await this.requireOwnChannel(group, update.announce_channel_id);
        break;
      case 'backfill_days':
        update.backfill_days = wholeNumber(setting, value, 0, MAX_BACKFILL_DAYS);
        break;
      case 'read_window':
        update.read_window_minutes = wholeNumber(setting, value, 10, 24 * 60);
        break;
      case 'fair_reads':
        update.fair_reads = wholeNumber(setting, value, 0, 20);
        break;
      case 'fair_window':
        update.fair_window = wholeNumber(setting, value, 1, 50);
        break;
      case 'readers_role': {
        const off = ['none', 'off', ''].includes(value.trim().toLowerCase());
        const role = /^<@&(\d{17,20})>$|^(\d{17,20})$/.exec(value.trim());
        if (!off && !role) throw new UserError('bad_argument', 'readers_role takes a Discord role mention (@role), or none.');
        update.readers_role_id = off ? null : (role![1] ?? role![2])!;
        if (update.readers_role_id && !(await this.deps.outbound.inWorkspace(group, { roleId: update.readers_role_id })))
          throw new UserError('bad_argument', `That role is not in this ${workspaceNoun(group.platform)}: pick a role of this ${workspaceNoun(group.platform)}, or none.`);
        break;
      }
      case 'log_pattern': {
        const reset = ['default', 'off', 'none', ''].includes(value.trim().toLowerCase());
        if (!reset) {
          const compiled = compileLogPattern(value);
          if (typeof compiled === 'string') throw new UserError('bad_argument', `That log pattern can't be used: ${compiled}.`);
        }
        update.log_pattern = reset ? null : value;
        break;
      }
      case 'digest': {
        const reset = value.trim().toLowerCase() === 'default';
        update.digest_cron = reset ? DEFAULT_DIGEST_CRON : requireSchedule(setting, value);
        break;
      }
      case 'daily_digest': {
        const word = value.trim().toLowerCase();
        update.daily_digest_cron = word === 'off' ? null : word === 'on' ? DEFAULT_DAILY_DIGEST_CRON : requireSchedule(setting, value);
        break;
      }
      case 'week_start': {
        const day = WEEKDAYS.findIndex((d) => d.startsWith(value.trim().toLowerCase()) && value.trim().length >= 2);
        if (day < 0) throw new UserError('bad_argument', `week_start takes a day of the week: ${WEEKDAYS.join(', ')}.`);
        update.week_start = day + 1;
        break;
      }
      case 'admin_add':
      case 'admin_remove': {
        const userId = await this.userIdOf(group, value);
        if (setting === 'admin_add') await addGroupAdmin(db, group.id, userId, clock.now());
        else if (!(await removeGroupAdmin(db, group.id, userId)))
          throw new UserError('not_found', `${value} is not on this group's admin list.`);
        break;
      }
    }
    await updateGroup(db, group.id, update);
    this.forget(group);
    return this.get(group.id);
  }

  /** Announcements go only to a channel of the group's own server or workspace (the group's own channel always is). */
  private async requireOwnChannel(where: Pick<Conversation, 'platform' | 'workspaceId' | 'channelId'>, channelId: string): Promise<void> {
    if (channelId === where.channelId || (await this.deps.outbound.inWorkspace(where, { channelId }))) return;
    const place = workspaceNoun(where.platform);
    throw new UserError('bad_argument', `That channel is not in this ${place}: pick a channel of this ${place}.`);
  }

  /** A mention names the user directly; a plain name must belong to exactly one member. */
  private async userIdOf(group: Group, reference: string): Promise<string> {
    const ref = parseMemberReference(reference);
    if ('userId' in ref) return ref.userId;
    const matches = await findMembersByName(this.deps.db, group.id, ref.name);
    if (matches.length === 1) return matches[0]!.userId;
    if (matches.length > 1) throw new UserError('bad_argument', `More than one member is called ${ref.name}; use a mention.`);
    throw new UserError('not_found', `No member called "${ref.name}" in this group. Use a mention, or ask them to /join first.`);
  }
}
