import { DateTime } from 'luxon';

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

const numbers = new Intl.NumberFormat('en-US');

export function formatNumber(n: number): string {
  return numbers.format(n);
}

/** "1 day", "5 days", "1,200 words". */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatNumber(n)} ${n === 1 ? noun : pluralNoun}`;
}

/** "Sat 21 Nov" for a YYYY-MM-DD date. */
export function formatDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).toFormat('ccc d LLL');
}
