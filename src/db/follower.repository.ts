import { sql } from 'kysely';
import { FOLLOWER_PLATFORMS, type FollowerReport, type FollowerSnapshot } from '../domain/leaderboard';
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

function toFollowerSnapshot(row: Pick<FollowerSnapshotRow, 'platform' | 'count' | 'total' | 'recorded_at'>): FollowerSnapshot {
  return { platform: row.platform, count: row.count, total: row.total, recordedAt: row.recorded_at };
}

/** A member's follower counts, oldest first. */
export async function followerHistoryOf(db: Db, memberId: number): Promise<FollowerSnapshot[]> {
  const rows = await db
    .selectFrom('follower_snapshots')
    .select(['platform', 'count', 'total', 'recorded_at'])
    .where('member_id', '=', memberId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return rows.map(toFollowerSnapshot);
}

export async function listFollowerSnapshots(db: Db, memberIds: number[]): Promise<FollowerSnapshotRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('follower_snapshots').selectAll().where('member_id', 'in', memberIds).orderBy('recorded_at').orderBy('id').execute();
}

/** The latest follower total of each member of a group who reports them, hidden ones too: they count in the group's total. */
export async function latestFollowerTotals(db: Db, groupId: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom('members').select(['id', 'follower_total']).where('group_id', '=', groupId).where('follower_total', 'is not', null).orderBy('id').execute();
  return new Map(rows.map((row) => [row.id, row.follower_total!]));
}

/** A shown member's follower totals: their latest, and at the start and end of a period (null: no total then). */
export interface FollowerStanding {
  memberId: number;
  latest: number;
  atStart: number | null;
  atEnd: number | null;
}

/** The first places of each follower ranking over a period, and how many newcomers there are. */
export interface FollowerStandings {
  /** By gain over the period (both ends known, and different: a +0 has nothing to show), then join order. */
  gainers: FollowerStanding[];
  /** Without a total at the start but with one at the end, in join order. */
  newcomers: FollowerStanding[];
  newcomerCount: number;
  /** By total at the end, then join order. */
  leaders: FollowerStanding[];
}

/**
 * The follower rankings of a group's shown members over [start, end), worked out by the database,
 * which sends back only the first `limit` places of each (all of them without a limit).
 *
 * A member's total at an instant is their latest total less the changes reported since, which is
 * what each report's previous total makes cheap to add up: one pass over the period's reports. Before
 * their first report (the one with no previous total) they had none; nobody has one before the epoch.
 */
export async function followerStandings(db: Db, groupId: number, start: number, end: number, limit?: number): Promise<FollowerStandings> {
  const change = sql`total - coalesce(previous_total, 0)`;
  const atStart = start > 0 ? sql`case when changes.first_at is not null then null else members.follower_total - coalesce(changes.since_start, 0) end` : sql`cast(null as integer)`;
  const first = limit === undefined ? sql`` : sql`limit ${limit}`;
  // Each list is a short sort of the standings, worked out once (`place` sorts it: lowest first); a
  // newcomer row also says how many newcomers there are.
  const { rows } = await sql<{ list: 'gainers' | 'newcomers' | 'leaders'; member_id: number; latest: number; at_start: number | null; at_end: number | null; count: number }>`
    with changes as (
      select member_id,
        sum(${change}) as since_start,
        sum(case when recorded_at >= ${end} then ${change} else 0 end) as since_end,
        min(case when previous_total is null then recorded_at end) as first_at
      from follower_snapshots
      where group_id = ${groupId} and recorded_at >= ${start}
      group by member_id
    ), standings as (
      select members.id as member_id, members.follower_total as latest, ${atStart} as at_start,
        case when changes.first_at >= ${end} then null else members.follower_total - coalesce(changes.since_end, 0) end as at_end
      from members left join changes on changes.member_id = members.id
      where members.group_id = ${groupId} and members.hidden = 0 and members.follower_total is not null
    )
    select * from (select 'gainers' as list, standings.*, at_start - at_end as place, 0 as count from standings
      where at_start is not null and at_end is not null and at_start <> at_end order by place, member_id ${first}) as gainers
    union all
    select * from (select 'newcomers' as list, standings.*, 0 as place, count(*) over () as count from standings
      where at_start is null and at_end is not null order by member_id ${first}) as newcomers
    union all
    select * from (select 'leaders' as list, standings.*, -at_end as place, 0 as count from standings
      where at_end is not null order by place, member_id ${first}) as leaders
    order by list, place, member_id
  `.execute(db);
  const list = (name: string): FollowerStanding[] =>
    rows
      .filter((row) => row.list === name)
      .map((row) => ({
        memberId: row.member_id,
        latest: Number(row.latest),
        atStart: row.at_start === null ? null : Number(row.at_start),
        atEnd: row.at_end === null ? null : Number(row.at_end),
      }));
  return {
    gainers: list('gainers'),
    newcomers: list('newcomers'),
    newcomerCount: Number(rows.find((row) => row.list === 'newcomers')?.count ?? 0),
    leaders: list('leaders'),
  };
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

/**
 * The all-time followers board: a group's shown members by their latest total (kept on the member
 * with each report), best first, read off one index in that order: no report is read.
 */
export async function topFollowerTotals(db: Db, groupId: number, limit?: number): Promise<FollowerStanding[]> {
  let query = db
    .selectFrom('members')
    .select(['id', 'follower_total'])
    .where('group_id', '=', groupId)
    .where('hidden', '=', 0)
    .where('follower_total', 'is not', null)
    .orderBy('follower_total', 'desc')
    .orderBy('id');
  if (limit !== undefined) query = query.limit(limit);
  const rows = await query.execute();
  return rows.map((row) => ({ memberId: row.id, latest: Number(row.follower_total), atStart: null, atEnd: Number(row.follower_total) }));
}
