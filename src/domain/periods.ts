import { addDays, type LocalDate } from './local-date';

export type PeriodName = 'week' | 'month' | 'year' | 'all';

/** A span of local dates, inclusive. */
export interface DateSpan {
  from: LocalDate;
  to: LocalDate;
}

/** ISO weekday of a date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The first day of the week holding `date`, for a group whose weeks start on `weekStart` (1-7). */
export function startOfWeek(date: LocalDate, weekStart: number): LocalDate {
  return addDays(date, -((isoWeekday(date) - weekStart + 7) % 7));
}

/** The week holding `date`. */
export function weekOf(date: LocalDate, weekStart: number): DateSpan {
  const from = startOfWeek(date, weekStart);
  return { from, to: addDays(from, 6) };
}

/** The calendar month holding `date`. */
export function monthOf(date: LocalDate): DateSpan {
  const from = `${date.slice(0, 8)}01`;
  const nextMonth = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1)).toISOString().slice(0, 10);
  return { from, to: addDays(nextMonth, -1) };
}

/** The calendar year holding `date`. */
export function yearOf(date: LocalDate): DateSpan {
  return { from: `${date.slice(0, 4)}-01-01`, to: `${date.slice(0, 4)}-12-31` };
}

/** Where 'all' starts: before any date a log can have. */
export const ALL_TIME_FROM: LocalDate = '0000-01-01';

/** The named period holding `today`; 'all' is everything up to today. */
export function periodOf(name: PeriodName, today: LocalDate, weekStart: number): DateSpan {
  if (name === 'week') return weekOf(today, weekStart);
  if (name === 'month') return monthOf(today);
  if (name === 'year') return yearOf(today);
  return { from: ALL_TIME_FROM, to: today };
}

/**
 * Running totals are kept per member and period, under these keys: 'all', 'week:<first day>',
 * 'month:YYYY-MM' and 'year:YYYY'. A date counts toward one period of each kind; weeks begin on the
 * group's `weekStart`, so a group that moves its week start has its week totals counted again.
 */
export type PeriodKey = string;

export const ALL_TIME_KEY: PeriodKey = 'all';

/** The keys of every period a date counts toward, all time first. */
export function periodKeysOf(date: LocalDate, weekStart: number): PeriodKey[] {
  return [ALL_TIME_KEY, `week:${startOfWeek(date, weekStart)}`, `month:${date.slice(0, 7)}`, `year:${date.slice(0, 4)}`];
}

/**
 * The key of the kept totals that answer a span exactly, or undefined when none does (a span that is
 * not one whole week, month or year). A span from the start of time is all time: its totals also
 * hold the odd log dated after the group's today by a member in a zone ahead of it, which such a
 * board counts a day later anyway.
 */
export function periodKeyOfSpan(span: DateSpan, weekStart: number): PeriodKey | undefined {
  if (span.from === ALL_TIME_FROM) return ALL_TIME_KEY;
  const week = weekOf(span.from, weekStart);
  if (week.from === span.from && week.to === span.to) return `week:${span.from}`;
  const month = monthOf(span.from);
  if (month.from === span.from && month.to === span.to) return `month:${span.from.slice(0, 7)}`;
  const year = yearOf(span.from);
  if (year.from === span.from && year.to === span.to) return `year:${span.from.slice(0, 4)}`;
  return undefined;
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
