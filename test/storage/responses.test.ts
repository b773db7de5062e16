import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply';
import { localDateOf } from '../../src/domain/local-date';
import { periodKeysOf } from '../../src/domain/periods';
import { DIALECTS } from '../support/databases';
import { Harness, type Speaker } from '../support/harness';

const admin = { name: 'Ada', admin: true };
const HOUR = 3_600_000;

/** Responses given and received per member and period, counted from the rows, as the totals must hold them. */
async function countedFromRows(h: Harness, timezone: string, weekStart: number): Promise<Map<string, { given: number; received: number }>> {
  const rows = await h.db
    .selectFrom('responses')
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .select(['responses.member_id', 'publications.member_id as author_id', 'responses.first_sent_at'])
    .execute();
  const expected = new Map<string, { given: number; received: number }>();
  const add = (memberId: number, period: string, given: number, received: number) => {
    const key = `${memberId}|${period}`;
    const kept = expected.get(key) ?? { given: 0, received: 0 };
    expected.set(key, { given: kept.given + given, received: kept.received + received });
  };
  for (const r of rows) {
    for (const period of periodKeysOf(localDateOf(Number(r.first_sent_at), { zone: timezone, rolloverHour: 0 }), weekStart)) {
      add(r.member_id, period, 1, 0);
      add(r.author_id, period, 0, 1);
    }
  }
  return expected;
}

async function keptTotals(h: Harness): Promise<Map<string, { given: number; received: number }>> {
  const rows = await h.db.selectFrom('member_totals').select(['member_id', 'period', 'responses_given', 'responses_received']).execute();
  return new Map(
    rows
      .filter((r) => Number(r.responses_given) !== 0 || Number(r.responses_received) !== 0)
      .map((r) => [`${r.member_id}|${r.period}`, { given: Number(r.responses_given), received: Number(r.responses_received) }]),
  );
}

for (const dialect of DIALECTS) {
  describe(`responses on ${dialect}`, () => {
    let h: Harness;
    afterEach(() => h.close());

    const announcementButtons = () =>
      h.adapter.posts.filter((p) => p.reply.text.startsWith('📣')).map((p) => ({ read: p.reply.buttons!.find((b) => b.action === 'read')!, respond: p.reply.buttons!.find((b) => b.action === 'respond')! }));
    const respond = (name: string, payload: string, text: string, key?: string): Promise<Reply | void> => {
      const who: Speaker = { name };
      return h.deliver({ kind: 'form', action: 'respond', payload, values: { text, choice: 'thread' }, actor: h.actor(who), conversation: h.conversation(who), idempotencyKey: key ?? `${name}-${payload}-${text.length}-${Math.random()}` });
    };

    it('GIVEN responses, replacements, clicks at the same moment, a week start change and a /forget THEN the totals equal the rows and each read counts once', async () => {
      h = await Harness.create({ dialect, now: '2026-03-07T23:30:00Z' });
      await h.send(admin, '/setup Europe/London');
      await h.send('Bo', '/publish https://medium.com/@bo/one-1 One');
      await h.send('Cy', '/publish https://medium.com/@cy/two-2 Two');
      const [one, two] = announcementButtons();
      // A click and a response of the same reader arrive together: one read.
      await Promise.all([h.press('Di', one!.read), respond('Di', one!.respond.payload!, 'Clicked and responded at once.')]);
      await respond('Cy', one!.respond.payload!, 'Across the week boundary soon.');
      h.clock.advance(HOUR);
      await respond('Bo', two!.respond.payload!, 'Sunday morning response.');
      await respond('Bo', two!.respond.payload!, 'Sunday morning, replaced.');
      await respond('Di', two!.respond.payload!, 'A second article for Di.');
      const reads = await h.db.selectFrom('reads').select(['member_id', 'publication_id', 'first_hour']).orderBy('id').execute();
      expect(reads.filter((r) => r.publication_id === Number(one!.respond.payload))).toHaveLength(2);
      const di = (await h.db.selectFrom('members').innerJoin('people', 'people.id', 'members.person_id').select('members.id').where('people.user_id', '=', 'di').executeTakeFirstOrThrow()).id;
      // Di's read of each article, once each, though the first came by a click and a response together.
      const diReads = await h.db.selectFrom('member_totals').select('reads').where('member_id', '=', di).where('period', '=', 'all').executeTakeFirstOrThrow();
      expect(Number(diReads.reads)).toBe(2);
      expect(await keptTotals(h)).toEqual(await countedFromRows(h, 'Europe/London', 1));

      await h.send(admin, '/config week_start sunday');
      expect(await keptTotals(h)).toEqual(await countedFromRows(h, 'Europe/London', 7));

      const confirm = await h.send('Di', '/forget');
      await h.press('Di', confirm!.buttons!.find((b) => b.action !== '')!);
      expect(await keptTotals(h)).toEqual(await countedFromRows(h, 'Europe/London', 7));
      expect((await h.db.selectFrom('responses').select('text').orderBy('text').execute()).map((r) => r.text)).toEqual(['Across the week boundary soon.', 'Sunday morning, replaced.']);
    });
  });
}
