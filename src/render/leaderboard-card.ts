import { type SvgToPng, svgToPng } from './png';
import { fit, svgDocument, text, THEME } from './svg';

export interface CardColumn {
  heading: string;
  /** Already ranked: rank, name, and the figure to show. */
  rows: { rank: number; name: string; value: string }[];
}

export interface LeaderboardCardData {
  title: string;
  columns: CardColumn[];
}

const ROWS = 5;

export function leaderboardCardSvg(data: LeaderboardCardData): string {
  const columnWidth = 190;
  const width = 32 + data.columns.length * columnWidth;
  const height = 76 + ROWS * 24 + 16;
  const parts: string[] = [text(16, 30, fit(data.title, 60), { size: 16, weight: 600 })];
  data.columns.forEach((column, c) => {
    const x = 16 + c * columnWidth;
    parts.push(text(x, 60, column.heading, { size: 12, weight: 600, fill: THEME.muted }));
    if (column.rows.length === 0) parts.push(text(x, 84, 'Nobody yet', { size: 12, fill: THEME.muted }));
    column.rows.slice(0, ROWS).forEach((row, r) => {
      const y = 84 + r * 24;
      parts.push(text(x, y, String(row.rank), { size: 12, weight: 600, fill: THEME.series[0] }));
      parts.push(text(x + 18, y, fit(row.name, 14), { size: 12 }));
      parts.push(text(x + columnWidth - 24, y, row.value, { size: 12, weight: 600, anchor: 'end' }));
    });
  });
  return svgDocument(width, height, parts.join(''));
}

export function renderLeaderboardCard(data: LeaderboardCardData, toPng: SvgToPng = svgToPng): { png: Uint8Array; alt: string } {
  const alt = `${data.title}. ${data.columns
    .map((c) => `${c.heading}: ${c.rows.length ? c.rows.slice(0, ROWS).map((r) => `${r.rank}. ${r.name} ${r.value}`).join(', ') : 'nobody yet'}`)
    .join('. ')}.`;
  return { png: toPng(leaderboardCardSvg(data)), alt };
}
