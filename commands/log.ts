import { z } from 'zod';
import { defineCommand } from '../src/core/command';
import { formatDate, formatNumber, plain, plural } from '../src/core/format';
import { channelReply, privateReply, type Reply } from '../src/core/reply';
import { MAX_MINUTES, MAX_NOTE_CHARS, MAX_WORDS } from '../src/domain/log-entry';
import type { StreakToday } from '../src/domain/streak';
import type { LogOutcome } from '../src/services/log-service';

export function streakPhrase(streak: StreakToday): string {
  if (streak.current === 0) return 'No streak running yet';
  return `🔥 ${plural(streak.current, 'day')} in a row`;
}

/** The answer to a log, from /log or from a chat message. */
export function logReply(outcome: LogOutcome): Reply {
  if (outcome.duplicate) return privateReply('Already logged: that one was counted once.');
  const { member, date, today, dayTotals, streak, milestones, joined } = outcome;
  const day = date === today ? 'today' : `on ${formatDate(date)}`;
  const parts = [`${dayTotals.words ? plural(dayTotals.words, 'word') : plural(dayTotals.entries, 'entry', 'entries')} ${day}`];
  if (dayTotals.minutes) parts.push(`${formatNumber(dayTotals.minutes)} min`);
  const welcome = joined ? `Welcome to the group, ${plain(member.displayName)}! ` : '';
  const text = `${welcome}✍️ ${plain(member.displayName)} logged: ${parts.join(', ')} · ${streakPhrase(streak)}`;
  return channelReply(milestones.length ? `${text} 🎉` : text);
}

export default defineCommand({
  name: 'log',
  description: "Log today's writing",
  options: z.object({
    words: z.number().int().min(1).max(MAX_WORDS).optional().describe('Words written'),
    minutes: z.number().int().min(1).max(MAX_MINUTES).optional().describe('Minutes spent writing'),
    url: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('Link to the draft or post'),
    note: z.string().min(1).max(MAX_NOTE_CHARS).optional().describe('What you worked on'),
    date: z.string().min(1).max(10).optional().describe("For a day you forgot: 'yesterday' or YYYY-MM-DD"),
  }),
  positional: ['words', 'minutes', 'url', 'note'],
  run: async (ctx, args) => {
    const outcome = await ctx.services.logs.log(ctx.group, ctx.actor, args, { source: 'command', eventKey: ctx.idempotencyKey });
    return logReply(outcome);
  },
});
