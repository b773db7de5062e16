import { DateTime } from 'luxon';
import { rank } from './leaderboard';
import { instantOfWallTime } from './schedule';

/** Writing sprints (word wars): when they run, what a count means, and how results rank. Pure rules. */

export const SPRINT_MINUTES = { min: 1, max: 180, default: 20 } as const;
export const SPRINT_DELAY_MINUTES = { min: 0, max: 1440, default: 2 } as const;
export const DEFAULT_SPRINT_WINDOW_MINUTES = 2;
export const DEFAULT_SPRINT_MAX_WPM = 150;
/** A clock-aligned start further ahead than this is a time that has already passed today. */
const AT_LOOKAHEAD_MS = 12 * 3_600_000;
const MINUTE = 60_000;

/** The instants of one sprint. */
export interface SprintTimes {
  startAt: number;
  endAt: number;
  /** Final counts are taken until here; then the results. */
  windowClosesAt: number;
}

export type SprintPhase = 'waiting' | 'running' | 'window' | 'closed';

export interface Sprint extends SprintTimes {
  id: number;
  groupId: number;
  channelId: string;
  starterUserId: string;
  minutes: number;
  announcementMessageId: string | null;
  cancelledAt: number | null;
  finishedAt: number | null;
  /** Its place in a chain of sprints run back to back (1 of 1 for a single sprint). */
  chain: SprintChain;
}

export interface SprintChain {
  position: number;
  length: number;
  gapMinutes: number;
}

export const SPRINT_CHAIN = { min: 2, max: 10 } as const;
export const SPRINT_GAP_MINUTES = { min: 1, max: 60, default: 5 } as const;

/**
 * When the next sprint of a chain starts: the gap after this one's end, but never before this one's
 * results, since a channel runs one sprint at a time.
 */
export function nextInChain(sprint: Pick<Sprint, 'endAt' | 'windowClosesAt' | 'chain'>): number | undefined {
  if (sprint.chain.position >= sprint.chain.length) return undefined;
  return Math.max(sprint.endAt + sprint.chain.gapMinutes * MINUTE, sprint.windowClosesAt);
}

export interface SprintParticipant {
  memberId: number;
  userId: string;
  displayName: string;
  /** null: joined for the minutes only (count:none). */
  startCount: number | null;
  finalCount: number | null;
  joinedAt: number;
}

export type StartChoice = { ok: true; startAt: number } | { ok: false; reason: string };

/**
 * When a sprint starts: `in` minutes from now, or clock-aligned with `at` ("14:30" the next time the
 * group's clock shows it, ":30" the next half past). Wall times are read in the zone, so a start
 * named inside a spring-forward gap runs at the first minute after it, and a repeated hour once.
 */
export function chooseSprintStart(now: number, input: { inMinutes?: number; at?: string }, zone: string): StartChoice {
  if (input.at !== undefined && input.inMinutes !== undefined) return { ok: false, reason: 'Give either in:<minutes> or at:<HH:MM>, not both.' };
  if (input.at === undefined) return { ok: true, startAt: now + (input.inMinutes ?? SPRINT_DELAY_MINUTES.default) * MINUTE };
  const text = input.at.trim();
  const match = /^(\d{1,2})?:(\d{2})$/.exec(text);
  const hour = match?.[1] === undefined ? undefined : Number(match[1]);
  const minute = match ? Number(match[2]) : NaN;
  if (!match || minute > 59 || (hour !== undefined && hour > 23))
    return { ok: false, reason: `at takes a time of day such as 14:30, or :30 for the next half past (got "${text}").` };
  const local = DateTime.fromMillis(now, { zone });
  const wall = (day: DateTime, h: number) => instantOfWallTime(`${day.toISODate()}T${pad(h)}:${pad(minute)}`, zone);
  if (hour === undefined) {
    // The next hour of the local clock whose minute `minute` is still ahead.
    for (let step = 0; step <= 3; step++) {
      const candidate = local.startOf('hour').plus({ hours: step });
      const at = wall(candidate, candidate.hour);
      if (at > now) return { ok: true, startAt: at };
    }
    return { ok: false, reason: `I couldn't find the next :${pad(minute)} in ${zone}.` };
  }
  const today = wall(local, hour);
  const startAt = today > now ? today : wall(local.plus({ days: 1 }), hour);
  if (startAt - now > AT_LOOKAHEAD_MS)
    return { ok: false, reason: `${pad(hour)}:${pad(minute)} has already passed in ${zone} (it is ${local.toFormat('HH:mm')} now). Pick a time within the next 12 hours, or use in:<minutes>.` };
  return { ok: true, startAt };
}

