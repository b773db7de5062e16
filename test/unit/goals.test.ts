import { describe, expect, it } from 'vitest';
import { checkGoal, followerPace, goalPeriodKey, goalSpan, paceIn, streakGoalProgress, weekStreak } from '../../src/domain/goals';
import { localDateOf } from '../../src/domain/local-date';

const SUNDAY = 7;
const MONDAY = 1;

describe('pace within a period', () => {
  it('GIVEN a week starting on Sunday WHEN today is Tuesday THEN three of seven days have passed and par is 3/7 of the target', () => {
    const span = goalSpan('week', '2026-03-10', SUNDAY);
    expect(span).toEqual({ from: '2026-03-08', to: '2026-03-14' });
    const pace = paceIn(span, '2026-03-10', 7000, 2500);
    expect(pace).toEqual({ target: 7000, done: 2500, remaining: 4500, daysLeft: 5, par: 3000, ahead: -500, perDayNeeded: 900, met: false });
  });

  it('GIVEN the same Tuesday and a Monday week start THEN two days have passed', () => {
    const pace = paceIn(goalSpan('week', '2026-03-10', MONDAY), '2026-03-10', 7000, 2500);
    expect(pace).toMatchObject({ par: 2000, ahead: 500, daysLeft: 6, perDayNeeded: 750 });
  });

  it('GIVEN the last day of February in a leap year THEN the month is done but for today', () => {
    const span = goalSpan('month', '2028-02-29', MONDAY);
    expect(span).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(paceIn(span, '2028-02-29', 29_000, 28_000)).toMatchObject({ par: 29_000, daysLeft: 1, perDayNeeded: 1000, ahead: -1000 });
  });

  it('GIVEN a target met THEN nothing remains and the goal reads as met', () => {
    expect(paceIn(goalSpan('day', '2026-03-10', MONDAY), '2026-03-10', 500, 620)).toMatchObject({ remaining: 0, met: true, perDayNeeded: 0, ahead: 120 });
  });

  it('keys weeks, months and years as the running totals do, and days by their date', () => {
    expect(goalPeriodKey('week', '2026-03-10', SUNDAY)).toBe('week:2026-03-08');
    expect(goalPeriodKey('month', '2026-03-10', SUNDAY)).toBe('month:2026-03');
    expect(goalPeriodKey('year', '2026-03-10', SUNDAY)).toBe('year:2026');
    expect(goalPeriodKey('day', '2026-03-10', SUNDAY)).toBe('day:2026-03-10');
  });

  it('GIVEN the same instant in UTC+14 and UTC-12 THEN each member measures the week holding their own date', () => {
    // Saturday 14 March 2026, 11:00 UTC: already 01:00 on Sunday the 15th on Kiritimati, still 23:00 on Friday the 13th at UTC-12.
    const instant = Date.parse('2026-03-14T11:00:00Z');
    const ahead = localDateOf(instant, { zone: 'Pacific/Kiritimati', rolloverHour: 0 });
    const behind = localDateOf(instant, { zone: 'Etc/GMT+12', rolloverHour: 0 });
    expect([ahead, behind]).toEqual(['2026-03-15', '2026-03-13']);
    expect(goalSpan('week', ahead, SUNDAY)).toEqual({ from: '2026-03-15', to: '2026-03-21' });
    expect(goalSpan('week', behind, SUNDAY)).toEqual({ from: '2026-03-08', to: '2026-03-14' });
    expect(paceIn(goalSpan('week', ahead, SUNDAY), ahead, 7, 0)).toMatchObject({ par: 1, daysLeft: 7 });
    expect(paceIn(goalSpan('week', behind, SUNDAY), behind, 7, 0)).toMatchObject({ par: 6, daysLeft: 2 });
  });
});

