import type { CalendarDay } from '../domain/web-page';
import type { LocalDate } from '../domain/local-date';
import type { Db } from './database';
import { prepared } from './prepared';

/** A change to one day of a group's calendar: writers who came or went, words added or taken. */
export type CalendarDayChange = {
  groupId: number;
  date: LocalDate;
  writers: number;
  words: number;
};

const BATCH = 500;

const insertOrAdd = (db: Db, rows: { group_id: number; local_date: string; writers: number; words: number }[]) =>
  db
    .insertInto('group_calendar_days')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['group_id', 'local_date']).doUpdateSet((eb) => ({
        writers: eb('group_calendar_days.writers', '+', eb.ref('excluded.writers')),
        words: eb('group_calendar_days.words', '+', eb.ref('excluded.words')),
      })),
    );

// Every log, undo and edit changes one day: compiled once.
const addDayQuery = prepared((db: Db, c: CalendarDayChange) => insertOrAdd(db, [{ group_id: c.groupId, local_date: c.date, writers: c.writers, words: c.words }]));

/** Adds a log's change to its group's day, inside the log's transaction. */
export async function addToCalendarDay(db: Db, change: CalendarDayChange): Promise<void> {
  if (change.writers === 0 && change.words === 0) return;
  await addDayQuery(db, change);
}

/** The days of a group's calendar in a span of dates that anyone wrote on (or once did). */
export async function calendarDays(db: Db, groupId: number, from: LocalDate, to: LocalDate): Promise<Map<LocalDate, CalendarDay>> {
  const rows = await db
    .selectFrom('group_calendar_days')
    .select(['local_date', 'writers', 'words'])
    .where('group_id', '=', groupId)
    .where('local_date', '>=', from)
    .where('local_date', '<=', to)
    .execute();
  return new Map(rows.map((r) => [r.local_date, { writers: Number(r.writers), words: Number(r.words) }]));
}

/**
 * Takes members' logs out of their groups' calendars, before the logs are deleted (/forget): each
 * day they wrote loses one writer and their words, and a day nobody else wrote on goes. Days are
 * changed in one order (group, date), so two at once cannot deadlock on Postgres.
 */
export async function subtractFromCalendars(db: Db, memberIds: number[]): Promise<void> {
  if (memberIds.length === 0) return;
  const days = await db
    .selectFrom('logs')
    .select((eb) => ['group_id', 'local_date', eb.fn.count<number>('member_id').distinct().as('writers'), eb.fn.sum<number>('words').as('words')])
    .where('member_id', 'in', memberIds)
    .groupBy(['group_id', 'local_date'])
    .orderBy('group_id')
    .orderBy('local_date')
    .execute();
  const rows = days.map((d) => ({ group_id: d.group_id, local_date: d.local_date, writers: -Number(d.writers), words: -Number(d.words) }));
  for (let i = 0; i < rows.length; i += BATCH) await insertOrAdd(db, rows.slice(i, i + BATCH)).execute();
  const groupIds = [...new Set(rows.map((r) => r.group_id))];
  if (groupIds.length) await db.deleteFrom('group_calendar_days').where('group_id', 'in', groupIds).where('writers', '<=', 0).execute();
}
