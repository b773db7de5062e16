import { addDays, type DayCalendar, dayEnd, dayNumber, dayStart, fromDayNumber, type LocalDate, localDateOf } from './local-date';
import { MAX_ROLLOVER_HOUR } from './member';
import type { DateSpan } from './periods';

/** A date the member wrote on, with the calendar it was logged in (kept when they later change zone). */
export interface LoggedDay extends DayCalendar {
  date: LocalDate;
}

/** A paused stretch of dates, inclusive; an open one (end null) is capped at MAX_VACATION_DAYS. */
export interface Vacation {
  start: LocalDate;
  end: LocalDate | null;
}

export const FREEZE_EVERY_DAYS = 7;
export const MAX_FREEZES = 2;
export const MAX_VACATION_DAYS = 30;
export const STREAK_MILESTONES = [7, 30, 100, 180, 365] as const;

/**
 * The streak as of the member's latest writing day; what it means on a given day is `streakOn`.
 *
 * Each logged date is a window of time, from its start to its end in the calendar it was logged in.
 * A day is missed only when one whole local day passes that no logged window touches, so a date
 * skipped by crossing time zones (or changing the rollover hour) never breaks a streak, while a day
 * without writing always does.
 */
export interface StreakState {
  /** Dates in the current streak. */
  current: number;
  longest: number;
  /** Freezes held now; one bridges a single missed day. */
  freezes: number;
  /** Dates in a row with no bridged gap, towards the next freeze. */
  run: number;
  /** First date of the current streak. */
  startDate: LocalDate | null;
  /** Latest date in the current streak. */
  lastDate: LocalDate | null;
  /** Latest end of any window seen: time up to here is covered. */
  coveredUntil: number;
  /** Start of the last window folded in: a log starting earlier needs a full recompute. */
  lastStart: number;
}

/** What a cached streak shows on a given day is read from these alone (`streakOn`); leaderboards load only them. */
export type StreakView = Pick<StreakState, 'current' | 'longest' | 'freezes' | 'startDate' | 'lastDate' | 'coveredUntil'>;

export const EMPTY_STREAK: StreakState = {
  current: 0,
  longest: 0,
  freezes: 0,
  run: 0,
  startDate: null,
  lastDate: null,
  coveredUntil: Number.NEGATIVE_INFINITY,
  lastStart: Number.NEGATIVE_INFINITY,
};

/** Whether two states are the same in every field (nothing to write). */
export function sameStreak(a: StreakState, b: StreakState): boolean {
  return (Object.keys(a) as (keyof StreakState)[]).every((key) => a[key] === b[key]);
}

export function vacationEnd(vacation: Vacation): LocalDate {
  const cap = addDays(vacation.start, MAX_VACATION_DAYS - 1);
  return vacation.end === null || vacation.end > cap ? cap : vacation.end;
}

export function onVacation(date: LocalDate, vacations: readonly Vacation[]): boolean {
  return vacations.some((v) => date >= v.start && date <= vacationEnd(v));
}

/** Missed days before a date: how many, and the day number of the first (the one a freeze would bridge). */
export interface Missed {
  count: number;
  firstDay: number;
}

const NONE_MISSED: Missed = { count: 0, firstDay: Number.NaN };

/**
 * The dates before `date` (in its calendar) that lie wholly after `coveredUntil` and are not paused:
 * the days missed between the covered time and that date. Counted in day numbers, not listed, since
 * a member back after a year away has a year of them.
 */
export function missedBefore(coveredUntil: number, date: LocalDate, calendar: DayCalendar, vacations: readonly Vacation[]): Missed {
  if (!Number.isFinite(coveredUntil) || dayStart(date, calendar) <= coveredUntil) return NONE_MISSED;
  let first = localDateOf(coveredUntil, calendar);
  if (dayStart(first, calendar) < coveredUntil) first = addDays(first, 1);
  const from = dayNumber(first);
  const to = dayNumber(date) - 1;
  if (to < from) return NONE_MISSED;
  const paused = pausedSpans(vacations);
  const count = to - from + 1 - pausedWithin(paused, from, to);
  if (count === 0) return NONE_MISSED;
  let firstDay = from;
  while (isPausedDay(paused, firstDay)) firstDay++;
  return { count, firstDay };
}

