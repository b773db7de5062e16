import { textWidth } from './fonts';
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
  /** The group's total per week; a 0 before the first count is no count yet. */
  total: number[];
}

export const CHART_LAYOUT = { width: 600, height: 384, left: 56, right: 150, totalTop: 56, totalHeight: 64, top: 164, bottom: 348 };

/** Tick labels stay this far apart (baseline to baseline), so none touches the next. */
const TICK_GAP = 16;
const LABEL_GAP = 13;
const SERIES_LABEL = { size: 11, weight: 600 } as const;
const TICK_LABEL = { size: 10, weight: 400 } as const;

interface Scale {
  kind: 'linear' | 'log';
  /** 0 at the bottom of the panel, 1 at the top. */
  at: (value: number) => number;
  ticks: number[];
}

const NICE = [1, 2, 5];
/** 1, 2, 5, 10, 20, 50...: the round numbers between lo and hi. */
function roundNumbers(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let power = Math.floor(Math.log10(Math.max(lo, 1))); 10 ** power <= hi * 10; power++)
    for (const n of NICE) {
      const value = n * 10 ** power;
      if (value >= lo && value <= hi) out.push(value);
    }
  return out;
}

function linearScale(values: number[]): Scale {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min = Math.max(0, min - 1);
    max += 1;
  }
  const rough = (max - min) / 3;
  const step = [...roundNumbers(1, rough * 10)].find((s) => s >= rough) ?? 1;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(v);
  return { kind: 'linear', at: (v) => (v - lo) / (hi - lo), ticks };
}

/**
 * Logarithmic, for when the largest count is over 10 times the smallest: one member with 100k
 * followers then leaves the others' lines apart instead of flat along the bottom.
 */
