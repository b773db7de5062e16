import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };

for (const dialect of DIALECTS) {
  describe(`the bot on ${dialect}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await Harness.create({ dialect, now: '2026-03-10T12:00:00Z' });
      await h.send(admin, '/setup Europe/London');
    });
    afterEach(() => h.close());

    it('logs, counts streaks, undoes and recounts', async () => {
      await h.send('Bo', '/log 100 date:yesterday');
      expect(await h.text('Bo', '/log 200 45 https://example.com/a "a note"')).toMatch(/200 words today, 45 min · 🔥 2 days in a row/);
      expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 2 days[\s\S]*Words in total: 300/);
      await h.send('Bo', '/undo');
      expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 1 day[\s\S]*Words in total: 100/);
    });

    it('changes state once when first deliveries from new members race each other', async () => {
      const sends = ['Bo', 'Cy', 'Di'].flatMap((name) => [h.send(name, '/log 100', `dup-${name}`), h.send(name, '/log 100', `dup-${name}`)]);
      const replies = await Promise.all(sends);
      expect(replies.filter((r) => r && /Already logged/.test(r.text))).toHaveLength(3);
      const rows = await h.db.selectFrom('logs').select('event_key').execute();
      expect(rows.map((r) => r.event_key).sort()).toEqual(['dup-Bo', 'dup-Cy', 'dup-Di']);
      expect(await h.db.selectFrom('members').selectAll().execute()).toHaveLength(3);
    });

    it('exports and forgets a member', async () => {
      await h.send('Bo', '/log 300');
      const exported = await h.send('Bo', '/export');
      expect(JSON.parse(String(exported!.files![0]!.content)).groups[0].logs).toHaveLength(1);
      const ask = await h.send('Bo', '/forget');
      await h.press('Bo', ask!.buttons![0]!);
      expect(await h.db.selectFrom('logs').selectAll().execute()).toEqual([]);
    });
  });
}
