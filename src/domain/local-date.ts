import { DateTime, IANAZone } from 'luxon';

/** A calendar date, 'YYYY-MM-DD', as a member saw it on their own clock. */
export type LocalDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Entries kept by each of the memo tables below; they are cleared when full. */
const MEMO_SIZE = 50_000;

/** A member's calendar: their zone and the hour at which their writing day rolls over (0 = midnight). */
export interface DayCalendar {
  zone: string;
  rolloverHour: number;
}

/** Days since 1970-01-01 for a valid date: calendar arithmetic with no time of day involved. */
export function dayNumber(date: LocalDate): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  // Read the digits directly: this runs for every logged day of every streak.
  const digit = (i: number) => date.charCodeAt(i) - 48;
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const month = digit(5) * 10 + digit(6);
  const day = digit(8) * 10 + digit(9);
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31)) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  // Days from the civil calendar (H. Hinnant's algorithm): the same as Date.UTC in days, without a Date.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date of a day number (the inverse of `dayNumber`, by the same algorithm). */
export function fromDayNumber(days: number): LocalDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** How many calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** True for a real calendar date written as YYYY-MM-DD (2026-02-30 is not one). */
export function isLocalDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  // Out-of-range parts are no date at all; the round trip then catches 30 February.
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && fromDayNumber(dayNumber(text)) === text;
}

const QUARTER_HOUR = 15 * 60_000;

/** What one calendar has already worked out: zone rules are slow to consult, and streaks ask the same questions over and over. */
interface CalendarMemo {
  /** Writing day by quarter hour since the epoch. */
  localDates: Map<number, LocalDate>;
  dayEnds: Map<LocalDate, number>;
  dayStarts: Map<LocalDate, number>;
}

// By zone, then rollover hour: found without building a key string, since leaderboards ask for every member.
const memos = new Map<string, Map<number, CalendarMemo>>();

function memoOf(calendar: DayCalendar): CalendarMemo {
  let byHour = memos.get(calendar.zone);
  if (!byHour) memos.set(calendar.zone, (byHour = new Map()));
  let memo = byHour.get(calendar.rolloverHour);
  if (!memo) byHour.set(calendar.rolloverHour, (memo = { localDates: new Map(), dayEnds: new Map(), dayStarts: new Map() }));
  return memo;
}

function remember<K, V>(table: Map<K, V>, key: K, value: V): V {
  if (table.size >= MEMO_SIZE) table.clear();
  table.set(key, value);
  return value;
}

/**
 * The writing day an instant belongs to: the local date, pushed back a day before the rollover hour.
 * Every zone's offset is a whole number of quarter hours, so the answer is the same for a whole
 * quarter hour and is remembered per quarter hour.
 */
export function localDateOf(instant: number, calendar: DayCalendar): LocalDate {
  const memo = memoOf(calendar).localDates;
  const quarter = Math.floor(instant / QUARTER_HOUR);
  const known = memo.get(quarter);
  if (known !== undefined) return known;
  const local = DateTime.fromMillis(instant, { zone: calendar.zone });
  const date = local.toISODate() as LocalDate;
  return remember(memo, quarter, local.hour < calendar.rolloverHour ? addDays(date, -1) : date);
}

/** The instant a writing day ends: the next date's rollover hour, in the calendar's zone. */
export function dayEnd(date: LocalDate, calendar: DayCalendar): number {
  const memo = memoOf(calendar).dayEnds;
  const known = memo.get(date);
  if (known !== undefined) return known;
  return remember(memo, date, DateTime.fromISO(addDays(date, 1), { zone: calendar.zone }).set({ hour: calendar.rolloverHour }).toMillis());
}

/** The instant a writing day starts: its own rollover hour, in the calendar's zone. */
export function dayStart(date: LocalDate, calendar: DayCalendar): number {
  const memo = memoOf(calendar).dayStarts;
  const known = memo.get(date);
  if (known !== undefined) return known;
  return remember(memo, date, dayEnd(addDays(date, -1), calendar));
}

let zonesByLowerCase: Map<string, string> | undefined;

/**
 * Abbreviations that name a clock, not a place: they never change for daylight saving, so someone on
 * the US east coast who picks EST would have days an hour off half the year. Each maps to the zone
 * people who type it usually mean.
 */
const ABBREVIATIONS: Record<string, string> = {
  est: 'America/New_York',
  edt: 'America/New_York',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  hst: 'Pacific/Honolulu',
  akst: 'America/Anchorage',
};

/** The place-named zone meant by a clock abbreviation such as EST, or undefined for anything else. */
export function zoneForAbbreviation(input: string): string | undefined {
  return ABBREVIATIONS[input.trim().toLowerCase()];
}

/**
 * An IANA zone name as the user typed it, in its canonical letter case ("utc" is "UTC", "europe/london"
 * is "Europe/London"); undefined if invalid, an offset, or a clock abbreviation (see zoneForAbbreviation).
 */
export function canonicalZone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed || !IANAZone.isValidZone(trimmed) || zoneForAbbreviation(trimmed)) return undefined;
  // Offsets such as "+05:00" pass Intl's check but do not follow DST rules; accept names only.
  if (!/^[A-Za-z]/.test(trimmed)) return undefined;
  const lower = trimmed.toLowerCase();
  zonesByLowerCase ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  const known = zonesByLowerCase.get(lower);
  if (known) return known;
  // Intl's own spelling, when it is this name ("UTC", "Etc/GMT+5") rather than another it links to.
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  if (resolved.toLowerCase() === lower) return resolved;
  // Intl lists some zones only under older names (Asia/Calcutta for Asia/Kolkata): mend the case by hand.
  if (trimmed !== lower) return trimmed;
  const titled = trimmed.replace(/(^|[/_-])([a-z])/g, (_, sep: string, letter: string) => sep + letter.toUpperCase());
  return IANAZone.isValidZone(titled) ? titled : trimmed;
}

