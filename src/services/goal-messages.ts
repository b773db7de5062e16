import { formatDate, formatNumber, plain, plural } from '../core/format';
import type { FollowerPace, Goal, GoalPeriod, Pace } from '../domain/goals';
import type { LocalDate } from '../domain/local-date';

/** How far a goal has come, as `/goal`, the /log line and the nudge say it. */
export type GoalProgress =
  | { goal: Goal; kind: 'period'; period: GoalPeriod; pace: Pace; from: LocalDate; to: LocalDate; weekStreak?: number }
  | { goal: Goal; kind: 'followers'; pace: FollowerPace; byDate: LocalDate }
  | { goal: Goal; kind: 'streak'; current: number; remaining: number; reachedOn: LocalDate; met: boolean };

const THIS: Record<GoalPeriod, string> = { day: "today's", week: "this week's", month: "this month's", year: "this year's" };
const IN: Record<GoalPeriod, string> = { day: 'today', week: 'this week', month: 'this month', year: 'this year' };

const unit = (goal: Goal, n: number) => (goal.kind === 'words' ? plural(n, 'word') : goal.kind === 'days' ? plural(n, 'day') : plural(n, 'article'));

function paceWords(goal: Goal, pace: Pace): string {
  if (pace.ahead === 0) return 'on pace';
  return pace.ahead > 0 ? `${unit(goal, pace.ahead)} ahead of pace` : `${unit(goal, -pace.ahead)} behind pace`;
}

/** The short piece of the one line a /log reply adds; none for goals a log does not move. */
export function logLinePart(p: GoalProgress): string | undefined {
  if (p.kind === 'period') {
    if (p.goal.kind === 'words')
      return p.pace.met ? `${THIS[p.period]} ${formatNumber(p.goal.target)} words done ✔` : `${plural(p.pace.remaining, 'word')} to ${THIS[p.period]} ${formatNumber(p.goal.target)}`;
    if (p.goal.kind === 'days') return `${p.pace.done} of ${p.goal.target} days ${IN[p.period]}${p.pace.met ? ' ✔' : ''}`;
    return undefined;
  }
  if (p.kind === 'streak') return p.met ? `${p.goal.target}-day streak reached ✔` : `${p.current} of ${p.goal.target} days in a row`;
  return undefined;
}

/** The line a /log reply adds: "🎯 312 words to today's 500 · 3 of 5 days this week". */
export function logLine(progress: GoalProgress[]): string | undefined {
  const parts = progress.map(logLinePart).filter((part): part is string => Boolean(part));
  return parts.length ? `🎯 ${parts.join(' · ')}` : undefined;
}

/** One goal as `/goal` shows it. */
export function goalLine(p: GoalProgress): string {
  if (p.kind === 'period') {
    const { pace, goal, period } = p;
    const span = period === 'day' ? '' : ` (${formatDate(p.from)} – ${formatDate(p.to)})`;
    const name = goal.kind === 'words' ? 'Words' : goal.kind === 'days' ? 'Days written' : 'Articles';
    const head = `${name}: ${formatNumber(pace.done)} of ${formatNumber(goal.target)} ${IN[period]}${span}`;
    const streak = p.weekStreak === undefined ? '' : ` · week streak: ${plural(p.weekStreak, 'week')}`;
    if (pace.met) return `${head} · reached ✔${streak}`;
    const perDay = period !== 'day' && goal.kind === 'words' ? `, ${formatNumber(pace.perDayNeeded)} a day` : '';
    const left = goal.kind === 'days' ? ` in ${plural(pace.daysLeft, 'day')} left` : '';
    const pacing = period === 'day' ? '' : ` · ${paceWords(goal, pace)}`;
    return `${head} · ${unit(goal, pace.remaining)} to go${perDay}${left}${pacing}${streak}`;
  }
  if (p.kind === 'followers') {
    const { pace } = p;
    const head = `Followers: ${formatNumber(pace.current)} of ${formatNumber(pace.target)} by ${formatDate(p.byDate)}`;
    if (pace.met) return `${head} · reached ✔`;
    const projection = pace.projected ? `at this pace: ${formatDate(pace.projected)}` : 'no growth lately to project from';
    return `${head} · ${formatNumber(pace.remaining)} to go, ${formatNumber(pace.perWeekNeeded)} a week · ${projection}`;
  }
  const head = `Streak: ${p.current} of ${plural(p.goal.target, 'day')}`;
  if (p.met) return `${head} · reached ✔`;
  return `${head} · ${plural(p.remaining, 'day')} to go, reached ${formatDate(p.reachedOn)} if you log every day`;
}

/** The private acknowledgement of a period target, said once per period. */
export function achievedText(p: GoalProgress): string {
  if (p.kind !== 'period') return '';
  return `🎯 Goal reached: ${unit(p.goal, p.goal.target)} ${IN[p.period]}. Well done!`;
}

/** The group's cheer for a long goal, said once. */
export function celebrationText(name: string, p: GoalProgress): string {
  if (p.kind === 'followers') return `🎉 ${plain(name)} reached their goal of ${formatNumber(p.goal.target)} followers!`;
  return `🎉 ${plain(name)} reached their goal: a ${p.goal.target}-day writing streak!`;
}

/** What the streak-at-risk nudge adds from the member's goals: "250 words keep your week on track". */
export function nudgeText(progress: GoalProgress[]): string | undefined {
  for (const p of progress) {
    if (p.kind !== 'period' || p.pace.met) continue;
    if (p.goal.kind === 'words') return `${plural(p.pace.perDayNeeded, 'word')} today keep${p.period === 'day' ? " today's goal" : ` your ${p.period}`} on track`;
    if (p.goal.kind === 'days') return `a day written today keeps your week on track (${p.pace.done} of ${p.goal.target} so far)`;
  }
  return undefined;
}
