import { DateTime } from 'luxon';
import type { Platform } from './invocation';

/**
 * Reply text is plain text plus three pieces of markup every adapter understands (see Reply):
 * `<@userId>` for a person, `<#channelId>` for a channel and `<t:unixSeconds:R>` for a relative time.
 * Anything a user typed goes through `plain()` first, so it can never forge that markup (or an @everyone).
 */
export function plain(text: string): string {
  return text
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/@(everyone|here|channel)\b/gi, '@\u200b$1');
}

export const userMention = (userId: string) => `<@${userId}>`;
export const channelMention = (channelId: string) => `<#${channelId}>`;

/** What people on a platform call the place a group lives in: a server on Discord, a workspace elsewhere. */
export const workspaceNoun = (platform: Platform) => (platform === 'discord' ? 'server' : 'workspace');

/** Text cut to `length` characters with an ellipsis, for a line or a field with a limit. */
export function clip(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

const numbers = new Intl.NumberFormat('en-US');

export function formatNumber(n: number): string {
  return numbers.format(n);
}

/** "1 day", "5 days", "1,200 words". */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatNumber(n)} ${n === 1 ? noun : pluralNoun}`;
}

/** How many names a list shows before "and N others". */
export const NAMES_SHOWN = 10;

/**
 * The first NAMES_SHOWN items joined by commas, then how many more of `count` there are: "Ana, Bo
 * and 12 others". A group of thousands would otherwise post a list the platforms cut off mid-name.
 */
export function shortList<T>(items: readonly T[], render: (item: T) => string, count = items.length): string {
  const shown = items.slice(0, NAMES_SHOWN);
  const listed = shown.map(render).join(', ');
  return count > shown.length ? `${listed} and ${plural(count - shown.length, 'other')}` : listed;
}

/** "Sat 21 Nov" for a YYYY-MM-DD date. */
export function formatDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).toFormat('ccc d LLL');
}

/**
 * The candidate a mistyped word most likely meant ("lgo" → "log", "leader" → "leaderboard"): one that
 * starts with it, or is at most two edits away; undefined when nothing is that close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  if (typed.length >= 3) {
    const started = candidates.find((c) => c.startsWith(typed));
    if (started) return started;
  }
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate);
    if (distance <= Math.min(2, Math.floor(candidate.length / 2)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Insertions, deletions, substitutions and swaps of neighbours needed to turn one word into another. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
