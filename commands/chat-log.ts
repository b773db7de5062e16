import type { MessageHandler } from '../src/router/command';
import { privateReply } from '../src/core/reply';
import { logReply } from './log';

/** The chat side of /log: a message in a group channel that matches the group's pattern is logged. */
export const chatLog: MessageHandler = {
  async onMessage(ctx, message) {
    const result = await ctx.services.logs.logFromMessage(ctx.group, ctx.actor, { ...message, eventKey: ctx.idempotencyKey });
    if (result.kind === 'not-a-log') return;
    if (result.kind === 'unreadable') return privateReply(`I couldn't log that message: ${result.reason}`);
    if (result.outcome.duplicate) return;
    return { ...logReply(result.outcome), reaction: '✅', visibility: 'private' };
  },

  async onEdit(ctx, message) {
    const result = await ctx.services.logs.editFromMessage(ctx.group, ctx.actor, { ...message, eventKey: ctx.idempotencyKey });
    if (result.kind === 'unreadable') return privateReply(`I couldn't log your edited message: ${result.reason}`);
    if (result.kind === 'logged' && !result.outcome.duplicate) return { ...logReply(result.outcome), reaction: '✅', visibility: 'private' };
  },

  async onDelete(ctx, messageId) {
    await ctx.services.logs.deleteFromMessage(ctx.group, messageId);
  },
};
