import { describe, expect, it } from 'vitest';
import {
  chooseSprintStart,
  countProblem,
  isImplausibleRate,
  nextInChain,
  rankSprint,
  readSprintCount,
  type SprintParticipant,
  sprintPhase,
  sprintTimes,
  wordsPerMinute,
  wordsWritten,
} from '../../src/domain/sprint';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

describe('sprint start', () => {
  it('GIVEN no start THEN starts in two minutes; GIVEN in THEN that many minutes from now', () => {
    const now = at('2026-03-10T12:00:00Z');
    expect(chooseSprintStart(now, {}, 'UTC')).toEqual({ ok: true, startAt: now + 2 * MINUTE });
    expect(chooseSprintStart(now, { inMinutes: 0 }, 'UTC')).toEqual({ ok: true, startAt: now });
  });

  it('GIVEN at:HH:MM THEN the next time the group clock shows it, in the group zone', () => {
    const now = at('2026-03-10T12:05:00Z'); // 08:05 in New York (EDT starts 8 March)
    expect(chooseSprintStart(now, { at: '09:30' }, 'America/New_York')).toEqual({ ok: true, startAt: at('2026-03-10T13:30:00Z') });
    // 17:35 in Kolkata (UTC+05:30): 18:00 there is 12:30 UTC.
    expect(chooseSprintStart(now, { at: '18:00' }, 'Asia/Kolkata')).toEqual({ ok: true, startAt: at('2026-03-10T12:30:00Z') });
  });

  it('GIVEN :30 THEN the next half past on the local clock, also in a 45-minute zone', () => {
    const now = at('2026-03-10T12:05:00Z');
    expect(chooseSprintStart(now, { at: ':30' }, 'Europe/London')).toEqual({ ok: true, startAt: at('2026-03-10T12:30:00Z') });
    // Kathmandu is UTC+05:45: 17:50 local now, so the next :30 is 18:30 local = 12:45 UTC.
    expect(chooseSprintStart(now, { at: ':30' }, 'Asia/Kathmandu')).toEqual({ ok: true, startAt: at('2026-03-10T12:45:00Z') });
  });

  it('GIVEN a start across the spring-forward change THEN the wall time is read after the change', () => {
    // 8 March 2026, New York: 01:50 EST now; 03:15 is EDT (UTC-4), one real hour and 25 minutes later.
    const now = at('2026-03-08T06:50:00Z');
    expect(chooseSprintStart(now, { at: '03:15' }, 'America/New_York')).toEqual({ ok: true, startAt: at('2026-03-08T07:15:00Z') });
    // 02:30 does not exist that night: the first minute after the gap.
    expect(chooseSprintStart(now, { at: '02:30' }, 'America/New_York')).toEqual({ ok: true, startAt: at('2026-03-08T07:00:00Z') });
    // :30 from 01:50 EST: 02:30 is skipped, so 03:30 EDT.
    expect(chooseSprintStart(now, { at: ':30' }, 'America/New_York')).toEqual({ ok: true, startAt: at('2026-03-08T07:30:00Z') });
  });

  it('GIVEN a start across the fall-back change THEN the repeated hour runs at its first instant', () => {
    const now = at('2026-10-25T00:10:00Z'); // 01:10 BST in London; 01:30 happens twice
    expect(chooseSprintStart(now, { at: '01:30' }, 'Europe/London')).toEqual({ ok: true, startAt: at('2026-10-25T00:30:00Z') });
  });

  it('GIVEN a time that passed today THEN refused with the reason; GIVEN a time just after midnight THEN tomorrow', () => {
    const now = at('2026-03-10T12:05:00Z');
    const passed = chooseSprintStart(now, { at: '12:00' }, 'UTC');
    expect(passed).toEqual({ ok: false, reason: '12:00 has already passed in UTC (it is 12:05 now). Pick a time within the next 12 hours, or use in:<minutes>.' });
    expect(chooseSprintStart(at('2026-03-10T23:50:00Z'), { at: '00:10' }, 'UTC')).toEqual({ ok: true, startAt: at('2026-03-11T00:10:00Z') });
  });

  it('GIVEN a bad time or both in and at THEN refused naming what is accepted', () => {
    const now = at('2026-03-10T12:05:00Z');
    expect(chooseSprintStart(now, { at: '25:00' }, 'UTC')).toMatchObject({ ok: false, reason: expect.stringContaining('such as 14:30') });
    expect(chooseSprintStart(now, { at: 'noon' }, 'UTC')).toMatchObject({ ok: false });
    expect(chooseSprintStart(now, { at: ':30', inMinutes: 5 }, 'UTC')).toEqual({ ok: false, reason: 'Give either in:<minutes> or at:<HH:MM>, not both.' });
  });
});

