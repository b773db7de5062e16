import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { formatDate, formatNumber, plain, plural, shortList } from '../src/core/format';
import { channelReply } from '../src/core/reply';
import type { PeriodName } from '../src/domain/periods';
import { type Board, BOARDS, type BoardRow } from '../src/services/leaderboard-service';

const SHOWN = 10;

function value(board: Board, row: BoardRow): string {
  switch (board.name) {
    case 'followers': {
      const percent = row.detail?.percent;
      const share = percent === null || percent === undefined ? '' : ` (${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%)`;
      return row.detail?.total !== undefined && row.score !== row.detail.total
        ? `${row.score >= 0 ? '+' : ''}${formatNumber(row.score)}${share}, ${formatNumber(row.detail.total)} in all`
        : formatNumber(row.score);
    }
    case 'streaks':
      return `${plural(row.score, 'day')} (longest ${row.detail?.longest ?? row.score})`;
    case 'words':
      return `${formatNumber(row.score)} words`;
    case 'reads':
      return plural(row.score, 'first-hour read');
    case 'sprints':
      return `${plural(row.score, 'word')} in ${plural(row.detail?.sprints ?? 0, 'sprint')}`;
    case 'responses':
      return plural(row.score, 'response');
  }
}

const PERIOD_NAMES: Record<PeriodName, string> = { week: 'this week', month: 'this month', year: 'this year', all: 'all time' };

export default defineCommand({
  name: 'leaderboard',
  description: 'Followers, streaks, words, first-hour reads, sprint words or responses given, ranked',
  options: z.object({
    board: z.enum(BOARDS).optional().describe('followers, streaks, words, reads, sprints or responses (default: streaks)'),
    period: z.enum(['week', 'month', 'year', 'all']).optional().describe('week, month, year or all (default: week)'),
  }),
  positional: ['board', 'period'],
  run: async (ctx, { board: name = 'streaks', period = 'week' }) => {
    const board = await ctx.services.leaderboards.board(ctx.group, name, period, SHOWN);
    const span = period === 'all' ? PERIOD_NAMES.all : `${PERIOD_NAMES[period]}, ${formatDate(board.span.from)} – ${formatDate(board.span.to)}`;
    const title = `🏆 ${name[0]!.toUpperCase()}${name.slice(1)}: ${span}`;
    const lines = board.rows.map((row) => `${row.rank}. ${plain(row.member.displayName)}: ${value(board, row)}`);
    if (board.newcomerCount)
      lines.push(`New this ${period === 'all' ? 'week' : period}: ${shortList(board.newcomers, (n) => `${plain(n.member.displayName)} (${formatNumber(n.total)})`, board.newcomerCount)}`);
    if (lines.length === 0) lines.push('Nobody on this board yet.');
    return channelReply([title, ...lines].join('\n'), { title });
  },
});
