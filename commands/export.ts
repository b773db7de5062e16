import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { plural } from '../src/core/format';
import { privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'export',
  description: 'Get a copy of all your data (JSON, and your logs as CSV)',
  scope: 'anywhere',
  options: z.object({}),
  run: async (ctx) => {
    const data = await ctx.services.dataRights.export(ctx.actor);
    return privateReply(`Here is everything I keep about you in this workspace: ${plural(data.logCount, 'log')}, streaks, vacations, milestones, articles, reads, feeds and follower counts.`, {
      files: [
        { fileName: 'my-writing-data.json', mimeType: 'application/json', content: data.json },
        { fileName: 'my-writing-logs.csv', mimeType: 'text/csv', content: data.logsCsv },
      ],
    });
  },
});
