import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { formatDate } from '../src/core/format';
import { privateReply } from '../src/core/reply';
import { MAX_VACATION_DAYS } from '../src/domain/streak';

export default defineCommand({
  name: 'vacation',
  description: `Pause your streak for up to ${MAX_VACATION_DAYS} days, or end the pause`,
  options: z.object({
    action: z.enum(['start', 'end']).describe('start or end'),
  }),
  positional: ['action'],
  run: async (ctx, { action }) => {
    const { vacations } = ctx.services;
    const outcome = action === 'start' ? await vacations.start(ctx.group, ctx.actor) : await vacations.end(ctx.group, ctx.actor);
    switch (outcome.action) {
      case 'started':
        return privateReply(
          `🏖️ Vacation started. Your streak is paused: days off neither count nor break it. It ends by itself after ${formatDate(outcome.endsBy)}, or with /vacation end.`,
        );
      case 'ended':
        return privateReply(`Welcome back! Your vacation ran ${formatDate(outcome.start)} to ${formatDate(outcome.end)}; today counts again.`);
      case 'cancelled':
        return privateReply('Vacation cancelled: it had not started counting yet.');
    }
  },
});
