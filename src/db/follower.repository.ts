import { sql } from 'kysely';
import { FOLLOWER_PLATFORMS, type FollowerReport, type FollowerSnapshot } from '../domain/leaderboard';
import { countFollowerPeriods, type FollowerPeriodChange } from '../domain/follower-periods';
import { ALL_TIME_KEY, type PeriodKey } from '../domain/periods';
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

type StandingRow = { member_id: number; latest: number | string | null; at_start: number | string | null; at_end: number | string };

function toStanding(row: StandingRow): FollowerStanding {
  return { memberId: row.member_id, latest: Number(row.latest), atStart: row.at_start === null ? null : Number(row.at_start), atEnd: Number(row.at_end) };
}

/**
 * The follower rankings of a group's shown members over a kept period, first `limit` places of each
 * (all of them without a limit). Gainers and newcomers are index ranges of the period's rows; leaders
 * are the latest totals while the period runs (`endedAt` undefined), else the totals when it ended.
 */
export async function followerStandings(db: Db, groupId: number, period: PeriodKey, endedAt: number | undefined, limit?: number): Promise<FollowerStandings> {
  const shownPeriod = db
    .selectFrom('follower_periods')
    .innerJoin('members', 'members.id', 'follower_periods.member_id')
    .where('follower_periods.group_id', '=', groupId)
    .where('follower_periods.period', '=', period)
    .where('members.hidden', '=', 0);
  // Each filter repeats its partial index's own terms, so the planner reads the rows off it in board order.
  const gainers = shownPeriod.where('follower_periods.first_report', '=', 0).where('follower_periods.gain', '<>', 0);
  const newcomers = shownPeriod.where('follower_periods.first_report', '=', 1);
  const standing = ['follower_periods.member_id', 'members.follower_total as latest', 'follower_periods.end_total as at_end'] as const;
  const first = <Q extends { limit(n: number): Q }>(q: Q) => (limit === undefined ? q : q.limit(limit));
  const [gaining, joining, joined, leaders] = await Promise.all([
    gainers
      .select([...standing, sql<number>`follower_periods.end_total - follower_periods.gain`.as('at_start')])
      .orderBy('follower_periods.gain', 'desc')
      .orderBy('follower_periods.member_id')
      .$call(first)
      .execute(),
    newcomers.select([...standing, sql<null>`null`.as('at_start')]).orderBy('follower_periods.member_id').$call(first).execute(),
    newcomers.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    endedAt === undefined ? topFollowerTotals(db, groupId, limit) : followerLeadersAt(db, groupId, endedAt, limit),
  ]);
  return { gainers: gaining.map(toStanding), newcomers: joining.map(toStanding), newcomerCount: Number(joined.count), leaders };
}

/**
 * Shown members by their total at an instant that is past, then join order. A member who reported
 * nothing since has their latest total then, read off the follower index in order; the few who did
 * have theirs worked out from the changes they reported since (none before their first report).
 */
async function followerLeadersAt(db: Db, groupId: number, at: number, limit?: number): Promise<FollowerStanding[]> {
  const first = limit === undefined ? sql`` : sql`limit ${limit}`;
  const { rows } = await sql<StandingRow>`
    with since as (
      select member_id, sum(total - coalesce(previous_total, 0)) as change, max(case when previous_total is null then 1 else 0 end) as began
      from follower_snapshots where group_id = ${groupId} and recorded_at >= ${at} group by member_id
    )
    select * from (
      select id as member_id, follower_total as latest, null as at_start, follower_total as at_end from members
      where group_id = ${groupId} and hidden = 0 and follower_total is not null and id not in (select member_id from since)
      order by follower_total desc, id ${first}
    ) as unchanged
    union all
    select members.id as member_id, members.follower_total as latest, null as at_start, members.follower_total - since.change as at_end
    from since inner join members on members.id = since.member_id
    where members.hidden = 0 and since.began = 0
    order by at_end desc, member_id ${first}
  `.execute(db);
  return rows.map(toStanding);
}

/**
 * Adds follower reports' changes to their members' periods (`reportChanges`, domain/follower-periods.ts):
 * gains added, a first report marked, and the total after the latest report kept as the period's end.
 */
export async function addToFollowerPeriods(db: Db, changes: readonly FollowerPeriodChange[]): Promise<void> {
  for (let i = 0; i < changes.length; i += BATCH_ROWS) {
    await db
      .insertInto('follower_periods')
      .values(
        changes.slice(i, i + BATCH_ROWS).map((c) => ({ member_id: c.memberId, group_id: c.groupId, period: c.period, gain: c.gain, first_report: c.firstReport, end_total: c.endTotal })),
      )
      .onConflict((oc) =>
        oc.columns(['member_id', 'period']).doUpdateSet((eb) => ({
          gain: eb('follower_periods.gain', '+', eb.ref('excluded.gain')),
          first_report: eb('follower_periods.first_report', '+', eb.ref('excluded.first_report')),
          end_total: eb.ref('excluded.end_total'),
        })),
      )
      .execute();
  }
}

/** Rows per upsert: well under either dialect's limit on bound values. */
const BATCH_ROWS = 500;
/** Members counted again per query: their reports fit in memory at once. */
const RECOUNT_MEMBERS = 200;

/**
 * Counts a group's week, month and year follower periods again from its reports, after its week start
 * or zone changed (which moves reports between periods; all time stays). Reads the group's reports once.
 */
export async function recountFollowerPeriods(db: Db, group: { id: number; timezone: string; weekStart: number }): Promise<void> {
  await db.deleteFrom('follower_periods').where('group_id', '=', group.id).where('period', '!=', ALL_TIME_KEY).execute();
  const members = await db.selectFrom('members').select('id').where('group_id', '=', group.id).where('follower_total', 'is not', null).orderBy('id').execute();
  for (let i = 0; i < members.length; i += RECOUNT_MEMBERS) {
    const reports = await db
      .selectFrom('follower_snapshots')
      .select(['member_id', 'total', 'previous_total', 'recorded_at'])
      .where('member_id', 'in', members.slice(i, i + RECOUNT_MEMBERS).map((m) => m.id))
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
    await addToFollowerPeriods(db, countFollowerPeriods(group, reports).filter((c) => c.period !== ALL_TIME_KEY));
  }
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
