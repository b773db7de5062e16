import type { Db } from '../db/database';
import { addToFollowerPeriods } from '../db/follower.repository';
import { addToCalendarDay } from '../db/group-calendar.repository';
import { addLogToPeriods, addReadToPeriods, addResponseTotals, addToTotals } from '../db/member-totals.repository';
import type { WithdrawnResponse } from '../db/response.repository';
import type { WithdrawnRead } from '../db/publication.repository';
import type { Group } from '../domain/group';
import { type LocalDate, localDateOf } from '../domain/local-date';
import { periodKeysOf } from '../domain/periods';
import { reportChanges } from '../domain/follower-periods';
import type { FollowerReport } from '../domain/leaderboard';
import { changesOn } from '../domain/running-totals';

/**
 * Keeps the members' running totals (member_totals) and their groups' calendars (group_calendar_days)
 * in step with the logs and reads they add up, and their follower periods (follower_periods) with
 * their reports.
 * Each function runs inside the transaction of the change it counts; a change to a member's logs
 * takes `lockTotals` (db/member-totals.repository.ts) before it reads or writes them.
 */

/** A log's place in the totals: whose, which date, how much. */
export interface CountedLog {
  memberId: number;
  groupId: number;
  date: LocalDate;
  words: number;
  minutes: number;
}


/** A log was added; `firstOfDate` when the member had no other log of its date. */
export async function countLogAdded(db: Db, group: Pick<Group, 'weekStart'>, log: CountedLog, firstOfDate: boolean): Promise<void> {
  await addLogToPeriods(db, log, periodKeysOf(log.date, group.weekStart), { words: log.words, minutes: log.minutes, days: firstOfDate ? 1 : 0 });
  await addToCalendarDay(db, { groupId: log.groupId, date: log.date, writers: firstOfDate ? 1 : 0, words: log.words });
}

/** A log was removed; `lastOfDate` when no other log of its date is left. */
export async function countLogRemoved(db: Db, group: Pick<Group, 'weekStart'>, log: CountedLog, lastOfDate: boolean): Promise<void> {
  await addLogToPeriods(db, log, periodKeysOf(log.date, group.weekStart), { words: -log.words, minutes: -log.minutes, days: lastOfDate ? -1 : 0 });
  await addToCalendarDay(db, { groupId: log.groupId, date: log.date, writers: lastOfDate ? -1 : 0, words: -log.words });
}

/** A log's words or minutes were changed (its date never is). */
export async function countLogEdited(db: Db, group: Pick<Group, 'weekStart'>, before: CountedLog, after: Pick<CountedLog, 'words' | 'minutes'>): Promise<void> {
  await addLogToPeriods(db, before, periodKeysOf(before.date, group.weekStart), { words: after.words - before.words, minutes: after.minutes - before.minutes });
  await addToCalendarDay(db, { groupId: before.groupId, date: before.date, writers: 0, words: after.words - before.words });
}

/** First-hour reads given at an instant, on the group's date of it. */
export function countReadsGiven(db: Db, group: Pick<Group, 'id' | 'timezone' | 'weekStart'>, memberIds: Iterable<number>, readAt: number): Promise<void> {
  const periods = periodKeysOf(localDateOf(readAt, { zone: group.timezone, rolloverHour: 0 }), group.weekStart);
  return addReadToPeriods(db, group.id, memberIds, periods);
}

/** Reads deleted with their announcements; `groups` holds the settings of each group they were given in. */
export function countReadsWithdrawn(db: Db, reads: WithdrawnRead[], groups: Map<number, Pick<Group, 'timezone' | 'weekStart'>>): Promise<void> {
  return addToTotals(
    db,
    reads
      .filter((r) => r.firstHour)
      .flatMap((r) => {
        const group = groups.get(r.groupId)!;
        const date = localDateOf(r.readAt, { zone: group.timezone, rolloverHour: 0 });
        return changesOn({ memberId: r.memberId, groupId: r.groupId }, date, group.weekStart, { reads: -1 });
      }),
  );
}

/** A follower report was recorded, on the group's date of it. */
export function countFollowerReport(db: Db, group: Pick<Group, 'id' | 'timezone' | 'weekStart'>, report: FollowerReport): Promise<void> {
  return addToFollowerPeriods(db, reportChanges(group, report));
}

/** A response first sent at an instant: one given by the reader and one received by the author, on the group's date of it. */
export function countResponseGiven(db: Db, group: Pick<Group, 'id' | 'timezone' | 'weekStart'>, response: { readerId: number; authorId: number }, sentAt: number): Promise<void> {
  const periods = periodKeysOf(localDateOf(sentAt, { zone: group.timezone, rolloverHour: 0 }), group.weekStart);
  return addResponseTotals(
    db,
    periods.flatMap((period) => [
      { memberId: response.readerId, groupId: group.id, period, given: 1, received: 0 },
      { memberId: response.authorId, groupId: group.id, period, given: 0, received: 1 },
    ]),
  );
}

/** Responses deleted (by /forget, or with their articles); `groups` holds the settings of each group they were given in. */
export function countResponsesWithdrawn(db: Db, responses: WithdrawnResponse[], groups: Map<number, Pick<Group, 'timezone' | 'weekStart'>>): Promise<void> {
  return addResponseTotals(
    db,
    responses.flatMap((r) => {
      const group = groups.get(r.groupId)!;
      const periods = periodKeysOf(localDateOf(r.firstSentAt, { zone: group.timezone, rolloverHour: 0 }), group.weekStart);
      return periods.flatMap((period) => [
        { memberId: r.readerId, groupId: r.groupId, period, given: -1, received: 0 },
        { memberId: r.authorId, groupId: r.groupId, period, given: 0, received: -1 },
      ]);
    }),
  );
}
