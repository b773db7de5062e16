import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { channelMention, formatNumber, plain } from '../src/core/format';
import { privateReply } from '../src/core/reply';
import { localDateOf } from '../src/domain/local-date';
import { READ_ACTION } from '../src/services/publication-messages';
import { RESPOND_ACTION } from '../src/services/response-messages';
import type { ResponseOutcome } from '../src/services/response-service';
import type { PublishOutcome, ReadOutcome } from '../src/services/publication-service';

/** What a /publish did; dates are the group's (`timezone`). */
function publishReply(outcome: PublishOutcome, timezone: string) {
  switch (outcome.kind) {
    case 'announced': {
      const { publication, unreadPage } = outcome;
      const closes = Math.floor(publication.windowEndsAt / 1000);
      const lines = [`📣 Announced in ${channelMention(outcome.where.conversation.channelId)}. The first hour closes <t:${closes}:R>.`];
      // Only the author sees this reply: the place to say the title is a guess, and how to put it right.
      if (unreadPage)
        lines.push(
          `I couldn't read the page (${unreadPage}), so I used the title "${plain(publication.title)}". If that's wrong, send /publish ${publication.url} <the right title> before the first hour closes and I'll rename the announcement.`,
        );
      return privateReply(lines.join('\n'));
    }
    case 'retitled':
      return privateReply(
        outcome.edited
          ? `✏️ Renamed the announcement to "${plain(outcome.publication.title)}".`
          : `✏️ Saved the title "${plain(outcome.publication.title)}" for the wrap-up, but I couldn't edit the announcement itself.`,
      );
    case 'duplicate': {
      const when = localDateOf(outcome.existing.announcedAt, { zone: timezone, rolloverHour: 0 });
      return privateReply(`That article was already announced here on ${when} ("${plain(outcome.existing.title)}"), so it is not announced again.`);
    }
    case 'needs-reads': {
      const { asked, needed, unread } = outcome.debt;
      // Never fewer articles listed than are asked of them.
      const list = unread.slice(0, Math.max(10, needed)).map((p) => `• ${plain(p.title)} by ${plain(p.authorName)}: ${p.url}`);
      return privateReply(
        [
          `This group reads each other's work: read at least ${asked} of the latest articles by others before sharing your own. ${needed === 1 ? 'One more' : `${needed} more`} to go (press "I read it" on each), then /publish again:`,
          ...list,
        ].join('\n'),
        { title: `${formatNumber(needed)} more to read first`, buttons: unread.slice(0, 5).map((p) => ({ action: '', label: p.title.slice(0, 70), url: p.url })) },
      );
    }
  }
}

function readReply(outcome: ReadOutcome) {
  switch (outcome.kind) {
    case 'counted':
      return privateReply(outcome.firstHour ? '✅ Counted: a first-hour read. Thank you!' : '✅ Counted as a later read (the first hour is over).');
    case 'already':
      return privateReply('You already counted this one: each read counts once.');
    case 'own':
      return privateReply("That's your own article: the group's reads are the ones that count. 🙂");
  }
}

function responseReply(outcome: ResponseOutcome) {
  const author = plain(outcome.publication.authorName);
  const where = {
    direct: `sent privately to ${author}`,
    mention: `kept for ${author}, whose direct messages are closed: they were told in the group channel`,
    thread: "posted in the announcement's thread",
    undelivered: `saved, but I couldn't deliver it just now; ${author} can read it with /responses`,
  }[outcome.reached];
  const read = outcome.read ? (outcome.read.firstHour ? ' It also counts as your first-hour read. Thank you!' : ' It also counts as your read.') : '';
  const lead = outcome.kind === 'replaced' ? '✏️ Response replaced' : '💬 Response';
  return privateReply(`${lead}: ${where}.${read}`);
}

export default defineCommand({
  name: 'publish',
  description: 'Announce your new article so the group reads it in its first hour',
  options: z.object({
    url: z.url({ protocol: /^https?$/ }).max(2000).describe('Link to the article'),
    title: z.string().min(1).max(300).optional().describe('Its title (default: read from the page)'),
  }),
  positional: ['url', 'title'],
  run: async (ctx, args) => {
    if (!args.title?.trim()) ctx.services.limits.take('fetch', ctx.group, ctx.actor);
    const reply = publishReply(await ctx.services.publications.publish(ctx.group, ctx.actor, args, 'command'), ctx.group.timezone);
    // An articles goal reached is acknowledged beside the reply, not before it.
    void ctx.services.goals.afterReport(ctx.group, ctx.actor);
    return reply;
  },
  buttons: [
    {
      action: READ_ACTION,
      // The button lives in the announcement channel, which may not be the group's own channel.
      scope: 'anywhere',
      run: async (ctx, payload) => readReply(await ctx.services.publications.recordRead(ctx.actor, ctx.conversation, Number(payload))),
    },
    {
      action: RESPOND_ACTION,
      scope: 'anywhere',
      run: (ctx, payload) => ctx.services.responses.openForm(ctx.actor, ctx.conversation, Number(payload)),
      submit: async (ctx, payload, values) =>
        responseReply(await ctx.services.responses.respond(ctx.actor, ctx.conversation, Number(payload), values, ctx.idempotencyKey)),
    },
  ],
});
