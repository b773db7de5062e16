import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'privacy',
  description: 'Show or hide yourself on leaderboards, digests and others’ /stats, or on the group’s web page only; take responses to your articles or not',
  options: z.object({
    setting: z
      .enum(['leaderboard', 'dashboard', 'responses'])
      .describe('What to change: leaderboard (everywhere), dashboard (the web page only) or responses (to your articles)'),
    value: z.enum(['on', 'off']).describe('on (shown, or responses taken) or off (hidden, or none taken)'),
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
    if (setting === 'responses') {
      await ctx.services.responses.setAccepting(ctx.group, ctx.actor, value === 'on');
      return privateReply(
        value === 'off'
          ? 'Responses to your articles are off: readers no longer get the form. Responses already sent stay yours to read with /responses.'
          : 'Responses to your articles are on: readers can tell you what stayed with them.',
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
