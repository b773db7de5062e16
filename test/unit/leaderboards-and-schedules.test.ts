import { describe, expect, it } from 'vitest';
import { followerGain, rank, totalsAsOf } from '../../src/domain/leaderboard';
import { monthOf, periodKeyOfSpan, periodKeysOf, periodOf, startOfWeek, weekOf } from '../../src/domain/periods';
import { instantOfWallTime, latestOccurrence, nextOccurrences, occurrencesBetween, scheduleProblem } from '../../src/domain/schedule';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('ranking', () => {
  it('gives tied scores one rank and skips the next', () => {
    const ranked = rank([{ n: 'a', s: 5 }, { n: 'b', s: 9 }, { n: 'c', s: 5 }, { n: 'd', s: 1 }, { n: 'e', s: 9 }], (e) => e.s);
    expect(ranked.map((r) => [r.rank, r.entry.n])).toEqual([
      [1, 'b'],
      [1, 'e'],
      [3, 'a'],
      [3, 'c'],
      [5, 'd'],
    ]);
  });

  it('breaks ties on the next score when there is one (current streak, then longest)', () => {
    const ranked = rank([{ n: 'a', s: [3, 10] }, { n: 'b', s: [3, 20] }, { n: 'c', s: [3, 10] }], (e) => e.s);
    expect(ranked.map((r) => [r.rank, r.entry.n])).toEqual([
      [1, 'b'],
      [2, 'a'],
      [2, 'c'],
    ]);
  });

  it('with a limit, keeps the same first places as a full ranking, ties in order', () => {
    const entries = Array.from({ length: 500 }, (_, i) => ({ n: i, s: [(i * 37) % 11, (i * 13) % 5] }));
    const full = rank(entries, (e) => e.s);
    for (const limit of [1, 3, 10, 499]) expect(rank(entries, (e) => e.s, limit)).toEqual(full.slice(0, limit));
    expect(rank(entries, (e) => e.s, 3).map((r) => r.rank)).toEqual([1, 1, 1]);
  });
});

describe('follower totals as of an instant', () => {
  const report = (member_id: number, recorded_at: number, total: number, previous_total: number | null) => ({ member_id, recorded_at, total, previous_total });

  it('reads the total before an instant from the first report after it, or else the latest total', () => {
    // Member 1 reported 100 (t=5), 150 (t=15), 120 (t=25); member 2 only 40 (t=3); member 3 first at t=20.
    const latest = new Map([[1, 120], [2, 40], [3, 70]]);
    const reports = [report(1, 15, 150, 100), report(3, 20, 70, null), report(1, 25, 120, 150)];
    const totals = totalsAsOf(latest, reports, [10, 20, 30]);
    expect(totals.get(1)).toEqual([100, 150, 120]);
    expect(totals.get(2)).toEqual([40, 40, 40]);
    expect(totals.get(3)).toEqual([undefined, undefined, 70]);
  });

  it('counts a report at the instant itself as after it, and gives nobody a total before the epoch', () => {
    const totals = totalsAsOf(new Map([[1, 150]]), [report(1, 15, 150, 100)], [0, 15, 16]);
    expect(totals.get(1)).toEqual([undefined, 100, 150]);
  });
});

describe('follower gain over a period', () => {
  it('is the latest total at the end minus the latest total before the start', () => {
    expect(followerGain(100, 125)).toEqual({ kind: 'gain', total: 125, gain: 25, percent: 25 });
  });

  it('shows a member with no count before the period as new, not as a gain of their whole count', () => {
    expect(followerGain(undefined, 500)).toEqual({ kind: 'new', total: 500 });
    expect(followerGain(undefined, undefined)).toEqual({ kind: 'none' });
  });

  it('can go down, carries the last count over weeks without reports, and has no percent from zero', () => {
    expect(followerGain(300, 290)).toMatchObject({ gain: -10, total: 290 });
    expect(followerGain(300, 300)).toEqual({ kind: 'gain', total: 300, gain: 0, percent: 0 });
    expect(followerGain(0, 40)).toEqual({ kind: 'gain', total: 40, gain: 40, percent: null });
  });
});

