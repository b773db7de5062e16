/**
 * Reading a plain chat message as a writing log: "+500 words", "#log 45 min on chapter 3",
 * "wrote 1,200 words today https://...". A group may replace the trigger with its own pattern;
 * the fields are read the same way whatever the trigger.
 */

export const DEFAULT_LOG_TRIGGER = /^\s*(?:\+\s?\d[\d,]*\s*words?\b|#log\b|wrote\s+\d[\d,]*\s+words?\b)/i;
export const MAX_MESSAGE_CHARS = 4000;

export type ChatLogReading =
  | { kind: 'not-a-log' }
  | { kind: 'log'; words?: number; minutes?: number; url?: string; note?: string }
  | { kind: 'unreadable'; reason: string };

const WORDS = /(?:^|\s)\+?\s?(\d[\d,]*)\s*words?\b/i;
const MINUTES = /(?:^|\s)(\d+)\s*(?:m|min|mins|minutes?)\b/i;
const HOURS = /(?:^|\s)(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b/i;
const URL = /https?:\/\/[^\s<>]+/i;

const compiled = new Map<string, RegExp>();

/** Compiles a group's trigger pattern, or explains why it cannot be used. */
export function compileLogPattern(source: string): RegExp | string {
  if (source.length > 200) return 'the pattern is longer than 200 characters';
  try {
    return new RegExp(source, 'i');
  } catch (error) {
    return `it is not a valid regular expression (${(error as Error).message})`;
  }
}

function triggerFor(pattern: string | null): RegExp {
  if (!pattern) return DEFAULT_LOG_TRIGGER;
  let regex = compiled.get(pattern);
  if (!regex) {
    const result = compileLogPattern(pattern);
    regex = typeof result === 'string' ? DEFAULT_LOG_TRIGGER : result;
    compiled.set(pattern, regex);
  }
  return regex;
}

export function readChatLog(message: string, pattern: string | null): ChatLogReading {
  const text = message.slice(0, MAX_MESSAGE_CHARS);
  const trigger = triggerFor(pattern).exec(text);
  if (!trigger) return { kind: 'not-a-log' };

  let rest = text.slice(0, trigger.index) + text.slice(trigger.index + trigger[0].length);
  const found: { words?: number; minutes?: number; url?: string; note?: string } = {};
  const take = (regex: RegExp, from: string) => {
    const match = regex.exec(from);
    if (match) rest = rest.replace(match[0], ' ');
    return match;
  };

  // The trigger itself may hold the word count ("+500 words"), so read words from the whole message.
  const words = WORDS.exec(text);
  if (words) {
    rest = rest.replace(words[0], ' ');
    found.words = Number(words[1]!.replace(/,/g, ''));
  }
  const url = take(URL, rest);
  if (url) found.url = url[0];
  const minutes = take(MINUTES, rest);
  const hours = minutes ? null : take(HOURS, rest);
  if (minutes) found.minutes = Number(minutes[1]);
  else if (hours) found.minutes = Math.round(Number(hours[1]) * 60);
  const note = rest.replace(/\s+/g, ' ').trim();
  if (note) found.note = note.slice(0, 500);

  if (found.words !== undefined && (found.words < 1 || found.words > 100_000))
    return { kind: 'unreadable', reason: 'A word count must be from 1 to 100,000.' };
  if (found.minutes !== undefined && (found.minutes < 1 || found.minutes > 1440))
    return { kind: 'unreadable', reason: 'Time spent must be from 1 minute to 24 hours.' };
  if (found.words === undefined && found.minutes === undefined && !found.url && !found.note)
    return { kind: 'unreadable', reason: 'I found no word count, time or link in it. Try "+500 words".' };
  return { kind: 'log', ...found };
}
