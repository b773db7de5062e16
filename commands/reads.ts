import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { formatNumber, plain } from '../src/core/format';
import { memberOption } from '../src/router/options';
import { privateReply } from '../src/core/reply';

/** The balance in words, the right way round: who reads whom more. */
function balanceWords(balance: number, self: boolean): string {
  if (balance === 0) return 'even';
  if (self) return balance > 0 ? 'you read others more than they read you' : 'others read you more than you read them';
  return balance > 0 ? 'reads others more than others read them' : 'is read more than they read others';
}

export default defineCommand({
  name: 'reads',
  description: 'Reads and responses given and received over the last 30 days, and the balance',
  options: z.object({
    member: memberOption('Whose reads (default: yours)').optional(),
  }),
  positional: ['member'],
  run: async (ctx, { member: reference }) => {
    const member = await ctx.services.members.target(ctx.group, ctx.actor, reference);
    const s = await ctx.services.publications.readsSummary(ctx.group, member);
    const responses = await ctx.services.responses.balance(member);
    const tally = (t: { firstHour: number; late: number }) => `${formatNumber(t.firstHour + t.late)} (${formatNumber(t.firstHour)} in the first hour)`;
    const self = member.userId === ctx.actor.userId;
    const name = plain(member.displayName);
    const balance = `${s.balance > 0 ? '+' : ''}${s.balance}: ${balanceWords(s.balance, self)}`;
    const fields = [
      { label: 'Reads given', value: tally(s.given) },
      { label: 'Reads received', value: tally(s.received) },
      { label: 'Balance', value: balance },
      { label: 'Responses given', value: formatNumber(responses.given) },
      { label: 'Responses received', value: formatNumber(responses.received) },
    ];
    const title = `${self ? 'Your' : `${name}'s`} reads, last ${s.days} days`;
    return privateReply([title, ...fields.map((f) => `${f.label}: ${f.value}`)].join('\n'), { title, fields });
  },
});
