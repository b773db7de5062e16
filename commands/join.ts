import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { plain } from '../src/core/format';
import { channelReply, privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'join',
  description: 'Join this writing group',
  options: z.object({}),
  run: async (ctx) => {
    const { member, joined } = await ctx.services.members.join(ctx.group, ctx.actor);
    if (!joined) return privateReply("You're already a member of this group. Log today's writing with /log.");
    const zone = member.timezone ?? ctx.group.timezone;
    return channelReply(
      `👋 Welcome, ${plain(member.displayName)}! Your days follow ${zone}; set your own zone with /timezone. Log with /log 500 or "+500 words".`,
    );
  },
});
