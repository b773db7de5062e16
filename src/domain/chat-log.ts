import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';
import { LruCache } from './lru-cache';

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

/** What starts a message being read as a log: where in the text it matched, and what it matched. */
export interface LogTrigger {
  find(text: string): { index: number; text: string } | null;
}

/** The project's own trigger stays on JavaScript's engine, matching as it always has: anchored at the start, it runs in linear time there. */
const DEFAULT_TRIGGER: LogTrigger = {
  find(text) {
    const match = DEFAULT_LOG_TRIGGER.exec(text);
    return match && { index: match.index, text: match[0] };
  },
};

export const MAX_PATTERN_CHARS = 200;
/**
 * RE2 matches in time proportional to the text times the compiled program, so the program is bounded
 * too: at this size the slowest pattern takes some tens of milliseconds on a whole 4,000-character message.
 * A plain list of 200 characters of words compiles to fewer instructions than this.
 */
export const MAX_PATTERN_INSTRUCTIONS = 250;
const LINEAR_TIME =
  'log patterns must run in linear time, so look-arounds, backreferences, atomic groups and possessive quantifiers are not supported';

/** What RE2 refuses because it cannot run in linear time, read from where its parser stopped. */
function unsupportedConstruct(fragment: string): string | null {
  if (fragment.startsWith('(?=') || fragment.startsWith('(?!')) return `a look-ahead "${fragment.slice(0, 3)}"`;
  if (fragment.startsWith('(?<=') || fragment.startsWith('(?<!')) return `a look-behind "${fragment.slice(0, 4)}"`;
  if (/^\\[1-9k]/.test(fragment)) return `a backreference "${fragment.slice(0, 2)}"`;
  if (fragment.startsWith('(?>')) return 'an atomic group "(?>"';
  if (/^[*+?}]\+/.test(fragment)) return `a possessive quantifier "${fragment.slice(0, 2)}"`;
  return null;
}

function refusal(source: string, error: RE2JSSyntaxException): string {
  const fragment = error.getPattern() ?? '';
  const construct = unsupportedConstruct(fragment);
  if (construct) return `it uses ${construct}, and ${LINEAR_TIME}`;
  // Some errors quote the whole pattern, with the case-insensitive flag in front: that says nothing more.
  const where = fragment && !fragment.endsWith(source) ? ` "${fragment}"` : '';
  return `it is not a valid regular expression in RE2 syntax (${error.getDescription()}${where})`;
}

/**
 * Compiles a group's trigger pattern for RE2 (re2js), which matches in linear time whatever the
 * pattern, or explains in one line why it cannot be used.
 */
export function compileLogPattern(source: string): LogTrigger | string {
  if (source.length > MAX_PATTERN_CHARS) return `the pattern is longer than ${MAX_PATTERN_CHARS} characters`;
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return refusal(source, error);
    if (error instanceof RE2JSException) return `it is not a valid regular expression in RE2 syntax (${error.message})`;
    throw error;
  }
  const size = pattern.programSize();
  if (size > MAX_PATTERN_INSTRUCTIONS)
    return `it is too large to match quickly (${size} instructions once compiled, at most ${MAX_PATTERN_INSTRUCTIONS}; repeat counts such as {50} multiply the size)`;
  return {
    find(text) {
      // Most chat is not a log: the test runs on RE2's DFA, without tracking where the match is.
      if (!pattern.test(text)) return null;
      const matcher = pattern.matcher(text);
      return matcher.find() ? { index: matcher.start(), text: text.slice(matcher.start(), matcher.end()) } : null;
    },
  };
}

/**
 * Patterns are chosen by group admins, any number of them over time: only the recent ones stay
 * compiled. Each compiled pattern may grow a matching cache of up to 8 MB inside re2js, so the
 * number kept is small; compiling one again costs about a millisecond.
 */
export const COMPILED_PATTERNS_KEPT = 32;
const compiled = new LruCache<LogTrigger>(COMPILED_PATTERNS_KEPT);

/** The trigger for a group's pattern; a stored pattern that can no longer be compiled falls back to the default. */
export function logTriggerFor(pattern: string | null): LogTrigger {
  if (!pattern) return DEFAULT_TRIGGER;
  let trigger = compiled.get(pattern);
  if (!trigger) {
    const result = compileLogPattern(pattern);
    trigger = typeof result === 'string' ? DEFAULT_TRIGGER : result;
    compiled.set(pattern, trigger);
  }
  return trigger;
}

export function compiledPatternCount(): number {
  return compiled.size;
}

export function readChatLog(message: string, pattern: string | null): ChatLogReading {
  const text = message.slice(0, MAX_MESSAGE_CHARS);
  const trigger = logTriggerFor(pattern).find(text);
  if (!trigger) return { kind: 'not-a-log' };

  let rest = text.slice(0, trigger.index) + text.slice(trigger.index + trigger.text.length);
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
