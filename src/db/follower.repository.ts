import { FOLLOWER_PLATFORMS, type FollowerReport } from '../domain/leaderboard';
import type { Db } from './database';
import type { FollowerSnapshotRow } from './follower.table';

/**
 * Records a count unless the delivery was seen before, and keeps it as the member's latest total;
 * true when recorded. Run it in the transaction that read the member's previous counts.
 */
export async function insertFollowerSnapshot(
  db: Db,
  snapshot: { memberId: number; groupId: number; platform: string; count: number; total: number; previousTotal: number | null; recordedAt: number; eventKey: string },
): Promise<boolean> {
  const row = await db
    .insertInto('follower_snapshots')
    .values({
      member_id: snapshot.memberId,
      group_id: snapshot.groupId,
      platform: snapshot.platform,
      count: snapshot.count,
      total: snapshot.total,
      previous_total: snapshot.previousTotal,
      recorded_at: snapshot.recordedAt,
      event_key: snapshot.eventKey,
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await db.updateTable('members').set({ follower_total: snapshot.total }).where('id', '=', snapshot.memberId).execute();
  return true;
}

/** A member's latest count on each platform they reported. */
export async function latestCountsByPlatform(db: Db, memberId: number): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  for (const platform of FOLLOWER_PLATFORMS) {
    const row = await db
      .selectFrom('follower_snapshots')
      .select('count')
      .where('member_id', '=', memberId)
      .where('platform', '=', platform)
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) latest.set(platform, row.count);
  }
  return latest;
}

export async function listFollowerSnapshots(db: Db, memberIds: number[]): Promise<FollowerSnapshotRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('follower_snapshots').selectAll().where('member_id', 'in', memberIds).orderBy('recorded_at').orderBy('id').execute();
}

/**
 * The latest follower total of each member of a group who reports them, in join order, and whether
 * they are hidden: hidden members are on no board, but count in the group's total.
 */
export async function latestFollowerTotals(db: Db, groupId: number): Promise<{ memberId: number; total: number; hidden: boolean }[]> {
  const rows = await db
    .selectFrom('members')
    .select(['id', 'follower_total', 'hidden'])
    .where('group_id', '=', groupId)
    .where('follower_total', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ memberId: row.id, total: row.follower_total!, hidden: row.hidden === 1 }));
}

/** Reports made at or after `since`, oldest first: of a whole group, or of some members. */
export async function reportsSince(db: Db, of: { groupId: number } | { memberIds: number[] }, since: number): Promise<FollowerReport[]> {
  if ('memberIds' in of && of.memberIds.length === 0) return [];
  return db
    .selectFrom('follower_snapshots')
    .select(['member_id', 'total', 'previous_total', 'recorded_at'])
    .$call((q) => ('groupId' in of ? q.where('group_id', '=', of.groupId) : q.where('member_id', 'in', of.memberIds)))
    .where('recorded_at', '>=', since)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** Members of a group who reported a count at or after `since`. */
export async function membersReportingSince(db: Db, groupId: number, since: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('follower_snapshots')
    .innerJoin('members', 'members.id', 'follower_snapshots.member_id')
    .select('follower_snapshots.member_id')
    .distinct()
    .where('members.group_id', '=', groupId)
    .where('follower_snapshots.recorded_at', '>=', since)
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

export async function findWeekTotals(db: Db, groupId: number, weekEnds: string[]): Promise<Map<string, number>> {
  if (weekEnds.length === 0) return new Map();
  const rows = await db.selectFrom('follower_week_totals').select(['week_end', 'total']).where('group_id', '=', groupId).where('week_end', 'in', weekEnds).execute();
  return new Map(rows.map((r) => [r.week_end, r.total]));
}

export async function saveWeekTotal(db: Db, groupId: number, weekEnd: string, total: number): Promise<void> {
  await db
    .insertInto('follower_week_totals')
    .values({ group_id: groupId, week_end: weekEnd, total })
    .onConflict((oc) => oc.columns(['group_id', 'week_end']).doNothing())
    .execute();
}

/** Drops the kept week totals of groups (after someone's counts were deleted). */
export async function forgetWeekTotals(db: Db, groupIds: number[]): Promise<void> {
  if (groupIds.length === 0) return;
  await db.deleteFrom('follower_week_totals').where('group_id', 'in', groupIds).execute();
}
