import { addDays, daysBetween, type LocalDate } from '../domain/local-date';
import { startOfWeek } from '../domain/periods';
import { plural } from '../core/format';
import { textWidth } from './fonts';
import { fit, svgDocument, text, THEME } from './svg';

export const CALENDAR_WEEKS = 26;

/** Where everything sits, so tests can find a day's cell. */
export const CALENDAR_LAYOUT = {
  cell: 14,
  gap: 3,
  left: 44,
  top: 64,
  width: 44 + CALENDAR_WEEKS * 17 + 24,
  height: 64 + 7 * 17 + 56,
};

export interface CalendarData {
  name: string;
  today: LocalDate;
  /** 1 = Monday ... 7 = Sunday: the first row. */
  weekStart: number;
  /** Words per logged date (0 when a day was logged without a word count). */
  words: ReadonlyMap<LocalDate, number>;
  frozen: ReadonlySet<LocalDate>;
  vacation: ReadonlySet<LocalDate>;
  current: number;
  longest: number;
}

/** The shade of a logged day: by words written, or the middle shade when no words were counted. */
export function levelOf(words: number): number {
  if (words === 0) return 1;
  if (words < 250) return 0;
  if (words < 750) return 1;
  if (words < 1500) return 2;
  return 3;
}

/** The first date shown: the start of the week 25 weeks before today's. */
export function calendarStart(today: LocalDate, weekStart: number): LocalDate {
  return addDays(startOfWeek(today, weekStart), -(CALENDAR_WEEKS - 1) * 7);
}

/** The centre of a date's cell, in pixels. */
export function cellCentre(date: LocalDate, data: Pick<CalendarData, 'today' | 'weekStart'>): { x: number; y: number } {
  const offset = daysBetween(calendarStart(data.today, data.weekStart), date);
  const { cell, gap, left, top } = CALENDAR_LAYOUT;
  const week = Math.floor(offset / 7);
  const row = offset % 7;
  return { x: left + week * (cell + gap) + cell / 2, y: top + row * (cell + gap) + cell / 2 };
}

function cellColour(date: LocalDate, data: CalendarData): string {
  const words = data.words.get(date);
  if (words !== undefined) return THEME.levels[levelOf(words)]!;
  if (data.frozen.has(date)) return THEME.freeze;
  if (data.vacation.has(date)) return THEME.vacation;
  return THEME.empty;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function streakCalendarSvg(data: CalendarData): string {
  const { cell, gap, left, top, width, height } = CALENDAR_LAYOUT;
  const start = calendarStart(data.today, data.weekStart);
  const parts: string[] = [];
  const suffix = ': the last 26 weeks';
  parts.push(text(16, 28, `${fit(data.name, width - 32 - textWidth(suffix, 16, 600), 16, 600)}${suffix}`, { size: 16, weight: 600 }));
  // A month is labelled over its first column, unless the next month starts too soon to leave room.
  const monthStarts: { week: number; month: number }[] = [];
  for (let week = 0; week < CALENDAR_WEEKS; week++) {
    const month = Number(addDays(start, week * 7).slice(5, 7)) - 1;
    if (monthStarts.at(-1)?.month !== month) monthStarts.push({ week, month });
  }
  monthStarts.forEach(({ week, month }, i) => {
    const next = monthStarts[i + 1]?.week ?? CALENDAR_WEEKS;
    if (next - week >= 2) parts.push(text(left + week * (cell + gap), top - 8, MONTHS[month]!, { size: 10, fill: THEME.muted }));
  });
  for (let week = 0; week < CALENDAR_WEEKS; week++) {
    const weekFirst = addDays(start, week * 7);
    for (let row = 0; row < 7; row++) {
      const date = addDays(weekFirst, row);
      if (date > data.today) continue;
      const x = left + week * (cell + gap);
      const y = top + row * (cell + gap);
      const outline = date === data.today ? ` stroke="${THEME.today}" stroke-width="2"` : '';
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" rx="3" fill="${cellColour(date, data)}"${outline}/>`);
    }
  }
  for (const row of [0, 2, 4]) {
    const name = WEEKDAY_NAMES[(data.weekStart - 1 + row) % 7]!;
    parts.push(text(left - 8, top + row * (cell + gap) + cell - 3, name, { size: 10, fill: THEME.muted, anchor: 'end' }));
  }
  const captionY = top + 7 * (cell + gap) + 22;
  parts.push(text(16, captionY, `Current streak ${plural(data.current, 'day')}  ·  Longest ${data.longest}  ·  ${plural(data.words.size, 'day')} logged`, { size: 12, weight: 600 }));
  // Legend: less to more, then the two special days.
  let x = width - 16 - 5 * (cell + gap) - 150;
  const legendY = captionY + 14;
  parts.push(text(x - 6, legendY + cell - 3, 'Less', { size: 10, fill: THEME.muted, anchor: 'end' }));
  for (const colour of [THEME.empty, ...THEME.levels]) {
    parts.push(`<rect x="${x}" y="${legendY}" width="${cell - 4}" height="${cell - 4}" rx="2" fill="${colour}"/>`);
    x += cell - 1;
  }
  parts.push(text(x + 2, legendY + cell - 3, 'More', { size: 10, fill: THEME.muted }));
  x += 40;
  for (const [colour, label] of [
    [THEME.freeze, 'Freeze'],
    [THEME.vacation, 'Vacation'],
  ] as const) {
    parts.push(`<rect x="${x}" y="${legendY}" width="${cell - 4}" height="${cell - 4}" rx="2" fill="${colour}"/>`);
    parts.push(text(x + cell, legendY + cell - 4, label, { size: 10, fill: THEME.muted }));
    x += 62;
  }
  return svgDocument(width, height, parts.join(''));
}

/** The calendar in words, for screen readers and for a post whose picture could not be drawn. */
export function streakCalendarAlt(data: CalendarData): string {
  const start = calendarStart(data.today, data.weekStart);
  const inRange = (d: LocalDate) => d >= start && d <= data.today;
  const logged = [...data.words.keys()].filter(inRange).length;
  const frozen = [...data.frozen].filter(inRange).length;
  const vacation = [...data.vacation].filter(inRange).length;
  return `Streak calendar for ${data.name}, the 26 weeks to ${data.today}: ${plural(logged, 'day')} logged, ${frozen} bridged by a freeze, ${vacation} on vacation. Current streak ${plural(data.current, 'day')}, longest ${data.longest}.`;
}
