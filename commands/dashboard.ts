import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';
import { UserError } from '../src/core/user-error';

export default defineCommand({
  name: 'dashboard',
  description: "Get the link to the group's web page (privately); admins can replace it",
  options: z.object({
    action: z.enum(['link', 'rotate']).optional().describe('link (default) or rotate: a new link, the old one stops working (admins)'),
  }),
  positional: ['action'],
  run: async (ctx, { action = 'link' }) => {
    const { pages } = ctx.services;
    if (action === 'rotate') {
      if (!ctx.isAdmin)
        throw new UserError('refused', "Only group admins can replace the page link: server managers on Discord, workspace admins on Slack, and anyone on the group's admin list.");
      const url = await pages.rotate(ctx.group);
      return privateReply(`New link to the group's page: ${url}\nThe old link no longer works. Share this one only with the group.`);
    }
    if (ctx.group.dashboard === 'off') return privateReply("The group's web page is off. An admin can turn it on with /config dashboard private.");
    const url = await pages.link(ctx.group);
    const who = ctx.group.dashboard === 'public' ? 'Anyone with the link can open it.' : 'Anyone holding the link can open it: share it only with the group.';
    return privateReply(`The group's page: ${url}\n${who}`);
  },
});
