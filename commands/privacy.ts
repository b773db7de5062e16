import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'privacy',
  description: 'Show or hide yourself on leaderboards, digests and others’ /stats, or on the group’s web page only',
  options: z.object({
    setting: z.enum(['leaderboard', 'dashboard']).describe('What to change: leaderboard (everywhere) or dashboard (the web page only)'),
    value: z.enum(['on', 'off']).describe('on (shown) or off (hidden)'),
  }),
  positional: ['setting', 'value'],
  run: async (ctx, { setting, value }) => {
    if (setting === 'dashboard') {
      await ctx.services.members.setHiddenFromPage(ctx.group, ctx.actor, value === 'off');
      return privateReply(
        value === 'off'
          ? "You're hidden from the group's web page: its boards, calendar and lists leave you out. Chat leaderboards and digests still show you."
          : "You're back on the group's web page.",
      );
    }
    await ctx.services.members.setHidden(ctx.group, ctx.actor, value === 'off');
    return privateReply(
      value === 'off'
        ? "You're hidden: leaderboards, digests, the group's web page and other members' /stats leave you out. Your streak still counts for you."
        : "You're back on the leaderboards and in the digests.",
    );
  },
});