describe('week streaks', () => {
  const weeks = (entries: [string, number][]) => new Map(entries);

  it('GIVEN four weeks met in a row THEN the streak is four, and the current week counts once met', () => {
    const days = weeks([
      ['2026-02-16', 5],
      ['2026-02-23', 6],
      ['2026-03-02', 5],
      ['2026-03-09', 5],
    ]);
    expect(weekStreak(days, '2026-03-12', MONDAY, 5)).toBe(4);
  });

  it('GIVEN a current week still under way THEN it breaks nothing and adds nothing', () => {
    const days = weeks([
      ['2026-02-23', 5],
      ['2026-03-02', 7],
      ['2026-03-09', 2],
    ]);
    expect(weekStreak(days, '2026-03-12', MONDAY, 5)).toBe(2);
  });

  it('GIVEN a past week short of the target THEN the streak counts only the weeks after it', () => {
    const days = weeks([
      ['2026-02-16', 5],
      ['2026-02-23', 4],
      ['2026-03-02', 5],
    ]);
    expect(weekStreak(days, '2026-03-09', MONDAY, 5)).toBe(1);
    expect(weekStreak(days, '2026-03-09', MONDAY, 4)).toBe(3);
  });
});

describe('long goals', () => {
  it('GIVEN a streak goal WHEN today is logged THEN it is reached after the remaining days, otherwise a day sooner', () => {
    expect(streakGoalProgress(180, 42, true, '2026-03-10')).toEqual({ remaining: 138, reachedOn: '2026-07-26', met: false });
    expect(streakGoalProgress(180, 42, false, '2026-03-10')).toEqual({ remaining: 138, reachedOn: '2026-07-25', met: false });
    expect(streakGoalProgress(7, 7, true, '2026-03-10')).toMatchObject({ remaining: 0, met: true });
  });

  it('GIVEN 600 followers of 1,000 by a date 8 weeks away and 140 gained in 28 days THEN 50 a week is needed and the pace reaches it in 80 days', () => {
    const pace = followerPace(1000, '2026-05-05', '2026-03-10', 600, 140, 28);
    expect(pace).toEqual({ target: 1000, current: 600, remaining: 400, weeksLeft: 8, perWeekNeeded: 50, projected: '2026-05-29', met: false });
  });

  it('GIVEN no growth THEN there is nothing to project from', () => {
    expect(followerPace(1000, '2026-05-05', '2026-03-10', 600, -5, 28).projected).toBeNull();
  });
});

describe('reading a goal', () => {
  const today = '2026-03-10';
  it.each([
    ['pages', 5, undefined, undefined, /A goal is one of words, days, publish, followers, streak; got "pages"/],
    ['words', 0, 'day', undefined, /from 1 to 100,000; got 0/],
    ['words', 2_000_000, 'day', undefined, /from 1 to 100,000/],
    ['words', 500, 'fortnight', undefined, /per day, week, month, year; got "fortnight"/],
    ['days', 8, 'week', undefined, /from 1 to 7; got 8/],
    ['days', 5, 'month', undefined, /A days goal is per week/],
    ['streak', 180, 'week', undefined, /has no period/],
    ['followers', 1000, undefined, undefined, /needs the date to reach it by/],
    ['followers', 1000, undefined, '2026-03-10', /must be after today/],
    ['followers', 1000, undefined, '2026-02-30', /YYYY-MM-DD/],
    ['words', undefined, 'day', undefined, /needs a target/],
  ])('GIVEN %s %s %s %s THEN it is refused with what is accepted', (kind, target, period, by, reason) => {
    const result = checkGoal(kind, target, period, by, today);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('takes the default period of each kind', () => {
    expect(checkGoal('words', 500, undefined, undefined, today)).toEqual({ ok: true, value: { kind: 'words', period: 'day', target: 500, byDate: null } });
    expect(checkGoal('publish', 2, undefined, undefined, today)).toEqual({ ok: true, value: { kind: 'publish', period: 'week', target: 2, byDate: null } });
    expect(checkGoal('followers', 1000, undefined, '2027-03-01', today)).toEqual({ ok: true, value: { kind: 'followers', period: null, target: 1000, byDate: '2027-03-01' } });
  });
});
