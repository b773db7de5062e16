import type { FollowerSnapshot } from '../domain/leaderboard';
import type { Db } from './database';
import type { FollowerSnapshotRow } from './follower.table';

/** Records a count unless the delivery was seen before; true when recorded. */
export async function insertFollowerSnapshot(
  db: Db,
  snapshot: { memberId: number; platform: string; count: number; recordedAt: number; eventKey: string },
): Promise<boolean> {
  const row = await db
    .insertInto('follower_snapshots')
    .values({ member_id: snapshot.memberId, platform: snapshot.platform, count: snapshot.count, recorded_at: snapshot.recordedAt, event_key: snapshot.eventKey })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function latestFollowerSnapshot(db: Db, memberId: number, platform: string): Promise<FollowerSnapshotRow | undefined> {
  return db
    .selectFrom('follower_snapshots')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('platform', '=', platform)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listFollowerSnapshots(db: Db, memberIds: number[]): Promise<FollowerSnapshotRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('follower_snapshots').selectAll().where('member_id', 'in', memberIds).orderBy('recorded_at').orderBy('id').execute();
}

/**
 * Per member and platform of a group, the latest count recorded before `before`: the two ends of a
 * follower gain come from two calls of this.
 */
export async function latestCountsBefore(db: Db, groupId: number, before: number): Promise<Map<number, FollowerSnapshot[]>> {
  const rows = await db
    .selectFrom('follower_snapshots as s')
    .innerJoin('members', 'members.id', 's.member_id')
    .select(['s.member_id', 's.platform', 's.count', 's.recorded_at'])
    .where('members.group_id', '=', groupId)
    .where('s.recorded_at', '<', before)
    .where((eb) =>
      eb(
        's.id',
        '=',
        eb
          .selectFrom('follower_snapshots as latest')
          .select('latest.id')
          .whereRef('latest.member_id', '=', 's.member_id')
          .whereRef('latest.platform', '=', 's.platform')
          .where('latest.recorded_at', '<', before)
          .orderBy('latest.recorded_at', 'desc')
          .orderBy('latest.id', 'desc')
          .limit(1),
      ),
    )
    .execute();
  const byMember = new Map<number, FollowerSnapshot[]>();
  for (const r of rows) {
    const list = byMember.get(r.member_id) ?? [];
    list.push({ platform: r.platform, count: r.count, recordedAt: r.recorded_at });
    byMember.set(r.member_id, list);
  }
  return byMember;
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

/** Counts recorded by a group's members between two instants, oldest first. */
export async function groupSnapshotsBetween(db: Db, groupId: number, start: number, end: number) {
  return db
    .selectFrom('follower_snapshots as s')
    .innerJoin('members', 'members.id', 's.member_id')
    .select(['s.member_id', 's.platform', 's.count', 's.recorded_at'])
    .where('members.group_id', '=', groupId)
    .where('s.recorded_at', '>=', start)
    .where('s.recorded_at', '<', end)
    .orderBy('s.recorded_at')
    .orderBy('s.id')
    .execute();
}
