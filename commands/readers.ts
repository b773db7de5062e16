import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'readers',
  description: "Join or leave the first-hour readers, who are pinged for each new article",
  options: z.object({
    action: z.enum(['join', 'leave']).describe('join or leave'),
  }),
  positional: ['action'],
  run: async (ctx, { action }) => {
    await ctx.services.publications.setReader(ctx.group, ctx.actor, action === 'join');
    return privateReply(
      action === 'join'
        ? "📚 You're a first-hour reader: new articles from the group will ping you. /readers leave stops it."
        : 'You left the first-hour readers: announcements will no longer ping you.',
    );
  },
});
