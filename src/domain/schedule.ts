import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';

/** A scheduled post missed by downtime is still made if it is at most this late; older ones are recorded as skipped. */
export const CATCH_UP_MS = 12 * 3_600_000;

/**
 * Cron schedules read in a group's own zone. Occurrences are found on the local wall clock (the
 * expression is evaluated as if local time were UTC) and only then placed on the timeline, so:
 * a wall time skipped by spring-forward runs once, at the first valid minute after it; a wall time
 * repeated by fall-back is one occurrence, run once, at its first instant. An occurrence is named
 * by its wall time ('2026-03-16T09:00'), which is the key that makes it run at most once.
 */
export interface Occurrence {
  /** Local wall time, 'YYYY-MM-DDTHH:mm': the period key of the run. */
  key: string;
  /** The instant it is due. */
  at: number;
}

const MINUTE = 60_000;

function wallKey(wall: Date): string {
  return wall.toISOString().slice(0, 16);
}

/** The instant a local wall time happens in a zone: the first, if it happens twice; the next valid minute, if never. */
export function instantOfWallTime(key: string, zone: string): number {
  const [date, time] = key.split('T') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wanted = { year, month, day, hour, minute };
  const sameWall = (dt: DateTime) => dt.year === year && dt.month === month && dt.day === day && dt.hour === hour && dt.minute === minute;
  const dt = DateTime.fromObject(wanted, { zone });
  if (sameWall(dt)) {
    // Fall-back repeats an hour; take its first instant.
    for (const hours of [2, 1]) {
      const earlier = dt.minus({ hours });
      if (sameWall(earlier)) return earlier.toMillis();
    }
    return dt.toMillis();
  }
  // Spring-forward skipped this wall time: the first minute that exists after it.
  let probe = Date.UTC(year, month - 1, day, hour, minute);
  for (let i = 0; i < 24 * 60; i++) {
    probe += MINUTE;
    const key2 = wallKey(new Date(probe));
    const candidate = DateTime.fromISO(key2, { zone });
    if (candidate.toFormat("yyyy-MM-dd'T'HH:mm") === key2) return candidate.toMillis();
  }
  return dt.toMillis();
}

function localWall(instant: number, zone: string): Date {
  const local = DateTime.fromMillis(instant, { zone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute));
}

function parse(expression: string, currentDate: Date) {
  return CronExpressionParser.parse(expression, { currentDate, tz: 'UTC' });
}

/** Why a schedule cannot be used, or undefined if it can: it must parse and run at most once a day. */
export function scheduleProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return 'it needs five fields: minute hour day-of-month month day-of-week (for example "0 9 * * 1")';
  let iterator: ReturnType<typeof parse>;
  try {
    iterator = parse(expression, new Date(Date.UTC(2026, 0, 1)));
  } catch (error) {
    return `it is not a cron expression I can read (${(error as Error).message})`;
  }
  let previous = iterator.next().getTime();
  for (let i = 0; i < 30; i++) {
    const next = iterator.next().getTime();
    if (next - previous < 20 * 60 * MINUTE) return 'it would run more than once a day; digests go out at most daily';
    previous = next;
  }
  return undefined;
}

/** The latest occurrence at or before `now`, in the zone. */
export function latestOccurrence(expression: string, zone: string, now: number): Occurrence {
  // The wall clock a minute ahead, so that an occurrence at exactly now counts; then keep only those already due.
  const iterator = parse(expression, new Date(localWall(now, zone).getTime() + MINUTE));
  for (let i = 0; i < 3; i++) {
    const key = wallKey(iterator.prev().toDate());
    const at = instantOfWallTime(key, zone);
    if (at <= now) return { key, at };
  }
  const key = wallKey(iterator.prev().toDate());
  return { key, at: instantOfWallTime(key, zone) };
}

/** The next `count` occurrences after `now`, in the zone. */
export function nextOccurrences(expression: string, zone: string, now: number, count: number): Occurrence[] {
  const iterator = parse(expression, new Date(localWall(now, zone).getTime() - MINUTE));
  const found: Occurrence[] = [];
  while (found.length < count) {
    const key = wallKey(iterator.next().toDate());
    const at = instantOfWallTime(key, zone);
    if (at > now && !found.some((o) => o.key === key)) found.push({ key, at });
  }
  return found;
}

/** Occurrences strictly after `after` and at or before `now`, oldest first (at most `limit`). */
export function occurrencesBetween(expression: string, zone: string, after: number, now: number, limit: number): Occurrence[] {
  const all: Occurrence[] = [];
  let latest = latestOccurrence(expression, zone, now);
  while (latest.at > after && all.length < limit) {
    all.unshift(latest);
    latest = latestOccurrence(expression, zone, latest.at - MINUTE);
  }
  return all;
}

/** What was last planned for one schedule of a subject (a group's weekly digest, say), and when it next has anything to plan. */
export interface PlannedSchedule {
  job: string;
  subject: string;
  /** The schedule it was planned for: its cron expression and zone. */
  schedule: string;
  /** The latest occurrence planned, or '' for none yet. */
  plannedKey: string;
  nextAt: number;
}
