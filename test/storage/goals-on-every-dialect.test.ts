import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };
const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`goals, projects and challenges on ${dialect}`, () => {
    let h: Harness;
    afterEach(() => h.close());

    it('keeps goals with their progress from the running totals, acknowledged once', async () => {
      h = await Harness.create({ dialect, now: '2026-03-10T12:00:00Z' });
      await h.send(admin, '/setup UTC');
      await h.send('Bo', '/goal set words 3000 week');
      await h.send('Bo', '/goal set days 2 week');
      await h.send('Bo', '/goal set streak 2');
      expect(await h.text('Bo', '/log 1000')).toMatch(/🎯 2,000 words to this week's 3,000 · 1 of 2 days this week · 1 of 2 days in a row$/);
      h.clock.advance(DAY);
      expect(await h.text('Bo', '/log 2500')).toMatch(/🎯 this week's 3,000 words done ✔ · 2 of 2 days this week ✔ · 2-day streak reached ✔$/);
      expect(await h.text('Bo', '/goal')).toMatch(/week streak: 1 week/);
      const goals = await h.db.selectFrom('goals').select(['kind', 'achieved_key']).orderBy('kind').execute();
      expect(goals).toEqual([
        { kind: 'days', achieved_key: 'week:2026-03-09' },
        { kind: 'streak', achieved_key: null },
        { kind: 'words', achieved_key: 'week:2026-03-09' },
      ]);
      expect(h.errors).toEqual([]);
    });

    it('sends logs to projects and counts their words from the logs, edits and undos included', async () => {
      h = await Harness.create({ dialect, now: '2026-11-01T12:00:00Z' });
      await h.send(admin, '/setup UTC');
      await h.send('Bo', '/project create Novel 50000 2026-11-30');
      await h.send('Bo', '/project create Poems');
      await h.send('Bo', '+800 words on chapter one', 'chat-1');
      await h.send('Bo', '/log 300 project:poems');
      await h.send('Bo', '/log 5');
      await h.send('Bo', '/undo');
      await h.deliver({ kind: 'message-edited', messageId: 'chat-1', text: '+900 words on chapter one', actor: h.actor({ name: 'Bo' }), conversation: h.conversation({ name: 'Bo' }), idempotencyKey: 'edit-1' });
      expect(await h.text('Bo', '/project list')).toBe(
        'Your projects\n• Novel (current): 900 of 50,000 words by Mon 30 Nov · 1,637 a day to stay on pace · 767 behind par (1,667)\n• Poems: 300 words',
      );
      expect(h.errors).toEqual([]);
    });

    it('ranks a challenge board from the running totals (a whole month) and from the logs (any other span), and wraps it up once', async () => {
      h = await Harness.create({ dialect, now: '2026-11-01T12:00:00Z' });
      await h.send(admin, '/setup UTC');
      await h.send(admin, '/challenge create november');
      await h.send(admin, '/challenge create fortnight 2026-11-01 2026-11-14 days 10');
      for (const who of ['Bo', 'Cy']) for (const name of ['november', 'fortnight']) await h.send(who, `/challenge join ${name}`);
      for (let day = 0; day < 3; day++) {
        await h.send('Bo', '/log 1000');
        if (day > 0) await h.send('Cy', '/log 400');
        h.clock.advance(DAY);
      }
      h.clock.advance(-DAY);
      expect(await h.text('Bo', '/challenge board november')).toMatch(/\n2 writers, 3,800 words in all\n1\. Bo: 3,000 words, 6% of the target \(60% of par\)\n2\. Cy: 800 words, 1% of the target \(16% of par\)$/);
      expect(await h.text('Bo', '/challenge board fortnight')).toMatch(/\n2 writers, 5 days in all\n1\. Bo: 3 days, 30% of the target \(150% of par\)\n2\. Cy: 2 days, 20% of the target \(100% of par\)$/);
      h.clock.set(Date.parse('2026-11-15T00:10:00Z'));
      await h.tick();
      await h.tick();
      expect(h.adapter.posts.filter((p) => p.reply.text.startsWith('🏁 fortnight is over'))).toHaveLength(1);
      expect(h.errors).toEqual([]);
    });
  });
}
