import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { plural } from '../src/core/format';
import { privateReply } from '../src/core/reply';

export const FORGET_CONFIRM_ACTION = 'forget-confirm';

export default defineCommand({
  name: 'forget',
  description: 'Delete all your data in this workspace (asks first)',
  scope: 'anywhere',
  options: z.object({}),
  run: async (ctx) => {
    const { token, groups, logs } = await ctx.services.dataRights.prepareForget(ctx.actor);
    return privateReply(
      `This deletes everything I keep about you in this workspace: ${plural(logs, 'log')} in ${plural(groups, 'group')}, your streaks, vacations, milestones, articles, reads, feeds and follower counts. It cannot be undone. The button works for 10 minutes.`,
      { title: 'Delete your data?', buttons: [{ action: FORGET_CONFIRM_ACTION, payload: token, label: 'Delete my data' }] },
    );
  },
  buttons: [
    {
      action: FORGET_CONFIRM_ACTION,
      scope: 'anywhere',
      run: async (ctx, token) => {
        await ctx.services.dataRights.forget(ctx.actor, token);
        return privateReply('Done: everything I kept about you in this workspace is deleted.');
      },
    },
  ],
});