function logScale(values: number[]): Scale {
  const min = Math.max(1, Math.min(...values));
  const max = Math.max(...values);
  const lo = [...roundNumbers(1, min)].pop() ?? 1;
  const hi = roundNumbers(max, max * 10)[0] ?? max;
  const at = (v: number) => (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  return { kind: 'log', at, ticks: roundNumbers(lo, hi) };
}

function scaleFor(values: number[], logAllowed: boolean): Scale {
  if (values.length === 0) return linearScale([0, 1]);
  const positive = values.filter((v) => v > 0);
  return logAllowed && positive.length && Math.max(...values) > 10 * Math.min(...positive) ? logScale(values) : linearScale(values);
}

/** Leading zeros of the group's total are weeks before anyone reported: no line is drawn there. */
function totalSeries(total: number[]): (number | null)[] {
  const first = total.findIndex((v) => v !== 0);
  return total.map((v, i) => (first === -1 || i < first ? null : v));
}

/** Where a week and a value land: tests use this to look at the pixels of a line. */
export function chartGeometry(data: FollowerChartData) {
  const { width, left, right, totalTop, totalHeight, top, bottom } = CHART_LAYOUT;
  const plotWidth = width - left - right;
  const x = (week: number) => left + (data.weeks.length <= 1 ? plotWidth / 2 : (week * plotWidth) / (data.weeks.length - 1));
  const memberScale = scaleFor(
    data.members.flatMap((s) => s.values.filter((v): v is number => v !== null)),
    true,
  );
  const totalScale = scaleFor(
    totalSeries(data.total).filter((v): v is number => v !== null),
    false,
  );
  return {
    x,
    memberScale,
    totalScale,
    memberY: (value: number) => bottom - memberScale.at(value) * (bottom - top),
    totalY: (value: number) => totalTop + totalHeight - totalScale.at(value) * totalHeight,
  };
}

/** A count at a line's end: every digit under 10,000, where a rounded figure would hide the week's change. */
const exact = (n: number) => (n < 10_000 ? Math.round(n).toLocaleString('en-US') : compact(n));
const compact = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k` : String(Math.round(n)));

export interface ChartLabel {
  text: string;
  /** The anchor point and baseline, as drawn. */
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  size: number;
  weight: 400 | 600;
  fill: string;
  /** The box the label covers. */
  box: { left: number; top: number; right: number; bottom: number };
}

function label(content: string, x: number, y: number, style: { size: number; weight: 400 | 600; fill?: string; anchor?: ChartLabel['anchor'] }): ChartLabel {
  const anchor = style.anchor ?? 'start';
  const width = textWidth(content, style.size, style.weight);
  const leftEdge = anchor === 'start' ? x : anchor === 'end' ? x - width : x - width / 2;
  return {
    text: content,
    x,
    y,
    anchor,
    size: style.size,
    weight: style.weight,
    fill: style.fill ?? THEME.text,
    // Cap height above the baseline, descenders below.
    box: { left: leftEdge, top: y - style.size * 0.8, right: leftEdge + width, bottom: y + style.size * 0.25 },
  };
}

/** Ticks of a panel that keep TICK_GAP between them, the round powers of ten first. */
function tickLabels(scale: Scale, y: (v: number) => number): ChartLabel[] {
  const priority = (v: number) => (Number.isInteger(Math.log10(v)) ? 0 : 1);
  const chosen: number[] = [];
  for (const tick of [...scale.ticks].sort((a, b) => priority(a) - priority(b))) {
    if (chosen.every((c) => Math.abs(y(c) - y(tick)) >= TICK_GAP)) chosen.push(tick);
  }
  chosen.sort((a, b) => a - b);
  // Short figures ('5k') unless two ticks would read the same; then every digit ('5,005').
  const short = chosen.map(compact);
  const texts = new Set(short).size === short.length ? short : chosen.map((tick) => tick.toLocaleString('en-US'));
  return chosen.map((tick, i) => label(texts[i]!, CHART_LAYOUT.left - 6, y(tick) + 3.5, { ...TICK_LABEL, fill: THEME.muted, anchor: 'end' }));
}

/** Everything written on the chart, placed so that no two labels overlap and none crosses an axis. */
export function chartLabels(data: FollowerChartData): ChartLabel[] {
  const { width, right, left, totalTop, totalHeight, top, bottom } = CHART_LAYOUT;
  const g = chartGeometry(data);
  const labels: ChartLabel[] = [
    label(fit(data.title, width - 32, 16, 600), 16, 28, { size: 16, weight: 600 }),
    label('Group total', left, totalTop - 12, { size: 11, weight: 600, fill: THEME.muted }),
    label(g.memberScale.kind === 'log' ? 'Top members (log scale)' : 'Top members', left, top - 16, { size: 11, weight: 600, fill: THEME.muted }),
    ...tickLabels(g.totalScale, g.totalY),
    ...tickLabels(g.memberScale, g.memberY),
  ];
  const total = totalSeries(data.total);
  const lastTotal = total.at(-1);
  if (lastTotal !== null && lastTotal !== undefined) {
    const y = Math.min(Math.max(g.totalY(lastTotal) + 4, totalTop + 4), totalTop + totalHeight + 4);
    labels.push(label(exact(lastTotal), width - right + 8, y, { size: 12, weight: 600 }));
  }

  // Line-end labels, stacked apart inside the members' panel.
  const ends = data.members.flatMap((series, index) => {
    const lastIndex = series.values.findLastIndex((v) => v !== null);
    if (lastIndex === -1) return [];
    const value = series.values[lastIndex]!;
    const figure = ` ${exact(value)}`;
    const nameWidth = right - 16 - textWidth(figure, SERIES_LABEL.size, SERIES_LABEL.weight);
    return [{ y: g.memberY(value) + 4, text: `${fit(series.name, nameWidth, SERIES_LABEL.size, SERIES_LABEL.weight)}${figure}`, fill: THEME.series[index % THEME.series.length]! }];
  });
  ends.sort((a, b) => a.y - b.y);
  const lowest = bottom + 4;
  const highest = top + 4;
  for (let i = 1; i < ends.length; i++) ends[i]!.y = Math.max(ends[i]!.y, ends[i - 1]!.y + LABEL_GAP);
  for (let i = ends.length - 1; i >= 0; i--) ends[i]!.y = Math.min(ends[i]!.y, i === ends.length - 1 ? lowest : ends[i + 1]!.y - LABEL_GAP);
  for (let i = 0; i < ends.length; i++) ends[i]!.y = Math.max(ends[i]!.y, i === 0 ? highest : ends[i - 1]!.y + LABEL_GAP);
  for (const end of ends) labels.push(label(end.text, width - right + 8, end.y, { ...SERIES_LABEL, fill: end.fill }));

  // Week labels every `stride` weeks, counted back from the latest so it always shows: the smallest stride at which none touch.
  for (let stride = 1; stride <= Math.max(1, data.weeks.length); stride++) {
    const weeks = data.weeks.flatMap((week, i) => ((data.weeks.length - 1 - i) % stride === 0 ? [label(week, g.x(i), bottom + 18, { size: 10, weight: 400, fill: THEME.muted, anchor: 'middle' })] : []));
    if (weeks.every((w, i) => w.box.left >= 8 && (i === 0 || weeks[i - 1]!.box.right + 6 <= w.box.left))) {
      labels.push(...weeks);
      break;
    }
  }
  return labels;
}

/** The axis lines, for tests that check no label crosses them. */
export function chartAxes(): { x1: number; y1: number; x2: number; y2: number }[] {
  const { width, left, right, totalTop, totalHeight, top, bottom } = CHART_LAYOUT;
  return [
    { x1: left, y1: totalTop, x2: left, y2: totalTop + totalHeight },
    { x1: left, y1: totalTop + totalHeight, x2: width - right, y2: totalTop + totalHeight },
    { x1: left, y1: top, x2: left, y2: bottom },
    { x1: left, y1: bottom, x2: width - right, y2: bottom },
  ];
}

function polyline(points: [number, number][], colour: string, width: number): string {
  return `<polyline points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-linejoin="round" stroke-linecap="round"/>`;
}

const line = (l: { x1: number; y1: number; x2: number; y2: number }, colour: string) => `<line x1="${l.x1}" y1="${l.y1}" x2="${l.x2}" y2="${l.y2}" stroke="${colour}"/>`;

export function followerChartSvg(data: FollowerChartData): string {
  const { width, left, right } = CHART_LAYOUT;
  const g = chartGeometry(data);
  const labels = chartLabels(data);
  const parts: string[] = [];
  // Grid lines at the labelled ticks.
  for (const tick of labels.filter((l) => l.anchor === 'end' && l.x === left - 6)) {
    const y = tick.y - 3.5;
    parts.push(line({ x1: left, y1: y, x2: width - right, y2: y }, THEME.grid));
  }
  for (const axis of chartAxes()) parts.push(line(axis, THEME.border));

  const total = totalSeries(data.total);
  const totalPoints = total.flatMap((v, i) => (v === null ? [] : [[g.x(i), g.totalY(v)] as [number, number]]));
  if (totalPoints.length) parts.push(polyline(totalPoints, THEME.total, 2.5));
  data.members.forEach((series, index) => {
    const colour = THEME.series[index % THEME.series.length]!;
    const points = series.values.flatMap((v, i) => (v === null ? [] : [[g.x(i), g.memberY(v)] as [number, number]]));
    if (points.length === 1) parts.push(`<circle cx="${points[0]![0]}" cy="${points[0]![1]}" r="2.5" fill="${colour}"/>`);
    else if (points.length) parts.push(polyline(points, colour, 2));
  });
  for (const l of labels) parts.push(text(l.x, l.y, l.text, { size: l.size, weight: l.weight, fill: l.fill, anchor: l.anchor }));
  return svgDocument(width, CHART_LAYOUT.height, parts.join(''));
}

/** The chart in words, for screen readers and for a post whose picture could not be drawn. */
export function followerChartAlt(data: FollowerChartData): string {
  const lastTotal = data.total.at(-1) ?? 0;
  const firstTotal = data.total.find((v) => v !== 0) ?? 0;
  const leaders = data.members
    .map((s) => `${s.name} ${[...s.values].reverse().find((v) => v !== null) ?? 0}`)
    .join(', ');
  return `Follower growth over ${data.weeks.length} weeks: the group went from ${firstTotal} to ${lastTotal} followers. Top members now: ${leaders || 'none yet'}.`;
}
