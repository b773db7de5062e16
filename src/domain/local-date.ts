import { DateTime, IANAZone } from 'luxon';

/** A calendar date, 'YYYY-MM-DD', as a member saw it on their own clock. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A member's calendar: their zone and the hour at which their writing day rolls over (0 = midnight). */
export interface DayCalendar {
  zone: string;
  rolloverHour: number;
}

/** Days since 1970-01-01 for a valid date: calendar arithmetic with no time of day involved. */
function dayNumber(date: LocalDate): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

function fromDayNumber(days: number): LocalDate {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
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

/** The writing day an instant belongs to: the local date, pushed back a day before the rollover hour. */
export function localDateOf(instant: number, calendar: DayCalendar): LocalDate {
  const local = DateTime.fromMillis(instant, { zone: calendar.zone });
  const date = local.toISODate() as LocalDate;
  return local.hour < calendar.rolloverHour ? addDays(date, -1) : date;
}

/** The instant a writing day ends: the next date's rollover hour, in the calendar's zone. */
export function dayEnd(date: LocalDate, calendar: DayCalendar): number {
  const next = DateTime.fromISO(addDays(date, 1), { zone: calendar.zone });
  return next.set({ hour: calendar.rolloverHour }).toMillis();
}

/** The instant a writing day starts: its own rollover hour, in the calendar's zone. */
export function dayStart(date: LocalDate, calendar: DayCalendar): number {
  return dayEnd(addDays(date, -1), calendar);
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
