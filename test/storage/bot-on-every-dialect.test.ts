import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APOLOGY } from '../../src/core/reply';
import type { Dialect } from '../../src/db/database';
import { DIALECTS } from '../support/databases';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };

/** Makes each `insert` or `update` of `table` whose new row matches `when` fail, as a fault halfway through a change would. */
async function injectFault(h: Harness, dialect: Dialect, event: 'insert' | 'update', table: string, when: string): Promise<void> {
  if (dialect === 'sqlite') {
    await sql.raw(`create trigger injected_fault before ${event} on ${table} when ${when} begin select raise(abort, 'injected fault'); end`).execute(h.db);
    return;
  }
  await sql.raw(`create function injected_fault() returns trigger language plpgsql as $$ begin raise exception 'injected fault'; end $$`).execute(h.db);
  await sql.raw(`create trigger injected_fault before ${event} on ${table} for each row when (${when}) execute function injected_fault()`).execute(h.db);
}

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
      expect(await h.text('Bo', '/log 200 45 https://example.com/a "a note"')).toMatch(/200 words, 45 min, a link and the note “a note” today · 🔥 2 days in a row/);
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

    it('ranks every board and sums up a week with the database doing the ranking', async () => {
      h.clock.set('2026-03-02T12:00:00Z');
      await h.send('Di', '/followers 100');
      h.clock.set('2026-03-08T12:00:00Z');
      await h.send('Cy', '/log 100');
      h.clock.set('2026-03-09T12:00:00Z');
      await h.send('Bo', '/log 500');
      await h.send('Cy', '/log 100');
      h.clock.set('2026-03-10T12:00:00Z');
      await h.send('Bo', '/log 300');
      await h.send('Di', '/followers 150');
      await h.send('Ed', '/followers 80');
      await h.send('Hid', '/log 9000');
      await h.send('Hid', '/privacy leaderboard off');
      const board = async (line: string) => (await h.text('Ada', line)).split('\n').slice(1);
      expect(await board('/leaderboard words')).toEqual(['1. Bo: 800 words', '2. Cy: 100 words']);
      expect(await board('/leaderboard streaks')).toEqual(['1. Cy: 2 days (longest 2)', '1. Bo: 2 days (longest 2)']);
      expect(await board('/leaderboard followers')).toEqual(['1. Di: +50 (+50.0%), 150 in all', 'New this week: Ed (80)']);
      expect(await board('/leaderboard followers all')).toEqual(['1. Di: 150', '2. Ed: 80']);

      h.clock.set('2026-03-16T09:00:00Z');
      const { id } = await h.db.selectFrom('groups').select('id').executeTakeFirstOrThrow();
      const group = await h.app.services.groups.get(id);
      const digest = await h.app.services.digests.weekly(group, '2026-03-16T09:00');
      expect(digest.text.split('\n')).toEqual([
        '📬 Weekly digest: Mon 9 Mar – Sun 15 Mar',
        '✍️ Words: 900 from 2 writers. 1. Bo 800 · 2. Cy 100',
        '👥 Followers: 1. Di +50 (+50.0%). new: Ed (80)',
        '🌱 Started a streak: Bo',
        '💤 Streak ended: Cy, Bo. Today is a fine day to begin again.',
      ]);
    });

    it('GIVEN a /project switch that fails halfway THEN the project that was current stays current', async () => {
      await h.send('Bo', '/project create Novel');
      await h.send('Bo', '/project create Poems');
      // The first of its two updates takes Novel off; the second, making Poems current, fails.
      await injectFault(h, dialect, 'update', 'projects', 'new.is_current = 1');
      expect(await h.text('Bo', '/project switch Poems')).toBe(APOLOGY);
      expect(await h.text('Bo', '/project list')).toMatch(/• Novel \(current\)/);
    });

    it('GIVEN a /join that fails halfway THEN nothing of it is kept', async () => {
      await injectFault(h, dialect, 'insert', 'members', 'true');
      expect(await h.text('Bo', '/join')).toBe(APOLOGY);
      expect(await h.db.selectFrom('people').select('user_id').where('user_id', '=', 'bo').execute()).toEqual([]);
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
