import { z } from 'zod';
import { defineCommand, type GroupContext, requireGroup } from '../src/router/command';
import { formatNumber, plain, plural } from '../src/core/format';
import { channelReply, privateReply, type Reply } from '../src/core/reply';
import { UserError } from '../src/core/user-error';
import { SPRINT_CHAIN, SPRINT_DELAY_MINUTES, SPRINT_GAP_MINUTES, SPRINT_MINUTES, unix, wordsWritten } from '../src/domain/sprint';
import { SPRINT_CONFIRM_ACTION, SPRINT_JOIN_ACTION, SPRINT_LEAVE_ACTION } from '../src/services/sprint-messages';
import type { JoinChoice, WordsOutcome } from '../src/services/sprint-service';

const busy = (endAt: number) =>
  new UserError('conflict', `A sprint is already under way here: it ends <t:${unix(endAt)}:R>. Join it with /sprint join, or start another once it is over.`);

const endsLine = (at: number) => `The sprint ends <t:${unix(at)}:R>.`;

const ACTIONS = ['start', 'join', 'words', 'status', 'leave', 'cancel', 'notify', 'chain'] as const;

/** `join`'s count: a number, `same` (where the last sprint ended) or `none` (minutes only). */
function readJoinChoice(value: string | undefined): JoinChoice {
  const text = value?.trim().toLowerCase() ?? '0';
  if (text === 'same') return 'same';
  if (text === 'none') return 'none';
  const count = Number(text.replace(/[,_]/g, ''));
  if (!/^\d[\d,_]*$/.test(text) || !Number.isSafeInteger(count) || count > 10_000_000)
    throw new UserError('bad_argument', `A starting count is your word count now (a whole number such as 1200), same (where your last sprint ended) or none (minutes only); got "${plain(value ?? '')}".`);
  return { count };
}

/** `start`'s minutes: the first value after the action, or minutes:. */
function startMinutes(value: string | undefined, minutes: number | undefined): number {
  if (value === undefined) return minutes ?? SPRINT_MINUTES.default;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < SPRINT_MINUTES.min || n > SPRINT_MINUTES.max)
    throw new UserError('bad_argument', `A sprint lasts ${SPRINT_MINUTES.min} to ${SPRINT_MINUTES.max} minutes (got "${plain(value)}").`);
  return n;
}

/** What a count's sender is told (also for a `+250` in the channel). */
export function wordsReply(outcome: WordsOutcome): Reply | undefined {
  switch (outcome.kind) {
    case 'duplicate':
      return undefined;
    case 'confirm':
      return privateReply(
        `That is ${formatNumber(outcome.wpm)} words a minute, above this group's ${outcome.maxWpm}. If ${formatNumber(outcome.total)} really is your total now, press Count it; otherwise send the right total (or +<words added>).`,
        { buttons: [{ action: SPRINT_CONFIRM_ACTION, payload: `${outcome.sprint.id}:${outcome.total}`, label: 'Count it' }] },
      );
    case 'counted':
      return privateReply(
        `✅ ${formatNumber(outcome.total)} counted: ${plural(outcome.written, 'word')} this sprint.${outcome.inWindow ? ' Final counts are taken until the results.' : ` ${endsLine(outcome.sprint.endAt)}`}`,
      );
  }
}

async function status(ctx: GroupContext): Promise<Reply> {
  const { sprint, participants } = await ctx.services.sprints.status(ctx.group, ctx.conversation);
  const now = ctx.clock.now();
  const when =
    now < sprint.startAt ? `starts <t:${unix(sprint.startAt)}:R>` : now < sprint.endAt ? `ends <t:${unix(sprint.endAt)}:R>` : `final counts until <t:${unix(sprint.windowClosesAt)}:R>`;
  const lines = participants.map((p) => {
    const words = wordsWritten(p);
    return `• ${plain(p.displayName)}: ${words === null ? 'minutes only' : plural(words, 'word')}`;
  });
  return privateReply([`🏃 ${plural(sprint.minutes, 'minute')} sprint, ${when}. ${plural(participants.length, 'writer')} in:`, ...lines].join('\n'));
}

