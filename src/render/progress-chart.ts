import { addDays, daysBetween, type LocalDate } from '../domain/local-date';
import { fit, svgDocument, text, THEME } from './svg';

/** Progress toward a target over dates: a project's words, a challenge group's total. */
export interface ProgressChartData {
  title: string;
  /** The first and last date of the chart (a deadline or a challenge's end is the last). */
  from: LocalDate;
  to: LocalDate;
  /** Running total per date from `from`, up to today (shorter than the span while it runs). */
  values: number[];
  /** The target, reached at `to` on an even pace from 0 at `from`: the par line. Null for no par line. */
  target: number | null;
  /** What the values count ('words', 'days', 'articles'). */
  unit: string;
  /** Marks `to` as a deadline. */
  deadline: boolean;
}

export const PROGRESS_LAYOUT = { width: 600, height: 320, left: 64, right: 24, top: 64, bottom: 276 };

/** Colours of the lines, so tests can find them in the pixels. */
export const PROGRESS_COLOURS = { progress: THEME.series[0], par: THEME.muted, deadline: THEME.series[1] } as const;

const niceStep = (rough: number) => {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  return ([1, 2, 5, 10].map((n) => n * power).find((s) => s >= rough) ?? 10 * power) || 1;
};

/** Where a date and a value land: tests use this to look at the pixels of a line. */
export function progressGeometry(data: ProgressChartData) {
  const { width, left, right, top, bottom } = PROGRESS_LAYOUT;
  // A value is the total at the end of its day: day i ends at x(i), and x(-1) is the start of the first.
  const days = Math.max(1, daysBetween(data.from, data.to) + 1);
  const highest = Math.max(1, data.target ?? 0, ...data.values);
  const step = niceStep(highest / 4);
  const max = Math.ceil(highest / step) * step;
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);
  return {
    x: (dayIndex: number) => left + ((dayIndex + 1) * (width - left - right)) / days,
    y: (value: number) => bottom - (value / max) * (bottom - top),
    max,
    ticks,
  };
}

const compact = (n: number) => (n >= 1_000_000 ? `${+(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${+(n / 1000).toFixed(1)}k` : String(n));

const shortDate = (date: LocalDate) => {
  const [, month, day] = date.split('-');
  return `${Number(day)} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(month) - 1]}`;
};

export function progressChartSvg(data: ProgressChartData): string {
  const { width, height, left, right, top, bottom } = PROGRESS_LAYOUT;
  const g = progressGeometry(data);
  const parts: string[] = [];
  for (const tick of g.ticks) {
    const y = g.y(tick);
    parts.push(`<line x1="${left}" y1="${y.toFixed(1)}" x2="${width - right}" y2="${y.toFixed(1)}" stroke="${tick === 0 ? THEME.border : THEME.grid}"/>`);
    parts.push(text(left - 6, y + 3.5, compact(tick), { size: 10, fill: THEME.muted, anchor: 'end' }));
  }
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="${THEME.border}"/>`);
  const last = daysBetween(data.from, data.to);
  if (data.deadline) {
    const x = g.x(last);
    parts.push(`<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${bottom}" stroke="${PROGRESS_COLOURS.deadline}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    parts.push(text(x - 4, top - 12, `Deadline ${shortDate(data.to)}`, { size: 10, weight: 600, fill: PROGRESS_COLOURS.deadline, anchor: 'end' }));
  }
  if (data.target !== null)
    parts.push(`<line x1="${g.x(-1)}" y1="${g.y(0)}" x2="${g.x(last).toFixed(1)}" y2="${g.y(data.target).toFixed(1)}" stroke="${PROGRESS_COLOURS.par}" stroke-width="2" stroke-dasharray="6 4"/>`);
  const points = data.values.map((v, i) => `${g.x(i).toFixed(1)},${g.y(v).toFixed(1)}`);
  if (points.length === 1) parts.push(`<circle cx="${g.x(0)}" cy="${g.y(data.values[0]!)}" r="3" fill="${PROGRESS_COLOURS.progress}"/>`);
  else if (points.length) parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${PROGRESS_COLOURS.progress}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>`);
  parts.push(text(16, 28, fit(data.title, width - 32, 16, 600), { size: 16, weight: 600 }));
  parts.push(text(16, 46, data.target === null ? `${data.unit} so far` : `${data.unit} so far (solid) against an even pace to ${compact(data.target)} (dashed)`, { size: 11, fill: THEME.muted }));
  parts.push(text(left, bottom + 18, shortDate(data.from), { size: 10, fill: THEME.muted }));
  parts.push(text(width - right, bottom + 18, shortDate(data.to), { size: 10, fill: THEME.muted, anchor: 'end' }));
  const today = data.values.length - 1;
  if (today > 0 && today < last - 3) parts.push(text(g.x(today), bottom + 18, shortDate(addDays(data.from, today)), { size: 10, fill: THEME.muted, anchor: 'middle' }));
  return svgDocument(width, height, parts.join(''));
}

/** The chart in words, for screen readers and for a reply whose picture could not be drawn. */
export function progressChartAlt(data: ProgressChartData): string {
  const now = data.values.at(-1) ?? 0;
  const days = data.values.length;
  const total = daysBetween(data.from, data.to) + 1;
  const par = data.target === null ? undefined : Math.round((data.target * Math.min(days, total)) / total);
  const target = data.target === null ? '' : ` of ${data.target.toLocaleString('en-US')}`;
  const parText = par === undefined ? '' : `; par for day ${Math.min(days, total)} of ${total} is ${par.toLocaleString('en-US')}`;
  return `${data.title}: ${now.toLocaleString('en-US')}${target} ${data.unit} from ${shortDate(data.from)} to ${shortDate(data.to)}${parText}.`;
}
