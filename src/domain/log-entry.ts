import { addDays, isLocalDate, type LocalDate } from './local-date';

export const MAX_WORDS = 100_000;
export const MAX_MINUTES = 1440;
export const MAX_NOTE_CHARS = 500;

/** What one log says about a session of writing; any one field is enough. */
export interface LogEntryInput {
  words?: number;
  minutes?: number;
  url?: string;
  note?: string;
}

export function isEmptyEntry(entry: LogEntryInput): boolean {
  return !entry.words && !entry.minutes && !entry.url && !entry.note;
}

export type DateChoice = { ok: true; date: LocalDate } | { ok: false; reason: string };

/**
 * Which day a log is for: today unless `date` says 'yesterday' or a YYYY-MM-DD within the group's
 * backfill window. Future dates and older ones are refused with the reason.
 */
export function chooseLogDate(input: string | undefined, today: LocalDate, backfillDays: number): DateChoice {
  const text = input?.trim().toLowerCase();
  let date: LocalDate;
  if (!text || text === 'today') date = today;
  else if (text === 'yesterday') date = addDays(today, -1);
  else if (isLocalDate(text)) date = text;
  else return { ok: false, reason: `"${input}" is not a date. Use today, yesterday or YYYY-MM-DD.` };

  if (date > today) return { ok: false, reason: `${date} is in the future (today is ${today} for you).` };
  const earliest = addDays(today, -backfillDays);
  if (date < earliest) {
    const window = backfillDays === 0 ? 'only today' : `back to ${earliest} (${backfillDays} day${backfillDays === 1 ? '' : 's'})`;
    return { ok: false, reason: `${date} is too far back: this group accepts logs ${window}.` };
  }
  return { ok: true, date };
}

/** A log entry as it was kept: the day it counts for and what it held. */
export interface LoggedEntry {
  date: LocalDate;
  words: number;
  minutes: number;
}

/** A member's logs added up over some dates. */
export interface LogTotals {
  words: number;
  minutes: number;
  entries: number;
  days: number;
}
