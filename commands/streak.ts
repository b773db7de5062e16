import { z } from 'zod';
import { defineCommand, type GroupContext } from '../src/router/command';
import { formatDate, formatNumber, plain, plural } from '../src/core/format';
import { memberOption } from '../src/router/options';
import { privateReply, type Reply } from '../src/core/reply';
import { UserError } from '../src/core/user-error';
import { MAX_FREEZES } from '../src/domain/streak';

/** A member's streak in figures, with the 26-week calendar picture; another member's only if they show it. */
export async function streakReply(ctx: GroupContext, reference: string | undefined): Promise<Reply> {
  const { members, streaks } = ctx.services;
  const member = await members.target(ctx.group, ctx.actor, reference);
  const self = member.userId === ctx.actor.userId;
  if (member.hidden && !self) throw new UserError('refused', `${plain(member.displayName)} keeps their stats private.`);
  ctx.services.limits.take('picture', ctx.group, ctx.actor);
  const [s, picture, sprint] = await Promise.all([streaks.summary(ctx.group, member), streaks.calendar(ctx.group, member), ctx.services.sprints.latest(ctx.group, member)]);
  const fields = [
    { label: 'Current streak', value: s.current ? `${plural(s.current, 'day')} 🔥` : '0 days' },
    { label: 'Longest streak', value: plural(s.longest, 'day') },
    { label: 'Days logged', value: formatNumber(s.daysLogged) },
    { label: 'Words this week', value: formatNumber(s.wordsThisWeek) },
    { label: 'Words in total', value: formatNumber(s.wordsTotal) },
    { label: 'Freezes', value: `${s.freezes} of ${MAX_FREEZES}` },
  ];
  let status = '';
  if (s.vacationUntil) status = `On vacation until ${formatDate(s.vacationUntil)}: the streak is paused.`;
  else if (s.loggedToday) status = 'Logged today. ✔';
  else if (s.atRisk) status = self ? 'Not logged today yet: log before your day ends to keep the streak.' : 'Not logged today yet.';
  const title = `${plain(member.displayName)}'s streak`;
  // A calendar that could not be drawn costs only the picture: its text alternative goes in its place.
  const missing = picture.png ? '' : `The calendar picture could not be drawn this time. ${picture.alt}`;
  // Sprint words are logged by the results, not by a /log of their own: say where they came from.
  const sprinted = sprint && `Latest sprint: ${sprint.words === null ? 'minutes only' : plural(sprint.words, 'word')} in ${plural(sprint.minutes, 'minute')}, logged for ${formatDate(sprint.date)}.`;
  const text = [title, ...fields.map((f) => `${f.label}: ${f.value}`), status, sprinted, missing].filter(Boolean).join('\n');
  const images = picture.png ? [{ fileName: 'streak-calendar.png', png: picture.png, alt: picture.alt }] : undefined;
  return privateReply(text, { title, fields, ...(images && { images }) });
}

export default defineCommand({
  name: 'streak',
  aliases: ['stats'],
  description: 'Show your streak, or another member’s, with a 26-week calendar',
  options: z.object({
    member: memberOption('Whose streak (default: yours)').optional(),
  }),
  positional: ['member'],
  run: (ctx, { member }) => streakReply(ctx, member),
});
