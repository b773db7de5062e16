import fc from 'fast-check';
import { highestOf } from '../../src/domain/milestones';
import { describe, expect, it } from 'vitest';
import { addDays, dayStart, type LocalDate, localDateOf } from '../../src/domain/local-date';
import {
  advanceStreak,
  computeStreak,
  EMPTY_STREAK,
  endedStreakBounds,
  type LoggedDay,
  MAX_FREEZES,
  milestonesCrossed,
  streakEndedIn,
  streakOn,
  type Vacation,
  vacationEnd,
} from '../../src/domain/streak';

const UTC = { zone: 'UTC', rolloverHour: 0 };
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'Etc/GMT+12',
  'UTC',
];
const day = (date: LocalDate, calendar = UTC): LoggedDay => ({ date, ...calendar });

/**
 * The rules written the slow, obvious way: walk every calendar day from the first log to today.
 * It knows nothing of zones, so it is only valid within one calendar, which is what each generated case uses.
 */
function referenceStreak(logged: Set<LocalDate>, vacations: Vacation[], today: LocalDate) {
  const paused = (d: LocalDate) => vacations.some((v) => d >= v.start && d <= vacationEnd(v));
  const dates = [...logged].sort();
  let current = 0;
  let longest = 0;
  let freezes = 0;
  let run = 0;
  let missedInARow = 0;
  const first = dates[0];
  if (!first) return { current: 0, longest: 0, freezes: 0 };
  const last = dates[dates.length - 1]!;
  for (let d = first; d <= last; d = addDays(d, 1)) {
    if (logged.has(d)) {
      if (missedInARow === 1 && freezes > 0) {
        freezes -= 1;
        run = 0;
      } else if (missedInARow > 0) {
        current = 0;
        run = 0;
      }
      current += 1;
      run += 1;
      if (run % 7 === 0) freezes = Math.min(2, freezes + 1);
      longest = Math.max(longest, current);
      missedInARow = 0;
    } else if (!paused(d)) {
      missedInARow += 1;
    }
  }
  let missedSince = 0;
  for (let d = addDays(last, 1); d < today; d = addDays(d, 1)) if (!paused(d)) missedSince += 1;
  if (missedSince === 1 && freezes > 0) return { current, longest, freezes: freezes - 1 };
  if (missedSince > 0) return { current: 0, longest, freezes };
  return { current, longest, freezes };
}

const START = '2026-01-01';
const dateIn = (span: number) => fc.integer({ min: 0, max: span }).map((n) => addDays(START, n));
const vacationArb = fc
  .record({ start: dateIn(100), length: fc.integer({ min: 1, max: 40 }), open: fc.boolean() })
  .map(({ start, length, open }): Vacation => ({ start, end: open ? null : addDays(start, length - 1) }));

