import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { clip, plain, plural } from '../src/core/format';
import { privateReply } from '../src/core/reply';

/** Responses shown per article before the rest are counted. */
const SHOWN_PER_ARTICLE = 10;

export default defineCommand({
  name: 'responses',
  description: 'The responses readers sent to your recent articles',
  options: z.object({}),
  run: async (ctx) => {
    const { days, responses } = await ctx.services.responses.receivedBy(ctx.group, ctx.actor);
    if (responses.length === 0) return privateReply(`No responses to your articles of the last ${days} days yet.`);
    const lines = [`💬 Responses to your articles, last ${days} days`];
    const byArticle = new Map<number, typeof responses>();
    for (const response of responses) byArticle.set(response.publicationId, [...(byArticle.get(response.publicationId) ?? []), response]);
    for (const group of byArticle.values()) {
      lines.push('', `${plain(group[0]!.title)} (${plural(group.length, 'response')}): ${group[0]!.url}`);
      for (const r of group.slice(0, SHOWN_PER_ARTICLE))
        lines.push(`• ${plain(r.readerName)}${r.delivery === 'thread' ? ' (in the thread)' : ''}: ${plain(clip(r.text.replace(/\n+/g, ' '), 300))}`);
      if (group.length > SHOWN_PER_ARTICLE) lines.push(`…and ${group.length - SHOWN_PER_ARTICLE} more`);
    }
    return privateReply(lines.join('\n'));
  },
});
