import { countTotals, type LoggedDate, mergeChanges, type TotalsChange } from '../domain/running-totals';
import { ALL_TIME_KEY, type PeriodKey } from '../domain/periods';
import type { Db } from './database';

/** Rows per upsert: well under either dialect's limit on bound values. */
const BATCH_ROWS = 500;

/** Adds changes to the members' running totals, creating a member's row of a period on its first change. */
export async function addToTotals(db: Db, changes: TotalsChange[]): Promise<void> {
  const merged = mergeChanges(changes);
  for (let i = 0; i < merged.length; i += BATCH_ROWS) {
    await db
      .insertInto('member_totals')
      .values(
        merged.slice(i, i + BATCH_ROWS).map((c) => ({
          member_id: c.memberId,
          group_id: c.groupId,
          period: c.period,
          words: c.words,
          minutes: c.minutes,
          days: c.days,
          reads: c.reads,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['member_id', 'period']).doUpdateSet((eb) => ({
          words: eb('member_totals.words', '+', eb.ref('excluded.words')),
          minutes: eb('member_totals.minutes', '+', eb.ref('excluded.minutes')),
          days: eb('member_totals.days', '+', eb.ref('excluded.days')),
          reads: eb('member_totals.reads', '+', eb.ref('excluded.reads')),
        })),
      )
      .execute();
  }
}

/**
 * Makes sure the member has an all-time row and holds its lock until the transaction ends. Every
 * change to a member's logs takes it first, so on Postgres two of them are counted one after the
 * other (whether a date was already logged is then read after the other change committed); SQLite
 * runs one writing transaction at a time anyway.
 */
export async function lockTotals(db: Db, member: { memberId: number; groupId: number }): Promise<void> {
  await db
    .insertInto('member_totals')
    .values({ member_id: member.memberId, group_id: member.groupId, period: ALL_TIME_KEY, words: 0, minutes: 0, days: 0, reads: 0 })
    .onConflict((oc) => oc.columns(['member_id', 'period']).doUpdateSet((eb) => ({ words: eb.ref('member_totals.words') })))
    .execute();
}

export type RankedColumn = 'words' | 'reads';

/** A group's shown members' totals of a period in one column, above 0: the rows a board ranks. */
export function shownTotals(db: Db, groupId: number, period: PeriodKey, column: RankedColumn) {
  return db
    .selectFrom('member_totals')
    .where('member_totals.group_id', '=', groupId)
    .where('member_totals.period', '=', period)
    .where(`member_totals.${column}`, '>', 0)
    .where('member_totals.member_id', 'not in', db.selectFrom('members').select('id').where('group_id', '=', groupId).where('hidden', '=', 1));
}

/** How many shown members scored in a period's column, and their scores added up. */
export async function totalsSummary(db: Db, groupId: number, period: PeriodKey, column: RankedColumn): Promise<{ size: number; total: number }> {
  const row = await shownTotals(db, groupId, period, column)
    .select((eb) => [eb.fn.countAll<number>().as('size'), eb.fn.coalesce(eb.fn.sum<number>(`member_totals.${column}`), eb.lit(0)).as('total')])
    .executeTakeFirstOrThrow();
  return { size: Number(row.size), total: Number(row.total) };
}

/** What is kept for a member in a period, for checks against the rows they add up. */
export async function findTotals(db: Db, memberId: number): Promise<Map<PeriodKey, { words: number; minutes: number; days: number; reads: number }>> {
  const rows = await db.selectFrom('member_totals').select(['period', 'words', 'minutes', 'days', 'reads']).where('member_id', '=', memberId).execute();
  return new Map(rows.map((r) => [r.period, { words: Number(r.words), minutes: Number(r.minutes), days: Number(r.days), reads: Number(r.reads) }]));
}

/** Members counted again per query: their logged dates and reads, summed per date, fit in memory at once. */
const RECOUNT_MEMBERS = 200;

/** A group's members' logged dates (words and minutes summed per date) and first-hour reads given, some members at a time. */
export async function* rowsToCount(db: Db, groupId: number): AsyncGenerator<{ dates: LoggedDate[]; reads: { memberId: number; readAt: number }[] }> {
  const members = await db.selectFrom('members').select('id').where('group_id', '=', groupId).orderBy('id').execute();
  for (let i = 0; i < members.length; i += RECOUNT_MEMBERS) {
    const ids = members.slice(i, i + RECOUNT_MEMBERS).map((m) => m.id);
    const [dates, reads] = await Promise.all([
      db
        .selectFrom('logs')
        .select((eb) => ['member_id', 'local_date', eb.fn.sum<number>('words').as('words'), eb.fn.sum<number>('minutes').as('minutes')])
        .where('member_id', 'in', ids)
        .groupBy(['member_id', 'local_date'])
        .execute(),
      db
        .selectFrom('reads')
        .innerJoin('publications', 'publications.id', 'reads.publication_id')
        .select(['reads.member_id', 'reads.read_at'])
        .where('reads.member_id', 'in', ids)
        .where('publications.group_id', '=', groupId)
        .where('reads.first_hour', '=', 1)
        .execute(),
    ]);
    yield {
      dates: dates.map((d) => ({ memberId: d.member_id, date: d.local_date, words: Number(d.words), minutes: Number(d.minutes) })),
      reads: reads.map((r) => ({ memberId: r.member_id, readAt: Number(r.read_at) })),
    };
  }
}

/**
 * Counts a group's totals again from its rows: its week, month and year totals after its week start
 * or zone changed (which moves dates and reads between periods; all-time totals stay, as no setting
 * moves them), or `everything`, for rows written without their totals (a bulk load). This reads the
 * group's whole history, once per such change.
 */
export async function recountTotals(db: Db, group: { id: number; timezone: string; weekStart: number }, which: 'periods' | 'everything' = 'periods'): Promise<void> {
  const query = db.deleteFrom('member_totals').where('group_id', '=', group.id);
  await (which === 'periods' ? query.where('period', '!=', ALL_TIME_KEY) : query).execute();
  for await (const { dates, reads } of rowsToCount(db, group.id)) {
    const changes = countTotals(group, dates, reads);
    await addToTotals(db, which === 'periods' ? changes.filter((c) => c.period !== ALL_TIME_KEY) : changes);
  }
}
