import { PostgresAdapter } from 'kysely';
import { countTotals, type LoggedDate, mergeChanges, type TotalsChange, type TotalsDelta } from '../domain/running-totals';
import { localDateOf } from '../domain/local-date';
import { ALL_TIME_KEY, type PeriodKey, periodKeysOf } from '../domain/periods';
import { fewShapedBatches } from './batches';
import type { Db } from './database';
import { prepared } from './prepared';

/** Rows per upsert: well under either dialect's limit on bound values. */
const BATCH_ROWS = 500;

/** The columns of member_totals that hold amounts. */
type TotalColumn = 'words' | 'minutes' | 'days' | 'reads' | 'responses_given' | 'responses_received';
const TOTAL_COLUMNS: readonly TotalColumn[] = ['words', 'minutes', 'days', 'reads', 'responses_given', 'responses_received'];

type TotalsRow = { memberId: number; groupId: number; period: PeriodKey } & Partial<Record<TotalColumn, number>>;

/**
 * Adds rows (one per member and period) to the running totals, creating a member's row of a period on
 * its first change. Only the columns some row moves are written, so the indexes of the others stay untouched.
 */
async function upsertTotals(db: Db, rows: TotalsRow[]): Promise<void> {
  const moved = TOTAL_COLUMNS.filter((column) => rows.some((row) => (row[column] ?? 0) !== 0));
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    await db
      .insertInto('member_totals')
      .values(
        rows.slice(i, i + BATCH_ROWS).map((row) => ({
          member_id: row.memberId,
          group_id: row.groupId,
          period: row.period,
          words: row.words ?? 0,
          minutes: row.minutes ?? 0,
          days: row.days ?? 0,
          reads: row.reads ?? 0,
          responses_given: row.responses_given ?? 0,
          responses_received: row.responses_received ?? 0,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['member_id', 'period']).doUpdateSet((eb) => Object.fromEntries(moved.map((column) => [column, eb(`member_totals.${column}`, '+', eb.ref(`excluded.${column}`))]))),
      )
      .execute();
  }
}

/** Adds changes to the members' running totals of words, minutes, days and reads. */
export function addToTotals(db: Db, changes: TotalsChange[]): Promise<void> {
  return upsertTotals(db, mergeChanges(changes, ['words', 'minutes', 'days', 'reads']));
}

/**
 * On Postgres, makes sure the member has an all-time row and holds its lock until the transaction
 * ends. Every change to a member's logs takes it first, so two of them are counted one after the
 * other (whether a date was already logged is then read after the other change committed).
 */
export async function lockTotals(db: Db, member: { memberId: number; groupId: number }): Promise<void> {
  // SQLite's writing transactions begin with BEGIN IMMEDIATE, one at a time: nothing to wait for.
  if (db.getExecutor().adapter instanceof PostgresAdapter) await lockQuery(db, member);
}

const lockQuery = prepared((db: Db, args: { memberId: number; groupId: number }) =>
  db
    .insertInto('member_totals')
    .values({ member_id: args.memberId, group_id: args.groupId, period: ALL_TIME_KEY, words: 0, minutes: 0, days: 0, reads: 0 })
    .onConflict((oc) => oc.columns(['member_id', 'period']).doUpdateSet((eb) => ({ words: eb.ref('member_totals.words') }))),
);

type LogInFourPeriods = { memberId: number; groupId: number; p0: string; p1: string; p2: string; p3: string; words: number; minutes: number; days: number };

// A log changes one member's four periods by the same amounts: one statement, compiled once (every
// /log runs it). It sets only the columns a log changes, so the reads index is left untouched.
const addLogQuery = prepared((db: Db, a: LogInFourPeriods) =>
  db
    .insertInto('member_totals')
    .values([a.p0, a.p1, a.p2, a.p3].map((period) => ({ member_id: a.memberId, group_id: a.groupId, period, words: a.words, minutes: a.minutes, days: a.days, reads: 0 })))
    .onConflict((oc) =>
      oc.columns(['member_id', 'period']).doUpdateSet((eb) => ({
        words: eb('member_totals.words', '+', eb.ref('excluded.words')),
        minutes: eb('member_totals.minutes', '+', eb.ref('excluded.minutes')),
        days: eb('member_totals.days', '+', eb.ref('excluded.days')),
      })),
    ),
);

/** Adds a log's change (words, minutes, days) to a member's totals of each period its date counts toward (`periodKeysOf`). */
export async function addLogToPeriods(db: Db, member: { memberId: number; groupId: number }, periods: PeriodKey[], delta: Omit<TotalsDelta, 'reads'>): Promise<void> {
  const full = { words: delta.words ?? 0, minutes: delta.minutes ?? 0, days: delta.days ?? 0 };
  if (!full.words && !full.minutes && !full.days) return;
  const { memberId, groupId } = member;
  if (periods.length !== 4) return addToTotals(db, periods.map((period) => ({ memberId, groupId, period, ...full, reads: 0 })));
  await addLogQuery(db, { memberId, groupId, p0: periods[0]!, p1: periods[1]!, p2: periods[2]!, p3: periods[3]!, ...full });
}

type ReadersInFourPeriods = { groupId: number; p0: string; p1: string; p2: string; p3: string } & Record<`m${number}`, number>;

// A first-hour read adds one to each of its reader's four periods. A burst's readers go in statements
// of a few sizes (fewShapedBatches), each compiled once, setting only the reads column, so the words
// index is left untouched.
const addReadsQueries = new Map<number, (db: Db, args: ReadersInFourPeriods) => Promise<unknown>>();
function addReadsQuery(readers: number) {
  let query = addReadsQueries.get(readers);
  if (!query) {
    query = prepared((db: Db, a: ReadersInFourPeriods) =>
      db
        .insertInto('member_totals')
        .values(
          Array.from({ length: readers }, (_, r) =>
            [a.p0, a.p1, a.p2, a.p3].map((period) => ({ member_id: a[`m${r}`]!, group_id: a.groupId, period, words: 0, minutes: 0, days: 0, reads: 1 })),
          ).flat(),
        )
        .onConflict((oc) => oc.columns(['member_id', 'period']).doUpdateSet((eb) => ({ reads: eb('member_totals.reads', '+', eb.ref('excluded.reads')) }))),
    );
    addReadsQueries.set(readers, query);
  }
  return query;
}

/**
 * Adds one first-hour read to each reader's totals of the periods the read's date counts toward
 * (`periodKeysOf`). On SQLite, where building a big statement costs more than running it, the
 * readers of a burst go in a few statements compiled once; on Postgres, a burst is one statement.
 */
export async function addReadToPeriods(db: Db, groupId: number, memberIds: Iterable<number>, periods: PeriodKey[]): Promise<void> {
  const readers = [...memberIds];
  if (periods.length !== 4 || (db.getExecutor().adapter instanceof PostgresAdapter && readers.length > 1))
    return addToTotals(db, readers.flatMap((memberId) => periods.map((period) => ({ memberId, groupId, period, words: 0, minutes: 0, days: 0, reads: 1 }))));
  const [p0, p1, p2, p3] = periods as [PeriodKey, PeriodKey, PeriodKey, PeriodKey];
  for (const batch of fewShapedBatches(readers)) {
    const args: ReadersInFourPeriods = { groupId, p0, p1, p2, p3 };
    batch.forEach((memberId, r) => (args[`m${r}`] = memberId));
    await addReadsQuery(batch.length)(db, args);
  }
}

export type RankedColumn = 'words' | 'reads' | 'responses_given';

/** One member's change in the responses they gave and received, in one period. */
export interface ResponseTotalsChange {
  memberId: number;
  groupId: number;
  period: PeriodKey;
  given: number;
  received: number;
}

/** Adds changes to the responses given and received. */
export function addResponseTotals(db: Db, changes: ResponseTotalsChange[]): Promise<void> {
  return upsertTotals(
    db,
    mergeChanges(changes, ['given', 'received']).map((c) => ({ memberId: c.memberId, groupId: c.groupId, period: c.period, responses_given: c.given, responses_received: c.received })),
  );
}

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
  await recountResponseTotals(db, group, which);
}

/** The responses given and received in a group, counted again from its rows (see `recountTotals`). */
async function recountResponseTotals(db: Db, group: { id: number; timezone: string; weekStart: number }, which: 'periods' | 'everything'): Promise<void> {
  const rows = await db
    .selectFrom('responses')
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .select(['responses.member_id', 'publications.member_id as author_id', 'responses.first_sent_at'])
    .where('publications.group_id', '=', group.id)
    .execute();
  const calendar = { zone: group.timezone, rolloverHour: 0 };
  const changes = rows.flatMap((r) =>
    periodKeysOf(localDateOf(Number(r.first_sent_at), calendar), group.weekStart)
      .filter((period) => which === 'everything' || period !== ALL_TIME_KEY)
      .flatMap((period) => [
        { memberId: r.member_id, groupId: group.id, period, given: 1, received: 0 },
        { memberId: r.author_id, groupId: group.id, period, given: 0, received: 1 },
      ]),
  );
  await addResponseTotals(db, changes);
}