describe('periods', () => {
  it('aligns weeks to the group week start', () => {
    expect(startOfWeek('2026-03-11', 1)).toBe('2026-03-09');
    expect(startOfWeek('2026-03-11', 7)).toBe('2026-03-08');
    expect(weekOf('2026-03-08', 1)).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(monthOf('2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodOf('all', '2026-03-11', 1)).toEqual({ from: '0000-01-01', to: '2026-03-11' });
    expect(periodOf('year', '2026-03-11', 1)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('GIVEN a date THEN it counts toward all time, its week by the group week start, its month and its year', () => {
    expect(periodKeysOf('2026-03-01', 1)).toEqual(['all', 'week:2026-02-23', 'month:2026-03', 'year:2026']);
    expect(periodKeysOf('2026-03-01', 7)).toEqual(['all', 'week:2026-03-01', 'month:2026-03', 'year:2026']);
  });

  it('GIVEN the span of a named period THEN its kept totals are found by key; any other span has none', () => {
    for (const name of ['week', 'month', 'year', 'all'] as const) {
      for (const weekStart of [1, 3, 7]) {
        const span = periodOf(name, '2026-12-31', weekStart);
        expect(periodKeysOf('2026-12-31', weekStart)).toContain(periodKeyOfSpan(span, weekStart));
      }
    }
    expect(periodKeyOfSpan({ from: '2026-03-09', to: '2026-03-15' }, 7)).toBeUndefined();
    expect(periodKeyOfSpan({ from: '2026-03-02', to: '2026-03-10' }, 1)).toBeUndefined();
  });
});

describe('schedules in a zone', () => {
  it('runs a wall time skipped by spring-forward once, at the first valid minute', () => {
    expect(iso(instantOfWallTime('2026-03-08T02:30', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(instantOfWallTime('2026-03-29T01:30', 'Europe/London'))).toBe('2026-03-29T01:00:00.000Z');
    const runs = nextOccurrences('30 2 * * *', 'America/New_York', at('2026-03-07T12:00:00Z'), 3).map((o) => iso(o.at));
    expect(runs).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
  });

  it('runs a wall time repeated by fall-back once, at its first instant', () => {
    expect(iso(instantOfWallTime('2026-11-01T01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    const runs = occurrencesBetween('30 1 * * *', 'America/New_York', at('2026-10-31T12:00:00Z'), at('2026-11-02T12:00:00Z'), 10);
    expect(runs.map((o) => o.key)).toEqual(['2026-11-01T01:30', '2026-11-02T01:30']);
  });

  it('finds the latest occurrence, inclusive of now, in half-hour and far-east zones', () => {
    expect(latestOccurrence('0 9 * * 1', 'Asia/Kolkata', at('2026-03-16T03:30:00Z'))).toEqual({ key: '2026-03-16T09:00', at: at('2026-03-16T03:30:00Z') });
    expect(latestOccurrence('0 9 * * 1', 'Asia/Kolkata', at('2026-03-16T03:29:00Z')).key).toBe('2026-03-09T09:00');
    expect(latestOccurrence('0 9 * * 1', 'Pacific/Kiritimati', at('2026-03-15T19:00:00Z')).key).toBe('2026-03-16T09:00');
  });

  it('refuses what is not a daily-or-rarer five-field schedule', () => {
    expect(scheduleProblem('0 9 * * 1')).toBeUndefined();
    expect(scheduleProblem('0 */2 * * *')).toMatch(/more than once a day/);
    expect(scheduleProblem('0 9 * *')).toMatch(/five fields/);
    expect(scheduleProblem('0 9 * * funday')).toMatch(/not a cron expression/);
  });
});