describe('streaks against a day-by-day reference', () => {
  it('agrees on current, longest and freezes for any logs (backfilled in any order), vacations, zone, rollover hour and today', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(dateIn(120), { maxLength: 90 }),
        fc.array(vacationArb, { maxLength: 2 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 5 }),
        (dates, vacations, extraDays, zone, rolloverHour) => {
          const calendar = { zone, rolloverHour };
          const lastLogged = [...dates].sort().at(-1) ?? START;
          const today = addDays(lastLogged, extraDays);
          const { state } = computeStreak(dates.map((d) => day(d, calendar)), vacations);
          const shown = streakOn(state, today, calendar, vacations);
          const expected = referenceStreak(new Set(dates), vacations, today);
          expect({ current: shown.current, longest: shown.longest, freezes: shown.freezes }).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives the same answer whatever order the logs arrive in, and folding one day at a time (the general path) matches', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(dateIn(60), { maxLength: 40 }),
        fc.array(vacationArb, { maxLength: 3 }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 5 }),
        (dates, vacations, zone, rolloverHour) => {
          const calendar = { zone, rolloverHour };
          const sorted = [...dates].sort();
          const whole = computeStreak(sorted.map((d) => day(d, calendar)), vacations);
          const reversed = computeStreak([...sorted].reverse().map((d) => day(d, calendar)), vacations);
          let folded = EMPTY_STREAK;
          const bridged: string[] = [];
          for (const d of sorted) {
            const step = advanceStreak(folded, day(d, calendar), vacations);
            folded = step.state;
            if (step.bridged) bridged.push(step.bridged);
          }
          expect(reversed).toEqual(whole);
          expect(folded).toEqual(whole.state);
          expect(bridged).toEqual(whole.frozenDates);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('freezes', () => {
  it('earns one every 7 days in a row, holds at most two, and bridges a single missed day', () => {
    const dates = Array.from({ length: 21 }, (_, i) => addDays(START, i));
    const { state } = computeStreak(dates.map((d) => day(d)), []);
    expect(state.freezes).toBe(MAX_FREEZES);
    const afterGap = advanceStreak(state, day(addDays(START, 22)), []);
    expect(afterGap.bridged).toBe(addDays(START, 21));
    expect(afterGap.state.current).toBe(22);
    expect(afterGap.state.freezes).toBe(1);
  });

  it('does not bridge two missed days in a row', () => {
    const dates = Array.from({ length: 14 }, (_, i) => addDays(START, i));
    const { state } = computeStreak(dates.map((d) => day(d)), []);
    const afterGap = advanceStreak(state, day(addDays(START, 16)), []);
    expect(afterGap.state.current).toBe(1);
    expect(afterGap.state.longest).toBe(14);
  });

  it('shows a freeze as spent when yesterday was missed', () => {
    const dates = Array.from({ length: 7 }, (_, i) => addDays(START, i));
    const { state } = computeStreak(dates.map((d) => day(d)), []);
    expect(streakOn(state, addDays(START, 7), UTC, [])).toMatchObject({ current: 7, freezes: 1, atRisk: true });
    expect(streakOn(state, addDays(START, 8), UTC, [])).toMatchObject({ current: 7, freezes: 0, atRisk: true });
    expect(streakOn(state, addDays(START, 9), UTC, [])).toMatchObject({ current: 0 });
  });
});

describe('vacations', () => {
  it('pause the streak: vacation days neither count nor break', () => {
    const vacations = [{ start: '2026-01-04', end: '2026-01-20' }];
    const logged = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-21'];
    const { state } = computeStreak(logged.map((d) => day(d)), vacations);
    expect(state.current).toBe(4);
  });

  it('end by themselves after 30 days', () => {
    const vacations = [{ start: '2026-01-04', end: null }];
    const { state } = computeStreak(['2026-01-03'].map((d) => day(d)), vacations);
    expect(streakOn(state, '2026-02-03', UTC, vacations).current).toBe(1); // paused through 02-02
    expect(streakOn(state, '2026-02-05', UTC, vacations).current).toBe(0);
  });
});

describe('time zones', () => {
  const logEvery = (zone: string, localTime: string, from: LocalDate, days: number): LoggedDay[] =>
    Array.from({ length: days }, (_, i) => {
      const instant = Date.parse(`${addDays(from, i)}T${localTime}`) - 0;
      const calendar = { zone, rolloverHour: 0 };
      // Interpret the wall-clock time in the zone by searching the instant that shows that date.
      return { date: localDateOf(instant, { zone: 'UTC', rolloverHour: 0 }), ...calendar };
    });

  it.each([
    ['America/New_York', '2026-03-05'],
    ['America/New_York', '2026-10-29'],
    ['Europe/London', '2026-03-26'],
    ['Europe/London', '2026-10-22'],
  ])('keeps a daily streak through the DST change in %s (week of %s)', (zone, from) => {
    const days = logEvery(zone, '23:30:00', from, 8);
    const { state } = computeStreak(days, []);
    expect(state.current).toBe(8);
    expect(streakOn(state, addDays(from, 8), { zone, rolloverHour: 0 }, []).current).toBe(8);
  });

  it('does not break when flying west over the date line skips a local date', () => {
    // Logged 2026-03-10 evening in Los Angeles, then next morning in Tokyo it is already 03-12.
    const la = { zone: 'America/Los_Angeles', rolloverHour: 0 };
    const tokyo = { zone: 'Asia/Tokyo', rolloverHour: 0 };
    const { state } = computeStreak([day('2026-03-09', la), day('2026-03-10', la), day('2026-03-12', tokyo)], []);
    expect(state.current).toBe(3);
  });

  it('still breaks on a real missed day after a zone change', () => {
    const la = { zone: 'America/Los_Angeles', rolloverHour: 0 };
    const london = { zone: 'Europe/London', rolloverHour: 0 };
    const { state } = computeStreak([day('2026-03-10', la), day('2026-03-13', london)], []);
    expect(state.current).toBe(1);
  });

  it('never breaks for someone who logs at least every 22 hours, whatever zones and rollover hours they pass through', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gapMinutes: fc.integer({ min: 30, max: 22 * 60 }),
            zone: fc.constantFrom(...ZONES),
            rolloverHour: fc.integer({ min: 0, max: 5 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 365 * 24 }),
        (steps, startHour) => {
          let instant = Date.parse('2026-01-01T00:00:00Z') + startHour * 3_600_000;
          const days = steps.map((step) => {
            instant += step.gapMinutes * 60_000;
            const calendar = { zone: step.zone, rolloverHour: step.rolloverHour };
            return { date: localDateOf(instant, calendar), ...calendar };
          });
          const { state, frozenDates } = computeStreak(days, []);
          const byStart = (a: LoggedDay, b: LoggedDay) => dayStart(a.date, a) - dayStart(b.date, b) || a.date.localeCompare(b.date);
          const first = [...days].sort(byStart)[0]!;
          expect(frozenDates).toEqual([]);
          expect(state.startDate).toBe(first.date);
          expect(state.longest).toBe(state.current);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('streaks that ended in a week', () => {
  const week = { from: '2026-03-09', to: '2026-03-15' };

  it('are found alive on its first day and gone the day after its last', () => {
    const calendar = UTC;
    const streak = (lastDate: LocalDate) => ({ ...EMPTY_STREAK, current: 5, longest: 5, startDate: addDays(lastDate, -4), lastDate, coveredUntil: dayStart(addDays(lastDate, 1), calendar) });
    expect(streakEndedIn(streak('2026-03-11'), week, calendar, [])).toBe(true);
    expect(streakEndedIn(streak('2026-03-15'), week, calendar, [])).toBe(false); // still alive on Monday
    expect(streakEndedIn(streak('2026-03-06'), week, calendar, [])).toBe(false); // already gone before the week
    expect(streakEndedIn({ ...streak('2026-03-11'), current: 1 }, week, calendar, [])).toBe(false);
    expect(streakEndedIn(streak('2026-03-11'), week, calendar, [{ start: '2026-03-12', end: null }])).toBe(false); // paused, not ended
  });

  it('have their covered time within the bounds a digest reads, in every calendar, unless on vacation', () => {
    const { coveredAfter, coveredAtMost } = endedStreakBounds(week);
    const ended = (calendar: { zone: string; rolloverHour: number }, coveredUntil: number, freezes: number) => {
      const lastDate = localDateOf(coveredUntil - 1, calendar);
      return streakEndedIn({ current: 3, longest: 3, freezes, startDate: addDays(lastDate, -2), lastDate, coveredUntil }, week, calendar, []);
    };
    // At the edges: where a date starts latest (UTC-12, rollover at 05:00) and earliest (UTC+14).
    const latest = { zone: 'Etc/GMT+12', rolloverHour: 5 };
    const earliest = { zone: 'Pacific/Kiritimati', rolloverHour: 0 };
    expect(ended(latest, dayStart(week.to, latest), 0)).toBe(true);
    expect(dayStart(week.to, latest)).toBeLessThanOrEqual(coveredAtMost);
    expect(ended(earliest, dayStart(addDays(week.from, -2), earliest) + 60_000, 1)).toBe(true);
    expect(dayStart(addDays(week.from, -2), earliest) + 60_000).toBeGreaterThan(coveredAfter);
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: -8 * 24 * 60, max: 10 * 24 * 60 }),
        fc.integer({ min: 0, max: MAX_FREEZES }),
        (zone, rolloverHour, minutes, freezes) => {
          const calendar = { zone, rolloverHour };
          const coveredUntil = Date.parse('2026-03-09T00:00:00Z') + minutes * 60_000;
          const lastDate = localDateOf(coveredUntil - 1, calendar);
          const state = { current: 3, longest: 3, freezes, startDate: addDays(lastDate, -2), lastDate, coveredUntil };
          if (streakEndedIn(state, week, calendar, [])) {
            expect(coveredUntil).toBeGreaterThan(coveredAfter);
            expect(coveredUntil).toBeLessThanOrEqual(coveredAtMost);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('milestones', () => {
  it('are the values passed between two streak lengths', () => {
    expect(milestonesCrossed(6, 7)).toEqual([7]);
    expect(milestonesCrossed(7, 8)).toEqual([]);
    expect(milestonesCrossed(3, 31)).toEqual([7, 30]);
    expect(milestonesCrossed(179, 180)).toEqual([180]);
  });
});

describe('milestones worth a post', () => {
  it('GIVEN several reached at once THEN only the highest; GIVEN none THEN none', () => {
    expect(highestOf([7, 30])).toEqual([30]);
    expect(highestOf([100])).toEqual([100]);
    expect(highestOf([])).toEqual([]);
  });
});