describe('sprint phases and counts', () => {
  const times = sprintTimes(at('2026-03-10T12:00:00Z'), 20, 2);

  it('GIVEN the instants THEN waiting, running, window and closed in turn', () => {
    expect(times).toEqual({ startAt: at('2026-03-10T12:00:00Z'), endAt: at('2026-03-10T12:20:00Z'), windowClosesAt: at('2026-03-10T12:22:00Z') });
    expect(sprintPhase(times, times.startAt - 1)).toBe('waiting');
    expect(sprintPhase(times, times.startAt)).toBe('running');
    expect(sprintPhase(times, times.endAt)).toBe('window');
    expect(sprintPhase(times, times.windowClosesAt)).toBe('closed');
    expect(countProblem(times, times.endAt + MINUTE)).toBeUndefined();
    expect(countProblem(times, times.windowClosesAt)).toMatch(/^The submission window closed <t:\d+:R>/);
    expect(countProblem(times, times.startAt - 1)).toMatch(/^The sprint hasn't started yet/);
  });

  it('GIVEN a count THEN a total or words added; GIVEN anything else THEN the reason', () => {
    expect(readSprintCount('1,200')).toEqual({ ok: true, kind: 'total', value: 1200 });
    expect(readSprintCount('+250')).toEqual({ ok: true, kind: 'added', value: 250 });
    expect(readSprintCount('-5')).toMatchObject({ ok: false });
    expect(readSprintCount('lots')).toMatchObject({ ok: false, reason: expect.stringContaining('like +250') });
  });

  it('GIVEN counts THEN words written are final less start, and WPM is over the true time', () => {
    expect(wordsWritten({ startCount: 1000, finalCount: 1600 })).toBe(600);
    expect(wordsWritten({ startCount: 1000, finalCount: null })).toBe(0);
    expect(wordsWritten({ startCount: null, finalCount: null })).toBeNull();
    expect(wordsPerMinute(600, 20 * MINUTE)).toBe(30);
    expect(wordsPerMinute(500, 15 * MINUTE)).toBe(33.3);
    expect(wordsPerMinute(10, 0)).toBe(0);
  });

  it('GIVEN a rate over the limit THEN implausible; under a minute is judged as a minute', () => {
    expect(isImplausibleRate(3001, 20 * MINUTE, 150)).toBe(true);
    expect(isImplausibleRate(3000, 20 * MINUTE, 150)).toBe(false);
    expect(isImplausibleRate(140, 10_000, 150)).toBe(false);
    expect(isImplausibleRate(200, 10_000, 150)).toBe(true);
  });
});

describe('sprint results', () => {
  const times = { startAt: at('2026-03-10T12:00:00Z'), endAt: at('2026-03-10T12:20:00Z') };
  const person = (memberId: number, name: string, startCount: number | null, finalCount: number | null, joinedAt = times.startAt - MINUTE): SprintParticipant => ({
    memberId,
    userId: name.toLowerCase(),
    displayName: name,
    startCount,
    finalCount,
    joinedAt,
  });

  it('GIVEN ties THEN they share a rank and the next rank skips; minutes-only people are listed apart', () => {
    const { ranked, minutesOnly } = rankSprint(
      times,
      [person(1, 'Bo', 0, 400), person(2, 'Cy', 100, 700), person(3, 'Di', 50, 450), person(4, 'Ed', null, null), person(5, 'Flo', 0, 100)],
      new Map(),
    );
    expect(ranked.map((r) => [r.rank, r.participant.displayName, r.words, r.wpm])).toEqual([
      [1, 'Cy', 600, 30],
      [2, 'Bo', 400, 20],
      [2, 'Di', 400, 20],
      [4, 'Flo', 100, 5],
    ]);
    expect(minutesOnly.map((p) => p.displayName)).toEqual(['Ed']);
  });

  it('GIVEN a late join THEN WPM counts only the minutes they were in', () => {
    const { ranked } = rankSprint(times, [person(1, 'Bo', 0, 300, times.startAt + 10 * MINUTE)], new Map());
    expect(ranked[0]!.wpm).toBe(30);
  });

  it('GIVEN earlier sprints THEN a faster one is a personal best, a first or slower one is not', () => {
    const { ranked } = rankSprint(times, [person(1, 'Bo', 0, 400), person(2, 'Cy', 0, 400), person(3, 'Di', 0, 400)], new Map([[1, 19.9], [2, 20]]));
    expect(ranked.map((r) => [r.participant.displayName, r.personalBest])).toEqual([
      ['Bo', true],
      ['Cy', false],
      ['Di', false],
    ]);
  });
});

describe('sprint chains', () => {
  const sprint = (position: number, gapMinutes: number) => ({ ...sprintTimes(at('2026-03-10T12:00:00Z'), 20, 2), chain: { position, length: 3, gapMinutes } });

  it('GIVEN a gap THEN the next starts that long after the end; GIVEN a gap shorter than the window THEN after the results', () => {
    expect(nextInChain(sprint(1, 5))).toBe(at('2026-03-10T12:25:00Z'));
    expect(nextInChain(sprint(2, 1))).toBe(at('2026-03-10T12:22:00Z'));
  });

  it('GIVEN the last of the chain THEN nothing follows', () => {
    expect(nextInChain(sprint(3, 5))).toBeUndefined();
  });
});
