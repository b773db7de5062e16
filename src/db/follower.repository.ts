import { FOLLOWER_PLATFORMS } from '../domain/leaderboard';
import type { Db } from './database';
import type { FollowerSnapshotRow } from './follower.table';

/** Records a count unless the delivery was seen before; true when recorded. */
export async function insertFollowerSnapshot(
  db: Db,
  snapshot: { memberId: number; platform: string; count: number; total: number; recordedAt: number; eventKey: string },
): Promise<boolean> {
  const row = await db
    .insertInto('follower_snapshots')
    .values({
      member_id: snapshot.memberId,
      platform: snapshot.platform,
      count: snapshot.count,
      total: snapshot.total,
      recorded_at: snapshot.recordedAt,
      event_key: snapshot.eventKey,
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A member's snapshots, newest first (ties in time by insertion order), one row. */
function newestSnapshot(db: Db, memberId: number) {
  return db.selectFrom('follower_snapshots').where('member_id', '=', memberId).orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1);
}

/** A member's latest count on each platform they reported. */
export async function latestCountsByPlatform(db: Db, memberId: number): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  for (const platform of FOLLOWER_PLATFORMS) {
    const row = await newestSnapshot(db, memberId).select('count').where('platform', '=', platform).executeTakeFirst();
    if (row) latest.set(platform, row.count);
  }
  return latest;
}

export async function listFollowerSnapshots(db: Db, memberIds: number[]): Promise<FollowerSnapshotRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('follower_snapshots').selectAll().where('member_id', 'in', memberIds).orderBy('recorded_at').orderBy('id').execute();
}

/**
 * For each member of a group, their latest total recorded before each of the instants (undefined
 * where there is none): one pass over the members, one index seek per member and instant.
 */
export async function latestTotalsAt(db: Db, groupId: number, instants: number[]): Promise<Map<number, (number | undefined)[]>> {
  const rows = await db
    .selectFrom('members as m')
    .select((eb) => [
      'm.id',
      ...instants.map((before, i) =>
        eb
          .selectFrom('follower_snapshots as s')
          .select('s.total')
          .whereRef('s.member_id', '=', 'm.id')
          .where('s.recorded_at', '<', before)
          .orderBy('s.recorded_at', 'desc')
          .orderBy('s.id', 'desc')
          .limit(1)
          .as(`t${i}`),
      ),
    ])
    .where('m.group_id', '=', groupId)
    .execute();
  return new Map(
    rows.map((row) => [row.id, instants.map((_, i) => {
      const value = (row as Record<string, unknown>)[`t${i}`];
      return value === null || value === undefined ? undefined : Number(value);
    })]),
  );
}

/** Each member's latest total recorded before `before`, for the members of a group who have one. */
export async function latestTotalsBefore(db: Db, groupId: number, before: number): Promise<Map<number, number>> {
  const totals = await latestTotalsAt(db, groupId, [before]);
  return new Map([...totals].flatMap(([id, [total]]) => (total === undefined ? [] : [[id, total] as const])));
}

/** The latest total before `before` of each of some members (a handful: the chart's top members). */
export async function latestTotalsOf(db: Db, memberIds: number[], before: number): Promise<Map<number, number>> {
  const totals = new Map<number, number>();
  for (const memberId of memberIds) {
    const row = await newestSnapshot(db, memberId).select('total').where('recorded_at', '<', before).executeTakeFirst();
    if (row) totals.set(memberId, row.total);
  }
  return totals;
}

/** Totals of some members recorded between two instants, oldest first. */
export async function totalsBetween(db: Db, memberIds: number[], start: number, end: number) {
  if (memberIds.length === 0) return [];
  return db
    .selectFrom('follower_snapshots')
    .select(['member_id', 'total', 'recorded_at'])
    .where('member_id', 'in', memberIds)
    .where('recorded_at', '>=', start)
    .where('recorded_at', '<', end)
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
