import { type SvgToPng, svgToPng } from './png';
import { fit, svgDocument, text, THEME } from './svg';

export interface ChartSeries {
  name: string;
  /** One value per week, oldest first; null before the member's first count. */
  values: (number | null)[];
}

export interface FollowerChartData {
  title: string;
  /** A short label per week, oldest first ('9 Mar'). */
  weeks: string[];
  members: ChartSeries[];
  /** The group's total per week. */
  total: number[];
}

export const CHART_LAYOUT = { width: 600, height: 360, left: 56, right: 150, totalTop: 56, totalHeight: 64, top: 160, bottom: 316 };

function scale(values: number[]): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 1 };
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const pad = (max - min) * 0.08;
  return { min: Math.max(0, min - pad), max: max + pad };
}

/** Where a week and a value land: tests use this to look at the pixels of a line. */
export function chartGeometry(data: FollowerChartData) {
  const { width, left, right, totalTop, totalHeight, top, bottom } = CHART_LAYOUT;
  const plotWidth = width - left - right;
  const x = (week: number) => left + (data.weeks.length <= 1 ? plotWidth / 2 : (week * plotWidth) / (data.weeks.length - 1));
  const memberScale = scale(data.members.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const totalScale = scale(data.total);
  const y = (value: number, s: { min: number; max: number }, y0: number, y1: number) => y1 - ((value - s.min) / (s.max - s.min)) * (y1 - y0);
  return {
    x,
    memberY: (value: number) => y(value, memberScale, top, bottom),
    totalY: (value: number) => y(value, totalScale, totalTop, totalTop + totalHeight),
  };
}

const compact = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n)));

function polyline(points: [number, number][], colour: string, width: number): string {
  return `<polyline points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-linejoin="round" stroke-linecap="round"/>`;
}

export function followerChartSvg(data: FollowerChartData): string {
  const { width, height, left, right, totalTop, totalHeight, top, bottom } = CHART_LAYOUT;
  const g = chartGeometry(data);
  const parts: string[] = [text(16, 28, fit(data.title, 60), { size: 16, weight: 600 })];

  parts.push(text(left, totalTop - 8, 'Group total', { size: 11, weight: 600, fill: THEME.muted }));
  parts.push(`<line x1="${left}" y1="${totalTop + totalHeight}" x2="${width - right}" y2="${totalTop + totalHeight}" stroke="${THEME.grid}"/>`);
  if (data.total.length) {
    parts.push(polyline(data.total.map((v, i) => [g.x(i), g.totalY(v)]), THEME.total, 2.5));
    const last = data.total.length - 1;
    parts.push(text(g.x(last) + 8, g.totalY(data.total[last]!) + 4, compact(data.total[last]!), { size: 12, weight: 600 }));
  }

  parts.push(text(left, top - 16, 'Top members', { size: 11, weight: 600, fill: THEME.muted }));
  for (const fraction of [0, 0.5, 1]) {
    const y = top + fraction * (bottom - top);
    parts.push(`<line x1="${left}" y1="${y}" x2="${width - right}" y2="${y}" stroke="${THEME.grid}"/>`);
  }
  const labels: { y: number; label: string; colour: string }[] = [];
  data.members.forEach((series, index) => {
    const colour = THEME.series[index % THEME.series.length]!;
    const points = series.values.flatMap((v, i) => (v === null ? [] : [[g.x(i), g.memberY(v)] as [number, number]]));
    if (points.length === 0) return;
    parts.push(polyline(points, colour, 2));
    const lastValue = [...series.values].reverse().find((v) => v !== null)!;
    labels.push({ y: points.at(-1)![1] + 4, label: `${fit(series.name, 12)} ${compact(lastValue)}`, colour });
  });
  // Labels at the line ends, nudged apart so none overlaps the next.
  labels.sort((a, b) => a.y - b.y);
  for (let i = 1; i < labels.length; i++) labels[i]!.y = Math.max(labels[i]!.y, labels[i - 1]!.y + 14);
  for (const l of labels) parts.push(text(width - right + 8, l.y, l.label, { size: 11, weight: 600, fill: l.colour }));

  // Every other week, counted back from the latest, so the last label always shows and none collide.
  data.weeks.forEach((week, i) => {
    if ((data.weeks.length - 1 - i) % 2 === 0) parts.push(text(g.x(i), height - 24, week, { size: 10, fill: THEME.muted, anchor: 'middle' }));
  });
  return svgDocument(width, height, parts.join(''));
}

export function renderFollowerChart(data: FollowerChartData, toPng: SvgToPng = svgToPng): { png: Uint8Array; alt: string } {
  const lastTotal = data.total.at(-1) ?? 0;
  const firstTotal = data.total[0] ?? 0;
  const leaders = data.members
    .map((s) => `${s.name} ${[...s.values].reverse().find((v) => v !== null) ?? 0}`)
    .join(', ');
  const alt = `Follower growth over ${data.weeks.length} weeks: the group went from ${firstTotal} to ${lastTotal} followers. Top members now: ${leaders || 'none yet'}.`;
  return { png: toPng(followerChartSvg(data)), alt };
}
