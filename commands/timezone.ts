import { DateTime } from 'luxon';
import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'timezone',
  description: 'Set the time zone your writing days follow',
  options: z.object({
    zone: z.string().min(1).max(64).describe("IANA zone such as America/New_York, or 'group' to follow the group's"),
  }),
  positional: ['zone'],
  run: async (ctx, { zone }) => {
    const member = await ctx.services.members.setTimezone(ctx.group, ctx.actor, zone);
    const effective = member.timezone ?? ctx.group.timezone;
    const localTime = DateTime.fromMillis(ctx.clock.now(), { zone: effective }).toFormat('HH:mm, cccc d LLLL');
    const which = member.timezone ? effective : `the group's zone, ${effective}`;
    return privateReply(`Your writing days now follow ${which}. It's ${localTime} there. Days you already logged keep their dates.`);
  },
});
