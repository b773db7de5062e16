import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { plain, plural } from '../src/core/format';
import { privateReply } from '../src/core/reply';
import { UserError } from '../src/core/user-error';

export default defineCommand({
  name: 'feed',
  description: 'Add, list or remove your RSS/Atom feed: new articles are announced automatically',
  options: z.object({
    action: z.enum(['add', 'list', 'remove']).describe('add, list or remove'),
    url: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('The feed address (for add and remove)'),
  }),
  positional: ['action', 'url'],
  run: async (ctx, { action, url }) => {
    const { feeds } = ctx.services;
    if (action === 'list') {
      const list = await feeds.list(ctx.group, ctx.actor);
      if (list.length === 0) return privateReply('You have no feeds. Add one with /feed add <url>, e.g. https://medium.com/feed/@you');
      const lines = list.map((f) => `• ${plain(f.title)}: ${f.url}${f.failures ? ` (failing: ${plain(f.lastError ?? 'unknown')})` : ''}`);
      return privateReply([`Your feeds (${list.length}):`, ...lines].join('\n'));
    }
    if (!url) throw new UserError('missing_argument', `/feed ${action} needs the feed's address, e.g. /feed ${action} https://medium.com/feed/@you`);
    if (action === 'add') {
      ctx.services.limits.take('fetch', ctx.group, ctx.actor);
      const added = await feeds.add(ctx.group, ctx.actor, url);
      return privateReply(
        `📡 Added "${plain(added.title)}" (${plural(added.items, 'article')} in it now, which I won't announce). New articles will be announced here within a few minutes of appearing.`,
      );
    }
    const removed = await feeds.remove(ctx.group, ctx.actor, url);
    return privateReply(`Removed the feed "${plain(removed.title)}".`);
  },
});
