import type { ChatMessage, GroupContext } from '../src/router/command';
import { privateReply, type Reply } from '../src/core/reply';
import { UserError } from '../src/core/user-error';
import { wordsReply } from './sprint';

/**
 * The chat side of /sprint words: `+250` in the sprint's channel from someone in it. Handled (so not
 * read as a chat log) whenever it is such a count, even one that is refused; a mistake is answered privately.
 */
export async function sprintCountFromChat(ctx: GroupContext, message: ChatMessage): Promise<{ handled: false } | { handled: true; reply: Reply | undefined }> {
  try {
    const outcome = await ctx.services.sprints.countFromMessage(ctx.group, ctx.actor, ctx.conversation, message.text, ctx.idempotencyKey);
    if (!outcome) return { handled: false };
    const reply = wordsReply(outcome);
    return { handled: true, reply: reply && outcome.kind === 'counted' ? { ...reply, reaction: '✅' } : reply };
  } catch (error) {
    if (error instanceof UserError) return { handled: true, reply: privateReply(error.message) };
    throw error;
  }
}
