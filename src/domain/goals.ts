import { addDays, daysBetween, isLocalDate, type LocalDate } from './local-date';
import { type DateSpan, monthOf, startOfWeek, weekOf, yearOf } from './periods';

/**
 * Goals and pace: pure rules. A period goal (words per day, week, month or year; days written per
 * week; articles per week or month) is measured in the period holding the member's today; a
 * followers goal by a date and a streak length are long goals, reached once.
 */
export const GOAL_KINDS = ['words', 'days', 'publish', 'followers', 'streak'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

export const GOAL_PERIODS = ['day', 'week', 'month', 'year'] as const;
export type GoalPeriod = (typeof GOAL_PERIODS)[number];

/** The periods each kind takes (the first is its default) and the largest target of each. */
export const GOAL_RULES: Record<GoalKind, { periods: readonly GoalPeriod[]; max: Partial<Record<GoalPeriod | 'once', number>> }> = {
  words: { periods: ['day', 'week', 'month', 'year'], max: { day: 100_000, week: 700_000, month: 3_000_000, year: 36_500_000 } },
  days: { periods: ['week'], max: { week: 7 } },
  publish: { periods: ['week', 'month'], max: { week: 50, month: 200 } },
  followers: { periods: [], max: { once: 100_000_000 } },
  streak: { periods: [], max: { once: 3650 } },
};

/** How far ahead a followers goal may be due. */
export const MAX_GOAL_YEARS = 10;

export interface Goal {
  id: number;
  memberId: number;
  kind: GoalKind;
  period: GoalPeriod | null;
  target: number;
  byDate: LocalDate | null;
  startDate: LocalDate;
  achievedKey: string | null;
  celebratedAt: number | null;
}

/** A goal as typed, before it is stored. */
export interface GoalInput {
  kind: GoalKind;
  period: GoalPeriod | null;
  target: number;
  byDate: LocalDate | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Reads `/goal set <kind> <target> [period] [by]` against the rules; the reason names what is accepted. */
export function checkGoal(kind: string, target: number | undefined, period: string | undefined, by: string | undefined, today: LocalDate): Checked<GoalInput> {
  if (!(GOAL_KINDS as readonly string[]).includes(kind)) return { ok: false, reason: `A goal is one of ${GOAL_KINDS.join(', ')}; got "${kind}".` };
  const k = kind as GoalKind;
  const rules = GOAL_RULES[k];
  if (target === undefined) return { ok: false, reason: `/goal set ${k} needs a target, a whole number: for example ${example(k)}.` };
  let chosen: GoalPeriod | null = null;
  if (rules.periods.length) {
    const p = (period ?? rules.periods[0]!).toLowerCase();
    if (!(rules.periods as readonly string[]).includes(p)) return { ok: false, reason: `A ${k} goal is per ${rules.periods.join(', ')}; got "${period}".` };
    chosen = p as GoalPeriod;
  } else if (period !== undefined) return { ok: false, reason: `A ${k} goal has no period: ${example(k)}.` };
  const max = rules.max[chosen ?? 'once']!;
  if (!Number.isSafeInteger(target) || target < 1 || target > max)
    return { ok: false, reason: `A ${k} goal${chosen ? ` per ${chosen}` : ''} is a whole number from 1 to ${max.toLocaleString('en-US')}; got ${target}.` };
  let byDate: LocalDate | null = null;
  if (k === 'followers') {
    if (!by) return { ok: false, reason: 'A followers goal needs the date to reach it by: /goal set followers 1000 by:2027-03-01.' };
    if (!isLocalDate(by)) return { ok: false, reason: `The date of a followers goal is YYYY-MM-DD, like 2027-03-01; got "${by}".` };
    if (by <= today) return { ok: false, reason: `The date of a followers goal must be after today (${today}); got ${by}.` };
    if (daysBetween(today, by) > MAX_GOAL_YEARS * 366) return { ok: false, reason: `A followers goal may be due at most ${MAX_GOAL_YEARS} years ahead; got ${by}.` };
    byDate = by;
  } else if (by !== undefined) return { ok: false, reason: `Only a followers goal takes a date (by:); a ${k} goal is ${example(k)}.` };
  return { ok: true, value: { kind: k, period: chosen, target, byDate } };
}

function example(kind: GoalKind): string {
  return {
    words: '/goal set words 500 day',
    days: '/goal set days 5 week',
    publish: '/goal set publish 2 week',
    followers: '/goal set followers 1000 by:2027-03-01',
    streak: '/goal set streak 180',
  }[kind];
}

/** The period of a period goal that holds `today`. */
export function goalSpan(period: GoalPeriod, today: LocalDate, weekStart: number): DateSpan {
  if (period === 'day') return { from: today, to: today };
  if (period === 'week') return weekOf(today, weekStart);
  if (period === 'month') return monthOf(today);
  return yearOf(today);
}

/** The key of that period: for weeks, months and years the key of the running totals (domain/periods.ts). */
export function goalPeriodKey(period: GoalPeriod, today: LocalDate, weekStart: number): string {
  if (period === 'day') return `day:${today}`;
  if (period === 'week') return `week:${startOfWeek(today, weekStart)}`;
  if (period === 'month') return `month:${today.slice(0, 7)}`;
  return `year:${today.slice(0, 4)}`;
}

/** Progress through a period against its target, with par: the share of the target its days so far would give at an even pace. */
export interface Pace {
  target: number;
  done: number;
  remaining: number;
  /** Days of the period left, today included. */
  daysLeft: number;
  /** Where an even pace would be by the end of today. */
  par: number;
  /** done - par: positive is ahead. */
  ahead: number;
  /** What each day left needs, today included, to reach the target. */
  perDayNeeded: number;
  met: boolean;
}

export function paceIn(span: DateSpan, today: LocalDate, target: number, done: number): Pace {
  const total = daysBetween(span.from, span.to) + 1;
  const elapsed = Math.min(total, Math.max(0, daysBetween(span.from, today) + 1));
  const daysLeft = Math.max(0, total - elapsed + 1);
  const remaining = Math.max(0, target - done);
  const par = Math.round((target * elapsed) / total);
  return { target, done, remaining, daysLeft, par, ahead: done - par, perDayNeeded: daysLeft ? Math.ceil(remaining / daysLeft) : remaining, met: done >= target };
}

/**
 * Consecutive weeks in which a days-per-week goal was met, counting back from the current week
 * (which counts once met, and breaks nothing while it is still under way). `daysByWeek` holds the
 * days written per week, keyed by the week's first date; weeks are calendar weeks of local dates,
 * so a daylight-saving change inside a week changes nothing.
 */
export function weekStreak(daysByWeek: ReadonlyMap<LocalDate, number>, today: LocalDate, weekStart: number, target: number): number {
  let week = startOfWeek(today, weekStart);
  let streak = 0;
  if ((daysByWeek.get(week) ?? 0) >= target) streak++;
  for (;;) {
    week = addDays(week, -7);
    if ((daysByWeek.get(week) ?? 0) < target) return streak;
    streak++;
  }
}

/** A streak goal: the days still to write, and the date it is reached when every day is logged. */
export function streakGoalProgress(target: number, current: number, loggedToday: boolean, today: LocalDate): { remaining: number; reachedOn: LocalDate; met: boolean } {
  const remaining = Math.max(0, target - current);
  // A streak that already holds today grows from tomorrow; one waiting for today grows today.
  return { remaining, reachedOn: addDays(today, loggedToday ? remaining : Math.max(0, remaining - 1)), met: current >= target };
}

/** A followers goal: what each week to the date needs, and when recent growth would reach it. */
export interface FollowerPace {
  target: number;
  current: number;
  remaining: number;
  weeksLeft: number;
  perWeekNeeded: number;
  /** The date the last few weeks' growth reaches the target, or null when it is not growing. */
  projected: LocalDate | null;
  met: boolean;
}

/** `growth`: followers gained over `growthDays` days to today (the recent window). */
export function followerPace(target: number, byDate: LocalDate, today: LocalDate, current: number, growth: number, growthDays: number): FollowerPace {
  const remaining = Math.max(0, target - current);
  const daysLeft = Math.max(0, daysBetween(today, byDate));
  const weeksLeft = daysLeft / 7;
  const perWeekNeeded = remaining === 0 ? 0 : weeksLeft > 0 ? Math.ceil(remaining / weeksLeft) : remaining;
  const perDay = growthDays > 0 ? growth / growthDays : 0;
  const projected = remaining === 0 ? today : perDay > 0 ? addDays(today, Math.ceil(remaining / perDay)) : null;
  return { target, current, remaining, weeksLeft, perWeekNeeded, projected, met: current >= target };
}
