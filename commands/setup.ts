import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { channelMention } from '../src/core/format';
import { channelOption } from '../src/router/options';
import { channelReply } from '../src/core/reply';

export default defineCommand({
  name: 'setup',
  description: 'Make this channel a writing group, or change its time zone and announcement channel',
  scope: 'anywhere',
  adminOnly: true,
  options: z.object({
    timezone: z.string().min(1).max(64).describe("The group's time zone (IANA name, e.g. Europe/London)"),
    channel: channelOption('Where announcements and digests go (default: this channel)').optional(),
  }),
  positional: ['timezone', 'channel'],
  run: async (ctx, args) => {
    const { group, created } = await ctx.services.groups.setup(ctx.conversation, ctx.actor, args);
    const where = channelMention(group.announceChannelId);
    if (!created)
      return channelReply(`Group settings updated: time zone ${group.timezone}, announcements in ${where}.`, { title: 'Group updated' });
    return channelReply(
      [
        `✍️ This channel is now a writing group. Days follow ${group.timezone} unless a member sets their own with /timezone; announcements go to ${where}.`,
        'Log your writing with /log 500 (or just post "+500 words"), and check your streak with /streak.',
        // The console is one person's terminal, so its page link can be shown at once; elsewhere /dashboard gives it privately.
        ctx.conversation.platform === 'console' ? `The group's web page: ${await ctx.services.pages.link(group)}` : undefined,
      ]
        .filter(Boolean)
        .join('\n'),
      { title: 'Writing group ready' },
    );
  },
});
