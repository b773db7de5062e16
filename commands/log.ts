import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { clip, formatDate, formatNumber, plain, plural } from '../src/core/format';
import { dateOption } from '../src/router/options';
import { channelReply, privateReply, type Reply } from '../src/core/reply';
import { type LogEntryInput, type LogTotals, MAX_MINUTES, MAX_NOTE_CHARS, MAX_WORDS } from '../src/domain/log-entry';
import { MAX_PROJECT_NAME } from '../src/domain/projects';
import { MAX_FREEZES, type StreakToday } from '../src/domain/streak';
import type { LogOutcome } from '../src/services/log-service';

export function streakPhrase(streak: StreakToday): string {
  if (streak.current === 0) return 'No streak running yet';
  return `🔥 ${plural(streak.current, 'day')} in a row`;
}

/** "250 words, 45 min, a link and the note “chapter two”": exactly what one log added. */
function addedText(added: LogEntryInput): string {
  const parts: string[] = [];
  if (added.words) parts.push(plural(added.words, 'word'));
  if (added.minutes) parts.push(`${formatNumber(added.minutes)} min`);
  if (added.url) parts.push('a link');
  if (added.note) parts.push(`the note “${plain(clip(added.note, 60))}”`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'an entry');
}

/** The day's totals, when this was not its only log: "(750 words and 90 min in all)". */
function dayTotalText(totals: LogTotals): string {
  if (totals.entries < 2) return '';
  const parts = [totals.words && plural(totals.words, 'word'), totals.minutes && `${formatNumber(totals.minutes)} min`].filter(Boolean);
  return ` (${parts.length ? parts.join(' and ') : plural(totals.entries, 'entry', 'entries')} in all)`;
}

/** The answer to a log, from /log or from a chat message: what it added, to which day, and the streak. */
export function logReply(outcome: LogOutcome): Reply {
  if (outcome.duplicate) return privateReply('Already logged: that one was counted once.');
  const { member, date, calendarDate, added, dayTotals, streak, milestones, joined, freezeEarned, freezeBridged } = outcome;
  // Before the rollover hour the writing day is still yesterday's: name it, so "today" is never wrong.
  const day = date === calendarDate ? 'today' : `for ${formatDate(date)}`;
  const welcome = joined ? `Welcome to the group, ${plain(member.displayName)}! ` : '';
  const freezes = [
    freezeBridged && `🧊 a freeze covered ${formatDate(freezeBridged)}`,
    freezeEarned && `🧊 a week in a row earned a freeze (${streak.freezes} of ${MAX_FREEZES})`,
  ].filter(Boolean);
  const streakText = `${streakPhrase(streak)}${milestones.length ? ' 🎉' : ''}`;
  const text = [`${welcome}✍️ ${plain(member.displayName)} logged: ${addedText(added)} ${day}${dayTotalText(dayTotals)}`, streakText, ...freezes].join(' · ');
  // Goals and projects add a line of their own.
  return channelReply([text, ...(outcome.notes?.lines ?? [])].join('\n'));
}

export default defineCommand({
  name: 'log',
  description: "Log today's writing",
  options: z.object({
    words: z.number().int().min(1).max(MAX_WORDS).optional().describe('Words written'),
    minutes: z.number().int().min(1).max(MAX_MINUTES).optional().describe('Minutes spent writing'),
    url: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('Link to the draft or post'),
    note: z.string().min(1).max(MAX_NOTE_CHARS).optional().describe('What you worked on'),
    date: dateOption("For a day you forgot: 'yesterday' or YYYY-MM-DD").optional(),
    project: z.string().min(1).max(MAX_PROJECT_NAME).optional().describe('The project the words go to (default: your current one)'),
  }),
  positional: ['words', 'minutes', 'url', 'note'],
  run: async (ctx, args) => {
    const outcome = await ctx.services.logs.log(ctx.group, ctx.actor, args, { source: 'command', eventKey: ctx.idempotencyKey });
    return logReply(outcome);
  },
});