export function sprintTimes(startAt: number, minutes: number, windowMinutes: number): SprintTimes {
  const endAt = startAt + minutes * MINUTE;
  return { startAt, endAt, windowClosesAt: endAt + windowMinutes * MINUTE };
}

export function sprintPhase(times: SprintTimes, now: number): SprintPhase {
  if (now < times.startAt) return 'waiting';
  if (now < times.endAt) return 'running';
  if (now < times.windowClosesAt) return 'window';
  return 'closed';
}

/** Words written in the sprint: final count less starting count; null for a minutes-only participant. */
export function wordsWritten(p: Pick<SprintParticipant, 'startCount' | 'finalCount'>): number | null {
  if (p.startCount === null) return null;
  return Math.max(0, (p.finalCount ?? p.startCount) - p.startCount);
}

/** The minutes a participant actually sprinted: from the start (or their later join) to the end. */
export function sprintedMs(times: Pick<SprintTimes, 'startAt' | 'endAt'>, joinedAt: number): number {
  return Math.max(0, times.endAt - Math.max(times.startAt, joinedAt));
}

/** Words per minute over a length of time, to one decimal; 0 for no time at all. */
export function wordsPerMinute(words: number, ms: number): number {
  if (ms <= 0) return 0;
  return Math.round((words / (ms / MINUTE)) * 10) / 10;
}

/**
 * A count that implies writing faster than `maxWpm` since the participant started: most likely a
 * typo or a total given as words added. Less than a minute in is judged as a minute.
 */
export function isImplausibleRate(words: number, elapsedMs: number, maxWpm: number): boolean {
  return words / Math.max(1, elapsedMs / MINUTE) > maxWpm;
}

export type CountReading = { ok: true; kind: 'total' | 'added'; value: number } | { ok: false; reason: string };

/** `1200` (a total now) or `+250` (words added), as typed; thousands separators allowed. */
export function readSprintCount(text: string): CountReading {
  const match = /^(\+)?\s*(\d[\d,_]*)$/.exec(text.trim().normalize('NFKC'));
  const value = match ? Number(match[2]!.replace(/[,_]/g, '')) : NaN;
  if (!match || !Number.isSafeInteger(value) || value > MAX_SPRINT_COUNT)
    return { ok: false, reason: `A count is your total now, like 1200, or the words you added, like +250 (at most ${MAX_SPRINT_COUNT.toLocaleString('en-US')}).` };
  return { ok: true, kind: match[1] ? 'added' : 'total', value };
}

export const MAX_SPRINT_COUNT = 10_000_000;

/** What counts a sprint takes now: a starting count before the end, final counts until the window closes. */
export function countProblem(times: SprintTimes, now: number): string | undefined {
  const phase = sprintPhase(times, now);
  if (phase === 'waiting') return `The sprint hasn't started yet: it starts <t:${unix(times.startAt)}:R>. Send your count once it is running.`;
  if (phase === 'closed') return `The submission window closed <t:${unix(times.windowClosesAt)}:R>, so counts are no longer taken.`;
  return undefined;
}

export interface SprintResult {
  rank: number;
  participant: SprintParticipant;
  words: number;
  wpm: number;
  personalBest: boolean;
}

/**
 * The ranked results: by words written, ties sharing a rank (1, 2, 2, 4), WPM over each one's true
 * time in the sprint. A personal best is a WPM above every earlier sprint's of the same member.
 * Minutes-only participants are not ranked; they are listed apart.
 */
export function rankSprint(
  times: Pick<SprintTimes, 'startAt' | 'endAt'>,
  participants: readonly SprintParticipant[],
  bestBefore: ReadonlyMap<number, number>,
): { ranked: SprintResult[]; minutesOnly: SprintParticipant[] } {
  const counted = participants.filter((p) => p.startCount !== null);
  const ranked = rank(counted, (p) => wordsWritten(p) ?? 0).map(({ rank: place, entry }) => {
    const words = wordsWritten(entry) ?? 0;
    const wpm = wordsPerMinute(words, sprintedMs(times, entry.joinedAt));
    const best = bestBefore.get(entry.memberId);
    return { rank: place, participant: entry, words, wpm, personalBest: best !== undefined && words > 0 && wpm > best };
  });
  return { ranked, minutesOnly: participants.filter((p) => p.startCount === null) };
}

export const unix = (instant: number) => Math.floor(instant / 1000);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
