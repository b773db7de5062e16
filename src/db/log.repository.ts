import type { LoggedEntry, LogTotals } from '../domain/log-entry';
import type { LoggedDay } from '../domain/streak';
import type { Db } from './database';
import { prepared } from './prepared';
import type { LogRow, NewLogRow } from './log.table';

/** Every column of a new log, spelled out (a prepared query has one shape). */
export type LogValues = Required<Omit<NewLogRow, 'id'>>;

const insertLogQuery = prepared((db: Db, row: LogValues) =>
  db
    .insertInto('logs')
    .values(row)
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('id'),
);

/** Inserts a log unless its event key was seen before; returns the new id, or undefined for a re-delivery. */
export async function insertLog(db: Db, row: LogValues): Promise<number | undefined> {
  const [inserted] = await insertLogQuery(db, row);
  return inserted?.id;
}

/** What a log row says about the writing it records, for the layers above storage. */
export function toLoggedEntry(row: LogRow): LoggedEntry {
  return { date: row.local_date, words: row.words, minutes: row.minutes };
}

export async function findLatestLog(db: Db, memberId: number): Promise<LogRow | undefined> {
  return db.selectFrom('logs').selectAll().where('member_id', '=', memberId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function findLogByMessage(db: Db, groupId: number, messageId: string): Promise<LogRow | undefined> {
  return db
    .selectFrom('logs')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

export async function updateLogEntry(
  db: Db,
  id: number,
  fields: Pick<LogRow, 'words' | 'minutes' | 'url' | 'note'>,
): Promise<void> {
  await db.updateTable('logs').set(fields).where('id', '=', id).execute();
}

/** Deletes a log; returns what it held as it was deleted, or undefined if another change deleted it first. */
export async function deleteLog(db: Db, id: number): Promise<LogRow | undefined> {
  return db.deleteFrom('logs').where('id', '=', id).returningAll().executeTakeFirst();
}

const loggedDaysQuery = prepared((db: Db, args: { memberId: number }) =>
  db.selectFrom('logs').select(['local_date', 'zone', 'rollover_hour']).where('member_id', '=', args.memberId),
);

/** The (date, calendar) of each of the member's logs, repeats included: the input of a full streak recompute. */
export async function listLoggedDays(db: Db, memberId: number): Promise<LoggedDay[]> {
  const rows = await loggedDaysQuery(db, { memberId });
  return rows.map((r) => ({ date: r.local_date, zone: r.zone, rolloverHour: r.rollover_hour }));
}

const sumLogsQuery = prepared((db: Db, args: { memberId: number; from: string; to: string }) =>
  db
    .selectFrom('logs')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('words'), eb.lit(0)).as('words'),
      eb.fn.coalesce(eb.fn.sum<number>('minutes'), eb.lit(0)).as('minutes'),
      eb.fn.countAll<number>().as('entries'),
      eb.fn.count<number>('local_date').distinct().as('days'),
    ])
    .where('member_id', '=', args.memberId)
    .where('local_date', '>=', args.from)
    .where('local_date', '<=', args.to),
);

/** Totals of a member's logs, optionally for dates in [from, to]. */
export async function sumLogs(db: Db, memberId: number, range: { from: string; to: string } = { from: '0000-01-01', to: '9999-12-31' }): Promise<LogTotals> {
  const [row] = await sumLogsQuery(db, { memberId, ...range });
  return { words: Number(row!.words), minutes: Number(row!.minutes), entries: Number(row!.entries), days: Number(row!.days) };
}

export async function listLogs(db: Db, memberIds: number[]): Promise<LogRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('logs').selectAll().where('member_id', 'in', memberIds).orderBy('id').execute();
}

export async function countLogs(db: Db, memberIds: number[]): Promise<number> {
  if (memberIds.length === 0) return 0;
  const row = await db
    .selectFrom('logs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('member_id', 'in', memberIds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Words per logged date of a member (0 for a date logged without a word count). */
export async function wordsByDate(db: Db, memberId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('logs')
    .select((eb) => ['local_date', eb.fn.sum<number>('words').as('words')])
    .where('member_id', '=', memberId)
    .groupBy('local_date')
    .execute();
  return new Map(rows.map((r) => [r.local_date, Number(r.words)]));
}
