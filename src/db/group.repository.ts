import { PostgresAdapter } from 'kysely';
import type { Platform } from '../core/invocation';
import type { DashboardMode, Group, GroupSettings } from '../domain/group';
import type { Db } from './database';
import { prepared } from './prepared';
import type { GroupRow, GroupUpdate } from './group.table';

export function toGroup(row: GroupRow, admins: string[]): Group {
  return {
    id: row.id,
    platform: row.platform as Platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    announceChannelId: row.announce_channel_id,
    timezone: row.timezone,
    backfillDays: row.backfill_days,
    logPattern: row.log_pattern,
    admins,
    readWindowMinutes: row.read_window_minutes,
    fairReads: row.fair_reads,
    fairWindow: row.fair_window,
    readersRoleId: row.readers_role_id,
    digestCron: row.digest_cron,
    dailyDigestCron: row.daily_digest_cron,
    weekStart: row.week_start,
    sprintWindowMinutes: row.sprint_window_minutes,
    sprintMaxWpm: row.sprint_max_wpm,
    sprintRoleId: row.sprint_role_id,
    dashboard: row.dashboard as DashboardMode,
    responsesEnabled: row.responses_enabled !== 0,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function findGroupByChannel(
  db: Db,
  platform: Platform,
  workspaceId: string,
  channelId: string,
): Promise<Group | undefined> {
  const rows = await groupByChannelQuery(db, { platform, workspaceId, channelId });
  return rows[0] && toGroup(rows[0], rows.flatMap((row) => (row.admin_user_id === null ? [] : [row.admin_user_id])));
}

// Every command in a channel not in the lookup cache runs this: the group with its admins in one
// round trip (a row per admin, or one row without), compiled once.
const groupByChannelQuery = prepared((db: Db, a: { platform: Platform; workspaceId: string; channelId: string }) =>
  db
    .selectFrom('groups')
    .leftJoin('group_admins', 'group_admins.group_id', 'groups.id')
    .selectAll('groups')
    .select('group_admins.user_id as admin_user_id')
    .where('groups.platform', '=', a.platform)
    .where('groups.workspace_id', '=', a.workspaceId)
    .where('groups.channel_id', '=', a.channelId)
    .orderBy('group_admins.user_id'),
);
const groupAdminsQuery = prepared((db: Db, a: { groupId: number }) => db.selectFrom('group_admins').select('user_id').where('group_id', '=', a.groupId).orderBy('user_id'));

export async function findGroupById(db: Db, id: number): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toGroup(row, await listGroupAdmins(db, row.id));
}

/** Creates the group for a channel, or updates its settings if it exists; returns its id. */
export async function upsertGroup(
  db: Db,
  group: { platform: Platform; workspaceId: string; channelId: string; announceChannelId: string; timezone: string; createdBy: string },
  now: number,
): Promise<number> {
  const row = await db
    .insertInto('groups')
    .values({
      platform: group.platform,
      workspace_id: group.workspaceId,
      channel_id: group.channelId,
      announce_channel_id: group.announceChannelId,
      timezone: group.timezone,
      log_pattern: null,
      readers_role_id: null,
      daily_digest_cron: null,
      sprint_role_id: null,
      created_by: group.createdBy,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'workspace_id', 'channel_id']).doUpdateSet({
        announce_channel_id: group.announceChannelId,
        timezone: group.timezone,
        updated_at: now,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every group, for the scheduler's planning. */
export async function listAllGroups(db: Db): Promise<Group[]> {
  const [rows, admins] = await Promise.all([
    db.selectFrom('groups').selectAll().orderBy('id').execute(),
    db.selectFrom('group_admins').select(['group_id', 'user_id']).execute(),
  ]);
  const byGroup = new Map<number, string[]>();
  for (const a of admins) byGroup.set(a.group_id, [...(byGroup.get(a.group_id) ?? []), a.user_id]);
  return rows.map((row) => toGroup(row, byGroup.get(row.id) ?? []));
}

/** Changes a group's settings; settings left undefined keep their value (Kysely leaves undefined columns out). */
export async function updateGroupSettings(db: Db, id: number, settings: Partial<GroupSettings>, now: number): Promise<void> {
  const update: GroupUpdate = {
    timezone: settings.timezone,
    announce_channel_id: settings.announceChannelId,
    backfill_days: settings.backfillDays,
    log_pattern: settings.logPattern,
    read_window_minutes: settings.readWindowMinutes,
    fair_reads: settings.fairReads,
    fair_window: settings.fairWindow,
    readers_role_id: settings.readersRoleId,
    digest_cron: settings.digestCron,
    daily_digest_cron: settings.dailyDigestCron,
    week_start: settings.weekStart,
    sprint_window_minutes: settings.sprintWindowMinutes,
    sprint_max_wpm: settings.sprintMaxWpm,
    sprint_role_id: settings.sprintRoleId,
    dashboard: settings.dashboard,
    responses_enabled: settings.responsesEnabled === undefined ? undefined : settings.responsesEnabled ? 1 : 0,
    updated_at: now,
  };
  await db.updateTable('groups').set(update).where('id', '=', id).execute();
}

/**
 * Holds the group's row until the transaction ends, so that changes counted against a limit of the
 * group (its open challenges) are made one after another. SQLite's writing transactions run one at
 * a time already.
 */
export async function lockGroup(db: Db, groupId: number): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await db.selectFrom('groups').select('id').where('id', '=', groupId).forUpdate().execute();
}

export async function listGroupAdmins(db: Db, groupId: number): Promise<string[]> {
  const rows = await groupAdminsQuery(db, { groupId });
  return rows.map((r) => r.user_id);
}

export async function addGroupAdmin(db: Db, groupId: number, userId: string, now: number): Promise<void> {
  await db
    .insertInto('group_admins')
    .values({ group_id: groupId, user_id: userId, added_at: now })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .execute();
}

export async function removeGroupAdmin(db: Db, groupId: number, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('group_admins').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Takes a user off the admin list of every group in their workspace. */
export async function removeAdminEverywhere(db: Db, user: { platform: Platform; workspaceId: string; userId: string }): Promise<void> {
  await db
    .deleteFrom('group_admins')
    .where('user_id', '=', user.userId)
    .where('group_id', 'in', (eb) =>
      eb.selectFrom('groups').select('id').where('platform', '=', user.platform).where('workspace_id', '=', user.workspaceId),
    )
    .execute();
}
