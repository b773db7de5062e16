import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { formatDate, plural } from '../src/core/format';
import { privateReply } from '../src/core/reply';
import { streakPhrase } from './log';

export default defineCommand({
  name: 'undo',
  description: 'Remove your last log entry',
  options: z.object({}),
  run: async (ctx) => {
    const outcome = await ctx.services.logs.undo(ctx.group, ctx.actor, ctx.idempotencyKey);
    if (outcome.duplicate) return privateReply('Already undone.');
    const { removed, streak } = outcome;
    const what = removed.words ? plural(removed.words, 'word') : 'an entry';
    return privateReply(`Removed your log of ${what} on ${formatDate(removed.date)}. ${streakPhrase(streak)}.`);
  },
});
