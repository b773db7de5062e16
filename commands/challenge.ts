import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { formatDate, plain, plural } from '../src/core/format';
import { privateReply, type Reply } from '../src/core/reply';
import { CHALLENGE_KINDS, CHALLENGE_PRESETS, type Challenge, MAX_CHALLENGE_NAME } from '../src/domain/challenges';
import { daysBetween } from '../src/domain/local-date';
import { type BoardRow, type ChallengeBoard, challengeCount } from '../src/services/challenge-service';

function describe(challenge: Challenge): string {
  return `${plain(challenge.name)} · ${challengeCount(challenge, challenge.target)} each, ${formatDate(challenge.startDate)} – ${formatDate(challenge.endDate)}`;
}

function rowLine(board: ChallengeBoard, row: BoardRow): string {
  const late = row.joinedOn > board.challenge.startDate ? `, joined ${formatDate(row.joinedOn)}` : '';
  const pace = row.par > 0 ? `${Math.round(row.progress * 100)}% of par` : 'par starts with the challenge';
  const ofTarget = Math.floor((100 * row.done) / board.challenge.target);
  return `${row.rank}. ${plain(row.member.displayName)}: ${challengeCount(board.challenge, row.done)}, ${ofTarget}% of the target (${pace}${late})${row.reached ? ' ✔' : ''}`;
}

/** The board: places by progress against par, the group's total, and the asker's own place. */
export function boardReply(board: ChallengeBoard): Reply {
  const { challenge, today } = board;
  const when =
    today < challenge.startDate
      ? `starts ${formatDate(challenge.startDate)}`
      : today > challenge.endDate
        ? 'over'
        : `day ${daysBetween(challenge.startDate, today) + 1} of ${daysBetween(challenge.startDate, challenge.endDate) + 1}`;
  const title = `🏁 ${describe(challenge)} · ${when}`;
  const lines = [
    title,
    board.size
      ? `${plural(board.size, 'writer')}, ${challengeCount(challenge, board.total)} in all${board.reached ? `; ${board.reached} reached the target` : ''}`
      : 'Nobody has joined yet: /challenge join.',
    ...board.rows.map((row) => rowLine(board, row)),
    ...(board.mine ? ['…', rowLine(board, board.mine)] : []),
  ];
  return privateReply(lines.join('\n'), { title });
}

export default defineCommand({
  name: 'challenge',
  description: 'Group challenges: a words total, days written or articles, with a board ranked by pace',
  options: z.object({
    action: z.enum(['board', 'create', 'join', 'list']).optional().describe('board (default), create (admins), join or list'),
    name: z.string().min(1).max(MAX_CHALLENGE_NAME + 20).optional().describe(`The challenge; for create also a preset: ${CHALLENGE_PRESETS.join(', ')}`),
    start: z.string().min(1).max(10).optional().describe('create: the first date, YYYY-MM-DD'),
    end: z.string().min(1).max(10).optional().describe('create: the last date, YYYY-MM-DD'),
    kind: z.string().min(1).max(20).optional().describe(`create: ${CHALLENGE_KINDS.join(', ')} or a preset`),
    target: z.number().int().optional().describe("create: each member's target"),
  }),
  positional: ['action', 'name', 'start', 'end', 'kind', 'target'],
  positionalFor: { join: ['action', 'name'], board: ['action', 'name'] },
  moreHelp: [
    'create november: 50,000 words from 1 to 30 November. create six-months [start]: write every day for 180 days. create publish-weekly [start]: an article a week for 12 weeks.',
    'create <name> <start> <end> [words|days|publish] [target]: your own, over dates of the group’s calendar (admins).',
    'join [name] opts you in; /challenge [name] shows the board, ranked by progress against par from the day each member joined.',
  ],
  run: async (ctx, args) => {
    const { challenges } = ctx.services;
    switch (args.action ?? 'board') {
      case 'create': {
        const challenge = await challenges.create(ctx.group, ctx.actor, ctx.isAdmin, args);
        return privateReply(`🏁 Challenge created: ${describe(challenge)}. Members join with /challenge join ${plain(challenge.name)}.`);
      }
      case 'join': {
        const { challenge, joined } = await challenges.join(ctx.group, ctx.actor, args.name);
        return privateReply(joined ? `🏁 You're in ${describe(challenge)}. /challenge shows the board.` : `You're in ${plain(challenge.name)} already.`);
      }
      case 'list': {
        const all = await challenges.list(ctx.group);
        if (all.length === 0) return privateReply('This group has no challenge yet. An admin can start one with /challenge create november.');
        return privateReply(['Challenges', ...all.map((c) => `• ${describe(c)}`)].join('\n'));
      }
      default:
        return boardReply(await challenges.board(ctx.group, ctx.actor, args.name));
    }
  },
});
