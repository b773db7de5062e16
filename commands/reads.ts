import { z } from 'zod';
import { defineCommand } from '../src/core/command';
import { formatNumber, plain } from '../src/core/format';
import { memberOption } from '../src/core/options';
import { privateReply } from '../src/core/reply';

export default defineCommand({
  name: 'reads',
  description: 'Reads given and received over the last 30 days, and the balance',
  options: z.object({
    member: memberOption('Whose reads (default: yours)').optional(),
  }),
  positional: ['member'],
  run: async (ctx, { member: reference }) => {
    const member = await ctx.services.members.target(ctx.group, ctx.actor, reference);
    const s = await ctx.services.publications.readsSummary(ctx.group, member);
    const tally = (t: { firstHour: number; late: number }) => `${formatNumber(t.firstHour + t.late)} (${formatNumber(t.firstHour)} in the first hour)`;
    const balance = s.balance > 0 ? `+${s.balance}: reads others more than they are read` : s.balance < 0 ? `${s.balance}: read more than they read others` : '0: even';
    const fields = [
      { label: 'Reads given', value: tally(s.given) },
      { label: 'Reads received', value: tally(s.received) },
      { label: 'Balance', value: balance },
    ];
    const title = `${plain(member.displayName)}'s reads, last ${s.days} days`;
    return privateReply([title, ...fields.map((f) => `${f.label}: ${f.value}`)].join('\n'), { title, fields });
  },
});
