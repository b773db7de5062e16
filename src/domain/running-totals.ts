import { type LocalDate, localDateOf } from './local-date';
import { type PeriodKey, periodKeysOf } from './periods';

/** What a member's totals change by: added to each of the periods it falls in. */
export interface TotalsDelta {
  words?: number;
  minutes?: number;
  days?: number;
  reads?: number;
}

/** One member's change in one period. */
export interface TotalsChange extends Required<TotalsDelta> {
  memberId: number;
  groupId: number;
  period: PeriodKey;
}

/** The changes a delta on a date makes: one per period the date counts toward. */
export function changesOn(member: { memberId: number; groupId: number }, date: LocalDate, weekStart: number, delta: TotalsDelta): TotalsChange[] {
  const full = { words: delta.words ?? 0, minutes: delta.minutes ?? 0, days: delta.days ?? 0, reads: delta.reads ?? 0 };
  return periodKeysOf(date, weekStart).map((period) => ({ ...member, period, ...full }));
}

/** The keys of a change that hold amounts. */
type Amounts<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

/**
 * Changes merged per member and period (an upsert may touch each row once per statement), summing
 * `amounts`; the ones whose amounts are all zero left out.
 */
export function mergeChanges<T extends { memberId: number; period: PeriodKey }>(changes: readonly T[], amounts: readonly Amounts<T>[]): T[] {
  const merged = new Map<string, T>();
  for (const change of changes) {
    const key = `${change.memberId}|${change.period}`;
    const kept = merged.get(key);
    if (!kept) merged.set(key, { ...change });
    else for (const amount of amounts) (kept[amount] as number) += change[amount] as number;
  }
  return [...merged.values()].filter((c) => amounts.some((amount) => c[amount] !== 0));
}

/** A member's logging of one date, summed over that date's logs. */
export interface LoggedDate {
  memberId: number;
  date: LocalDate;
  words: number;
  minutes: number;
}

/** The totals that rows add up to, counted from scratch: each logged date once, each first-hour read on the group's date it was given. */
export function countTotals(group: { id: number; timezone: string; weekStart: number }, dates: LoggedDate[], firstHourReads: { memberId: number; readAt: number }[]): TotalsChange[] {
  // A history repeats the same few hundred dates for every member: their keys are worked out once.
  const keysOf = new Map<LocalDate, PeriodKey[]>();
  const keys = (date: LocalDate) => {
    let found = keysOf.get(date);
    if (!found) keysOf.set(date, (found = periodKeysOf(date, group.weekStart)));
    return found;
  };
  const totals = new Map<string, TotalsChange>();
  const add = (memberId: number, date: LocalDate, words: number, minutes: number, days: number, reads: number) => {
    for (const period of keys(date)) {
      const key = `${memberId}|${period}`;
      const kept = totals.get(key);
      if (kept) {
        kept.words += words;
        kept.minutes += minutes;
        kept.days += days;
        kept.reads += reads;
      } else totals.set(key, { memberId, groupId: group.id, period, words, minutes, days, reads });
    }
  };
  for (const d of dates) add(d.memberId, d.date, d.words, d.minutes, 1, 0);
  const calendar = { zone: group.timezone, rolloverHour: 0 };
  for (const r of firstHourReads) add(r.memberId, localDateOf(r.readAt, calendar), 0, 0, 0, 1);
  return [...totals.values()];
}
