import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { memberOption } from '../src/router/options';
import { streakReply } from './streak';

export default defineCommand({
  name: 'stats',
  description: 'A member’s writing calendar and streak figures (unless they keep them private)',
  options: z.object({
    member: memberOption('Whose stats (default: yours)').optional(),
  }),
  positional: ['member'],
  run: (ctx, { member }) => streakReply(ctx, member),
});
