import { textWidth } from './fonts';
import { fit, svgDocument, text, THEME } from './svg';

export interface CardColumn {
  heading: string;
  /** Already ranked: rank (none for a row shown apart, such as a newcomer), name, and the figure to show. */
  rows: { rank: number | null; name: string; value: string }[];
}

export interface LeaderboardCardData {
  title: string;
  columns: CardColumn[];
}

const ROWS = 5;

export const CARD_LAYOUT = { columnWidth: 190, firstRow: 84, rowHeight: 24, rankWidth: 18, valueGap: 8, bottomPadding: 16 };

/** The card is as tall as its longest column, so no empty band is left below the rows. */
export function cardHeight(data: LeaderboardCardData): number {
  const rows = Math.max(1, ...data.columns.map((c) => Math.min(ROWS, c.rows.length)));
  return CARD_LAYOUT.firstRow + (rows - 1) * CARD_LAYOUT.rowHeight + CARD_LAYOUT.bottomPadding + 4;
}

export function leaderboardCardSvg(data: LeaderboardCardData): string {
  const { columnWidth, firstRow, rowHeight, rankWidth, valueGap } = CARD_LAYOUT;
  const width = 32 + data.columns.length * columnWidth;
  const height = cardHeight(data);
  const parts: string[] = [text(16, 30, fit(data.title, width - 32, 16, 600), { size: 16, weight: 600 })];
  data.columns.forEach((column, c) => {
    const x = 16 + c * columnWidth;
    parts.push(text(x, 60, fit(column.heading, columnWidth - 24, 12, 600), { size: 12, weight: 600, fill: THEME.muted }));
    if (column.rows.length === 0) parts.push(text(x, firstRow, 'Nobody yet', { size: 12, fill: THEME.muted }));
    column.rows.slice(0, ROWS).forEach((row, r) => {
      const y = firstRow + r * rowHeight;
      const valueRight = x + columnWidth - 24;
      if (row.rank !== null) parts.push(text(x, y, String(row.rank), { size: 12, weight: 600, fill: THEME.series[0] }));
      // The name takes the room the figure leaves, and is cut only when it is wider than that.
      const room = valueRight - textWidth(row.value, 12, 600) - valueGap - (x + rankWidth);
      parts.push(text(x + rankWidth, y, fit(row.name, room), { size: 12 }));
      parts.push(text(valueRight, y, row.value, { size: 12, weight: 600, anchor: 'end' }));
    });
  });
  return svgDocument(width, height, parts.join(''));
}

/** The card in words, for screen readers and for a post whose picture could not be drawn. */
export function leaderboardCardAlt(data: LeaderboardCardData): string {
  return `${data.title}. ${data.columns
    .map((c) => `${c.heading}: ${c.rows.length ? c.rows.slice(0, ROWS).map((r) => `${r.rank === null ? '' : `${r.rank}. `}${r.name} ${r.value}`).join(', ') : 'nobody yet'}`)
    .join('. ')}.`;
}
