import { formatNumber, plural } from '../core/format';
import { addDays, type LocalDate } from '../domain/local-date';
import type { GroupCalendar } from '../domain/web-page';
import { CALENDAR_LAYOUT, CALENDAR_WEEKS, calendarStart } from './streak-calendar';
import { svgDocument, text, THEME } from './svg';

export interface GroupCalendarData {
  today: LocalDate;
  weekStart: number;
  days: GroupCalendar;
}

/** The id of the day's square, unique in the group's page (the only picture there with ids). */
const DAY_ID = 'group-day';

/** The shade of a day by how many members wrote, relative to the busiest day shown. */
function levelOf(writers: number, most: number): number {
  return Math.min(3, Math.floor((4 * writers) / (most + 1)));
}

/** The group's last 26 weeks, the same grid as a member's streak calendar, shaded by how many wrote each day. */
export function groupCalendarSvg(data: GroupCalendarData): string {
  const { cell, gap, left, top, width, height } = CALENDAR_LAYOUT;
  const start = calendarStart(data.today, data.weekStart);
  const most = Math.max(1, ...[...data.days.values()].map((d) => d.writers));
  // One day's square, drawn 182 times by reference: the page carries it once.
  const parts = [`<defs><rect id="${DAY_ID}" width="${cell}" height="${cell}" rx="3"/></defs>`, text(16, 28, 'Days the group wrote: the last 26 weeks', { size: 16, weight: 600 })];
  let written = 0;
  for (let week = 0; week < CALENDAR_WEEKS; week++) {
    for (let row = 0; row < 7; row++) {
      const date = addDays(start, week * 7 + row);
      if (date > data.today) continue;
      const day = data.days.get(date);
      if (day && day.writers > 0) written++;
      const fill = day && day.writers > 0 ? THEME.levels[levelOf(day.writers, most)]! : THEME.empty;
      const outline = date === data.today ? ` stroke="${THEME.today}" stroke-width="2"` : '';
      parts.push(`<use href="#${DAY_ID}" x="${left + week * (cell + gap)}" y="${top + row * (cell + gap)}" fill="${fill}"${outline}/>`);
    }
  }
  parts.push(text(16, top + 7 * (cell + gap) + 22, `${plural(written, 'day')} with writing · most writers on one day: ${formatNumber(most)}`, { size: 12, weight: 600 }));
  return svgDocument(width, height, parts.join(''));
}

/** The calendar in words. */
export function groupCalendarAlt(data: GroupCalendarData): string {
  const start = calendarStart(data.today, data.weekStart);
  let days = 0;
  let words = 0;
  let busiest: { date: LocalDate; writers: number } | undefined;
  for (const [date, day] of data.days) {
    if (date < start || date > data.today || day.writers === 0) continue;
    days++;
    words += day.words;
    if (!busiest || day.writers > busiest.writers) busiest = { date, writers: day.writers };
  }
  const most = busiest ? ` The busiest day was ${busiest.date}, with ${plural(busiest.writers, 'writer')}.` : '';
  return `The group's writing calendar, the 26 weeks to ${data.today}: someone wrote on ${plural(days, 'day')}, ${formatNumber(words)} words in all.${most}`;
}
