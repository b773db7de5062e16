import { DateTime } from 'luxon';
import type { Platform } from './invocation';

/**
 * Reply text is plain text plus two pieces of markup every adapter understands: `<@userId>` for a
 * person and `<#channelId>` for a channel. Anything a user typed goes through `plain()` first, so
 * it can never forge that markup (or an @everyone).
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
