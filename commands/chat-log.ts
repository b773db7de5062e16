import type { MessageHandler } from '../src/router/command';
import { privateReply } from '../src/core/reply';
import { logReply } from './log';
import { sprintCountFromChat } from './sprint-chat';

/** The chat side of /log: a message in a group channel that matches the group's pattern is logged. */
/**
 * Plain messages in a group's channel: a `+250` from someone in the channel's sprint is their sprint
 * count (and only that); anything else may be a chat log.
 */
export const chatMessages: MessageHandler = {
  async onMessage(ctx, message) {
    const sprintCount = await sprintCountFromChat(ctx, message);
    return sprintCount.handled ? sprintCount.reply : chatLog.onMessage(ctx, message);
  },
  async onEdit(ctx, message) {
    // An edited sprint count is not taken again (the next count is), and never becomes a chat log.
    if (await ctx.services.sprints.isSprintCount(ctx.group, ctx.actor, ctx.conversation, message.text)) return;
    return chatLog.onEdit(ctx, message);
  },
  onDelete: (ctx, messageId) => chatLog.onDelete(ctx, messageId),
};

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
