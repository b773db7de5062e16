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
  return fromDayNumber(dayNumber(text)) === text;
}

const QUARTER_HOUR = 15 * 60_000;
const localDates = new Map<string, LocalDate>();

/**
 * The writing day an instant belongs to: the local date, pushed back a day before the rollover hour.
 * Every zone's offset is a whole number of quarter hours, so the answer is the same for a whole
 * quarter hour and is remembered per quarter hour.
 */
export function localDateOf(instant: number, calendar: DayCalendar): LocalDate {
  const key = `${Math.floor(instant / QUARTER_HOUR)}|${calendar.rolloverHour}|${calendar.zone}`;
  let date = localDates.get(key);
  if (date === undefined) {
    const local = DateTime.fromMillis(instant, { zone: calendar.zone });
    date = local.toISODate() as LocalDate;
    if (local.hour < calendar.rolloverHour) date = addDays(date, -1);
    if (localDates.size >= MEMO_SIZE) localDates.clear();
    localDates.set(key, date);
  }
  return date;
}

const dayEnds = new Map<string, number>();

/**
 * The instant a writing day ends: the next date's rollover hour, in the calendar's zone.
 * Remembered, because streaks ask it of the same dates over and over and zone rules are slow to consult.
 */
export function dayEnd(date: LocalDate, calendar: DayCalendar): number {
  const key = `${date}|${calendar.rolloverHour}|${calendar.zone}`;
  let end = dayEnds.get(key);
  if (end === undefined) {
    end = DateTime.fromISO(addDays(date, 1), { zone: calendar.zone }).set({ hour: calendar.rolloverHour }).toMillis();
    if (dayEnds.size >= MEMO_SIZE) dayEnds.clear();
    dayEnds.set(key, end);
  }
  return end;
}

const dayStarts = new Map<string, number>();

/** The instant a writing day starts: its own rollover hour, in the calendar's zone (remembered too). */
export function dayStart(date: LocalDate, calendar: DayCalendar): number {
  const key = `${date}|${calendar.rolloverHour}|${calendar.zone}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    start = dayEnd(addDays(date, -1), calendar);
    if (dayStarts.size >= MEMO_SIZE) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return start;
}

let zonesByLowerCase: Map<string, string> | undefined;

/** An IANA zone name as the user typed it, with its letter case mended where Intl knows it; undefined if invalid. */
export function canonicalZone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed || !IANAZone.isValidZone(trimmed)) return undefined;
  // Offsets such as "+05:00" pass Intl's check but do not follow DST rules; accept names only.
  if (!/^[A-Za-z]/.test(trimmed)) return undefined;
  zonesByLowerCase ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  const known = zonesByLowerCase.get(trimmed.toLowerCase());
  if (known) return known;
  // Intl lists some zones only under older names (Asia/Calcutta for Asia/Kolkata): mend the case by hand.
  if (trimmed !== trimmed.toLowerCase()) return trimmed;
  const titled = trimmed.replace(/(^|[/_-])([a-z])/g, (_, sep: string, letter: string) => sep + letter.toUpperCase());
  return IANAZone.isValidZone(titled) ? titled : trimmed;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}
