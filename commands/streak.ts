import { z } from 'zod';
import { defineCommand } from '../src/core/command';
import { formatDate, formatNumber, plain, plural } from '../src/core/format';
import { memberOption } from '../src/core/options';
import { privateReply } from '../src/core/reply';
import { MAX_FREEZES } from '../src/domain/streak';

export default defineCommand({
  name: 'streak',
  description: 'Show your streak, or another member’s',
  options: z.object({
    member: memberOption('Whose streak (default: yours)').optional(),
  }),
  positional: ['member'],
  run: async (ctx, { member: reference }) => {
    const member = await ctx.services.members.target(ctx.group, ctx.actor, reference);
    const s = await ctx.services.streaks.summary(ctx.group, member);
    const self = member.userId === ctx.actor.userId;
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
    const text = [title, ...fields.map((f) => `${f.label}: ${f.value}`), status].filter(Boolean).join('\n');
    return privateReply(text, { title, fields });
  },
});
