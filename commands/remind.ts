import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'remind',
  description: 'A private nudge on days your streak is at risk',
  options: z.object({
    action: z.enum(['on', 'off']).describe('on or off'),
    time: z.string().max(5).optional().describe('When, HH:MM in your zone (default: 3 hours before your day ends)'),
  }),
  positional: ['action', 'time'],
  run: async (ctx, { action, time }) => {
    const remindAt = action === 'off' ? null : (time ?? 'auto');
    await ctx.services.members.setReminder(ctx.group, ctx.actor, remindAt);
    if (remindAt === null) return privateReply('Streak nudges are off.');
    const when = remindAt === 'auto' ? '3 hours before your writing day ends' : `at ${remindAt} your time`;
    return privateReply(`🔔 On days your streak (2+ days) is still waiting for words, I'll send you a private nudge ${when}. At most one a day.`);
  },
});
