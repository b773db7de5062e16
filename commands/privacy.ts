import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'privacy',
  description: 'Show or hide yourself on leaderboards, digests and others’ /stats',
  options: z.object({
    setting: z.enum(['leaderboard']).describe('What to change: leaderboard'),
    value: z.enum(['on', 'off']).describe('on (shown) or off (hidden)'),
  }),
  positional: ['setting', 'value'],
  run: async (ctx, { value }) => {
    await ctx.services.members.setHidden(ctx.group, ctx.actor, value === 'off');
    return privateReply(
      value === 'off'
        ? "You're hidden: leaderboards, digests and other members' /stats leave you out. Your streak still counts for you."
        : "You're back on the leaderboards and in the digests.",
    );
  },
});
