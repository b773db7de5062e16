import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { plain } from '../src/core/format';
import { privateReply } from '../src/core/reply';
import { GOAL_KINDS } from '../src/domain/goals';
import { goalLine } from '../src/services/goal-messages';

export default defineCommand({
  name: 'goal',
  description: 'Set goals (words, days a week, articles, followers, a streak) and see your pace',
  options: z.object({
    action: z.enum(['show', 'set', 'clear']).optional().describe('show (default), set or clear'),
    kind: z.string().min(1).max(20).optional().describe(`${GOAL_KINDS.join(', ')}`),
    target: z.number().int().optional().describe('The target: words, days, articles, followers or streak days'),
    period: z.string().min(1).max(10).optional().describe('words: day, week, month or year; days: week; publish: week or month'),
    by: z.string().min(1).max(10).optional().describe('followers: the date to reach it by, YYYY-MM-DD'),
  }),
  positional: ['action', 'kind', 'target', 'period'],
  moreHelp: [
    'set words <n> [day|week|month|year]: words per period (default a day).',
    'set days <n> week: write on n days of each week; meeting it week after week is a week streak.',
    'set publish <n> [week|month]: articles announced per week or month.',
    'set followers <n> by:YYYY-MM-DD: a follower total by a date, with the pace it needs and a projection.',
    'set streak <days>: a streak length (180 is the six-month rule), and the date you reach it.',
    'clear <kind> removes a goal; /goal shows them all with what remains.',
  ],
  run: async (ctx, args) => {
    const { goals } = ctx.services;
    switch (args.action ?? 'show') {
      case 'set': {
        const progress = await goals.set(ctx.group, ctx.actor, { kind: args.kind ?? '', target: args.target, period: args.period, by: args.by });
        return privateReply(`🎯 Goal set. ${goalLine(progress)}`);
      }
      case 'clear': {
        const kind = await goals.clear(ctx.group, ctx.actor, args.kind);
        return privateReply(`Your ${kind} goal is cleared.`);
      }
      default: {
        const { member, progress } = await goals.overview(ctx.group, ctx.actor);
        if (progress.length === 0) return privateReply('No goals yet. Set one with /goal set words 500 day, /goal set days 5 week or /goal set streak 180.');
        const title = `${plain(member!.displayName)}'s goals`;
        return privateReply([title, ...progress.map((p) => `• ${goalLine(p)}`)].join('\n'), { title });
      }
    }
  },
});