export default defineCommand({
  name: 'sprint',
  description: 'Writing sprints: start one, join, send your word count, see the results',
  options: z.object({
    action: z.enum(ACTIONS).describe('start, join, words, status, leave, cancel, notify or chain'),
    value: z.string().max(20).optional().describe('start: minutes; join: count, same or none; words: total or +added; notify: on/off; chain: how many'),
    minutes: z.number().int().min(SPRINT_MINUTES.min).max(SPRINT_MINUTES.max).optional().describe(`How long the sprint lasts, ${SPRINT_MINUTES.min}-${SPRINT_MINUTES.max} (default ${SPRINT_MINUTES.default})`),
    in: z.number().int().min(SPRINT_DELAY_MINUTES.min).max(SPRINT_DELAY_MINUTES.max).optional().describe(`Minutes until it starts, 0-1440 (default ${SPRINT_DELAY_MINUTES.default})`),
    at: z.string().max(5).optional().describe("Start on the group's clock instead: HH:MM, or :30 for the next half past"),
    count: z.string().max(20).optional().describe('Your word count when joining: a number, same or none'),
    gap: z.number().int().min(SPRINT_GAP_MINUTES.min).max(SPRINT_GAP_MINUTES.max).optional().describe(`Chain: minutes between sprints, 1-60 (default ${SPRINT_GAP_MINUTES.default})`),
  }),
  // `/sprint start 30 5`: thirty minutes, starting in five. `/sprint chain 3 25 5`: three of 25 minutes, 5 apart.
  positional: ['action', 'value', 'in'],
  positionalFor: { chain: ['action', 'value', 'minutes', 'gap'] },
  moreHelp: [
    'start [minutes] [in]: a sprint in this channel (20 minutes, starting in 2, by default); at:14:30 or at::30 starts on the clock.',
    'chain <count> [minutes] [gap]: several sprints back to back (2 to 10, 5 minutes apart by default), everyone carrying on from their count; in: or at: as for start.',
    'join [count|same|none], then words <total> or +<added> (or just +250 in the channel); status, leave, cancel; notify on|off.',
  ],
  run: async (ctx, args) => {
    const { sprints } = ctx.services;
    switch (args.action) {
      case 'start': {
        const minutes = startMinutes(args.value, args.minutes);
        const outcome = await sprints.start(ctx.group, ctx.actor, ctx.conversation, { minutes, inMinutes: args.in, at: args.at }, ctx.idempotencyKey);
        if (outcome.kind === 'busy') throw busy(outcome.current.endAt);
        return privateReply(`You're in with a starting count of 0 (send /sprint words <total> as you go). It starts <t:${unix(outcome.sprint.startAt)}:R>.`);
      }
      case 'chain': {
        const length = Number(args.value?.trim());
        if (!args.value || !/^\d+$/.test(args.value.trim()) || length < SPRINT_CHAIN.min || length > SPRINT_CHAIN.max)
          throw new UserError('bad_argument', `/sprint chain takes how many sprints, ${SPRINT_CHAIN.min} to ${SPRINT_CHAIN.max}, then their minutes and the gap: /sprint chain 3 25 5.`);
        const minutes = args.minutes ?? SPRINT_MINUTES.default;
        const chain = { length, gapMinutes: args.gap ?? SPRINT_GAP_MINUTES.default };
        const outcome = await sprints.start(ctx.group, ctx.actor, ctx.conversation, { minutes, inMinutes: args.in, at: args.at, chain }, ctx.idempotencyKey);
        if (outcome.kind === 'busy') throw busy(outcome.current.endAt);
        return privateReply(`You're in a chain of ${length} sprints of ${plural(minutes, 'minute')}, ${plural(chain.gapMinutes, 'minute')} apart. The first starts <t:${unix(outcome.sprint.startAt)}:R>.`);
      }
      case 'join': {
        const { sprint, startCount } = await sprints.join(ctx.group, ctx.actor, ctx.conversation, readJoinChoice(args.count ?? args.value));
        return privateReply(
          `You're in${startCount === null ? ' for the minutes (no word count)' : ` with a starting count of ${formatNumber(startCount)}`}. ${ctx.clock.now() < sprint.startAt ? `It starts <t:${unix(sprint.startAt)}:R>.` : endsLine(sprint.endAt)}`,
        );
      }
      case 'words': {
        if (!args.value) throw new UserError('missing_argument', '/sprint words needs your count: your total now, like 1200, or the words you added, like +250.');
        const reply = wordsReply(await sprints.words(ctx.group, ctx.actor, ctx.conversation, args.value, ctx.idempotencyKey));
        return reply ?? privateReply('That count was already taken.');
      }
      case 'status':
        return status(ctx);
      case 'leave': {
        const { ended } = await sprints.leave(ctx.group, ctx.actor, ctx.conversation);
        return privateReply(ended ? 'You left, and nobody is left in the sprint, so it is over.' : "You left the sprint: your words from it won't be counted.");
      }
      case 'cancel': {
        await sprints.cancel(ctx.group, ctx.actor, ctx.conversation, ctx.isAdmin);
        return channelReply(`The sprint was cancelled by ${plain(ctx.actor.displayName)}. Nothing from it is counted.`);
      }
      case 'notify': {
        const on = args.value?.trim().toLowerCase();
        if (on !== 'on' && on !== 'off') throw new UserError('bad_argument', '/sprint notify takes on (be pinged when a sprint is announced) or off.');
        await sprints.notify(ctx.group, ctx.actor, on === 'on');
        return privateReply(on === 'on' ? "🔔 You're on the sprint list: I'll ping you when a sprint is announced here." : "🔕 You're off the sprint list.");
      }
    }
  },
  buttons: [
    {
      action: SPRINT_JOIN_ACTION,
      run: async (ctx, payload) => {
        const { sprint } = await ctx.services.sprints.join(requireGroup(ctx, 'that button'), ctx.actor, ctx.conversation, { count: 0 }, Number(payload));
        return privateReply(`You're in with a starting count of 0 (or leave and /sprint join <count> to give yours). ${ctx.clock.now() < sprint.startAt ? `It starts <t:${unix(sprint.startAt)}:R>.` : endsLine(sprint.endAt)}`);
      },
    },
    {
      action: SPRINT_LEAVE_ACTION,
      run: async (ctx, payload) => {
        const { ended } = await ctx.services.sprints.leave(requireGroup(ctx, 'that button'), ctx.actor, ctx.conversation, Number(payload));
        return privateReply(ended ? 'You left, and nobody is left in the sprint, so it is over.' : 'You left the sprint.');
      },
    },
    {
      action: SPRINT_CONFIRM_ACTION,
      run: async (ctx, payload) => {
        const [sprintId, total] = payload.split(':').map(Number);
        const outcome = await ctx.services.sprints.words(requireGroup(ctx, 'that button'), ctx.actor, ctx.conversation, String(total), ctx.idempotencyKey, { sprintId: sprintId! });
        return wordsReply(outcome) ?? privateReply('That count was already taken.');
      },
    },
  ],
});