/** Vacations as merged [start, end] day-number spans, so no day is counted twice. */
function pausedSpans(vacations: readonly Vacation[]): [number, number][] {
  if (vacations.length === 0) return [];
  const merged: [number, number][] = [];
  const spans = vacations.map((v) => [dayNumber(v.start), dayNumber(vacationEnd(v))] as [number, number]).sort((a, b) => a[0] - b[0]);
  for (const [start, end] of spans) {
    const last = merged.at(-1);
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function pausedWithin(paused: [number, number][], from: number, to: number): number {
  return paused.reduce((sum, [start, end]) => sum + Math.max(0, Math.min(end, to) - Math.max(start, from) + 1), 0);
}

function isPausedDay(paused: [number, number][], day: number): boolean {
  return paused.some(([start, end]) => day >= start && day <= end);
}

export interface Advance {
  state: StreakState;
  /** The missed date a freeze bridged, if one was used. */
  bridged: LocalDate | null;
}

/** Whether a day can be folded into the cached state, or the whole history must be recomputed. */
export function canAdvance(state: StreakState, day: LoggedDay): boolean {
  return dayStart(day.date, day) >= state.lastStart;
}

/** The streak after one more logged day; days must come in order of their start (see `canAdvance`). */
export function advanceStreak(state: StreakState, day: LoggedDay, vacations: readonly Vacation[]): Advance {
  const start = dayStart(day.date, day);
  if (start < state.lastStart) throw new RangeError('advanceStreak needs days in order of their start');
  const next = { ...state, lastStart: start, coveredUntil: Math.max(state.coveredUntil, dayEnd(day.date, day)) };
  // The same date again (another log, or the same date seen from another zone) adds no day.
  if (state.lastDate !== null && day.date <= state.lastDate) return { state: next, bridged: null };

  const missed = missedBefore(state.coveredUntil, day.date, day, vacations);
  let bridged: LocalDate | null = null;
  if (state.lastDate === null || missed.count > 1 || (missed.count === 1 && next.freezes === 0)) {
    next.current = 0;
    next.run = 0;
    next.startDate = day.date;
  } else if (missed.count === 1) {
    next.freezes -= 1;
    next.run = 0;
    bridged = fromDayNumber(missed.firstDay);
  }
  next.current += 1;
  next.run += 1;
  next.lastDate = day.date;
  if (next.run % FREEZE_EVERY_DAYS === 0) next.freezes = Math.min(MAX_FREEZES, next.freezes + 1);
  next.longest = Math.max(next.longest, next.current);
  return { state: next, bridged };
}

export interface StreakHistory {
  state: StreakState;
  /** Missed dates that freezes bridged, oldest first. */
  frozenDates: LocalDate[];
}

/** The streak from scratch: a pure function of the logged days and vacations, in any order. */
export function computeStreak(days: readonly LoggedDay[], vacations: readonly Vacation[]): StreakHistory {
  return computeInOneCalendar(days, vacations) ?? computeAcrossCalendars(days, vacations);
}

/**
 * The usual case, where every day was logged in one calendar: the windows are the dates themselves,
 * so the rules reduce to day numbers, with no time-zone work but for the last day. Gives exactly what
 * `computeAcrossCalendars` gives for such days.
 */
function computeInOneCalendar(days: readonly LoggedDay[], vacations: readonly Vacation[]): StreakHistory | undefined {
  const first = days[0];
  if (!first) return { state: EMPTY_STREAK, frozenDates: [] };
  const dates: LocalDate[] = [];
  let inOrder = true;
  for (const d of days) {
    if (d.zone !== first.zone || d.rolloverHour !== first.rolloverHour) return undefined;
    const previous = dates[dates.length - 1];
    if (previous !== undefined && d.date < previous) inOrder = false;
    dates.push(d.date);
  }
  // Logs mostly arrive in date order; sort only when they did not, then drop repeats.
  if (!inOrder) dates.sort();
  let unique = 0;
  for (const date of dates) if (unique === 0 || dates[unique - 1] !== date) dates[unique++] = date;
  dates.length = unique;
  const paused = pausedSpans(vacations);

  let current = 0;
  let longest = 0;
  let freezes = 0;
  let run = 0;
  let startDate = dates[0]!;
  let previous = Number.NaN;
  const frozenDates: LocalDate[] = [];
  for (const date of dates) {
    const n = dayNumber(date);
    const gap = Number.isNaN(previous) ? 0 : n - previous - 1;
    const missed = gap === 0 ? 0 : gap - pausedWithin(paused, previous + 1, n - 1);
    if (Number.isNaN(previous) || missed > 1 || (missed === 1 && freezes === 0)) {
      current = 0;
      run = 0;
      startDate = date;
    } else if (missed === 1) {
      freezes -= 1;
      run = 0;
      let bridged = previous + 1;
      while (isPausedDay(paused, bridged)) bridged++;
      frozenDates.push(fromDayNumber(bridged));
    }
    current += 1;
    run += 1;
    if (run % FREEZE_EVERY_DAYS === 0) freezes = Math.min(MAX_FREEZES, freezes + 1);
    longest = Math.max(longest, current);
    previous = n;
  }
  const lastDate = dates[dates.length - 1]!;
  return {
    state: { current, longest, freezes, run, startDate, lastDate, coveredUntil: dayEnd(lastDate, first), lastStart: dayStart(lastDate, first) },
    frozenDates,
  };
}

/** The general case: windows of time folded in order of their start, across any calendars. */
function computeAcrossCalendars(days: readonly LoggedDay[], vacations: readonly Vacation[]): StreakHistory {
  const ordered = days
    .map((day) => ({ day, start: dayStart(day.date, day) }))
    .sort((a, b) => a.start - b.start || (a.day.date < b.day.date ? -1 : a.day.date > b.day.date ? 1 : 0));
  let state = EMPTY_STREAK;
  const frozenDates: LocalDate[] = [];
  for (const { day } of ordered) {
    const step = advanceStreak(state, day, vacations);
    state = step.state;
    if (step.bridged) frozenDates.push(step.bridged);
  }
  return { state, frozenDates };
}

/** What the streak means on a given day, whether or not the member has logged it yet. */
export interface StreakToday {
  current: number;
  longest: number;
  freezes: number;
  loggedToday: boolean;
  /** Alive but not yet extended today: the day a streak-at-risk nudge is for. */
  atRisk: boolean;
}

export function streakOn(
  state: StreakView,
  today: LocalDate,
  calendar: DayCalendar,
  vacations: readonly Vacation[],
): StreakToday {
  const { longest, freezes } = state;
  if (state.lastDate === null) return { current: 0, longest, freezes, loggedToday: false, atRisk: false };
  const loggedToday = state.lastDate >= today;
  const missed = loggedToday ? 0 : missedBefore(state.coveredUntil, today, calendar, vacations).count;
  const atRisk = !loggedToday && !onVacation(today, vacations);
  // Object literals of one shape, not spreads: leaderboards call this for every member.
  if (missed === 0) return { current: state.current, longest, freezes, loggedToday, atRisk };
  if (missed === 1 && freezes > 0) return { current: state.current, longest, freezes: freezes - 1, loggedToday, atRisk };
  return { current: 0, longest, freezes, loggedToday, atRisk: false };
}

/** The shortest streak whose end a digest mentions. */
const SHORTEST_ENDED_STREAK = 2;

/** Whether a streak of 2+ days that was alive on a span's first date was gone the day after its last. */
export function streakEndedIn(state: StreakView, span: DateSpan, calendar: DayCalendar, vacations: readonly Vacation[]): boolean {
  const dayAfter = addDays(span.to, 1);
  if (state.current < SHORTEST_ENDED_STREAK || state.lastDate === null || state.lastDate >= dayAfter) return false;
  return streakOn(state, span.from, calendar, vacations).current >= SHORTEST_ENDED_STREAK && streakOn(state, dayAfter, calendar, vacations).current === 0;
}

const HOUR = 3_600_000;
const UTC: DayCalendar = { zone: 'UTC', rolloverHour: 0 };

/**
 * What the cached state of a streak that ended in a span must be, whatever the member's calendar, so
 * a digest reads only those streaks: 2+ days, last date before the day after the span, and covered
 * time ending in a window. Alive on the first date means no two whole days missed before it: covered
 * past the start of the date two days earlier. Gone the day after the last date means one whole day
 * missed: covered no later than the start of the last date. A date starts between 14 hours before its
 * UTC midnight (UTC+14) and 12 hours after it (UTC-12) plus the latest rollover hour. Vacations lift
 * the first bound, since paused days are not missed.
 */
export function endedStreakBounds(span: DateSpan): { minimum: number; lastBefore: LocalDate; coveredAfter: number; coveredAtMost: number } {
  return {
    minimum: SHORTEST_ENDED_STREAK,
    lastBefore: addDays(span.to, 1),
    coveredAfter: dayStart(addDays(span.from, -2), UTC) - 14 * HOUR,
    coveredAtMost: dayStart(span.to, UTC) + (12 + MAX_ROLLOVER_HOUR) * HOUR,
  };
}

/** Milestones passed when the streak went from `before` to `after` days. */
export function milestonesCrossed(before: number, after: number): number[] {
  return STREAK_MILESTONES.filter((m) => m > before && m <= after);
}
