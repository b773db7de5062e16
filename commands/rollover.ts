import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';
import { MAX_ROLLOVER_HOUR } from '../src/domain/member';

export default defineCommand({
  name: 'rollover',
  description: 'Let late-night writing count for the day before (night owls)',
  options: z.object({
    hour: z.number().int().min(0).max(MAX_ROLLOVER_HOUR).describe('Hour your writing day ends (0 = midnight)'),
  }),
  positional: ['hour'],
  run: async (ctx, { hour }) => {
    await ctx.services.members.setRollover(ctx.group, ctx.actor, hour);
    const text =
      hour === 0
        ? 'Your writing day now ends at midnight.'
        : `Your writing day now ends at ${String(hour).padStart(2, '0')}:00: writing logged before then counts for the day before.`;
    return privateReply(text);
  },
});
