import { addDays, type LocalDate } from './local-date';

export type PeriodName = 'week' | 'month' | 'all';

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

/** The named period holding `today`; 'all' is everything up to today. */
export function periodOf(name: PeriodName, today: LocalDate, weekStart: number): DateSpan {
  if (name === 'week') return weekOf(today, weekStart);
  if (name === 'month') return monthOf(today);
  return { from: '0000-01-01', to: today };
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
