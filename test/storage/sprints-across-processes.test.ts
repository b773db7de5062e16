import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;

for (const dialect of DIALECTS) {
  describe(`sprints shared by several processes on ${dialect}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await Harness.create({ dialect, now: '2026-03-10T12:00:00Z' });
    });
    afterEach(() => h.close());

    it('posts each go, time-up and result exactly once and logs each participant once while three schedulers tick together', async () => {
      const SPRINTS = 24;
      for (let i = 0; i < SPRINTS; i++) {
        const channel = `c${i}`;
        await h.send({ ...admin, channel }, '/setup UTC');
        await h.send({ name: 'Bo', channel }, `/sprint start ${5 + (i % 4)} ${i % 3}`);
        await h.send({ name: 'Cy', channel }, '/sprint join 100');
      }
      const others = [await h.anotherProcess(), await h.anotherProcess()];
      const schedulers = [h.app.scheduler, ...others.map((o) => o.app.scheduler)];
      h.clock.set(Date.parse('2026-03-10T12:04:00Z'));
      for (let i = 0; i < SPRINTS; i++) await h.send({ name: 'Cy', channel: `c${i}` }, `/sprint words ${200 + i}`);
      for (let t = Date.parse('2026-03-10T12:00:00Z'); t <= Date.parse('2026-03-10T12:20:00Z'); t += MINUTE / 2) {
        h.clock.set(t);
        await Promise.all(schedulers.map((s) => s.tick()));
      }
      const posts = [h.adapter, ...others.map((o) => o.adapter)].flatMap((a) => a.posts);
      for (const kind of ['🟢', '⏰', '🏆']) {
        const channels = posts.filter((p) => p.reply.text.startsWith(kind)).map((p) => p.to.channelId);
        expect(channels.sort(), kind).toEqual(Array.from({ length: SPRINTS }, (_, i) => `c${i}`).sort());
      }
      const logs = await h.db.selectFrom('logs').select(['group_id', 'member_id', 'words']).where('source', '=', 'sprint').execute();
      expect(logs).toHaveLength(SPRINTS * 2);
      expect(logs.filter((l) => l.words > 0).map((l) => l.words).sort()).toEqual(Array.from({ length: SPRINTS }, (_, i) => 100 + i).sort());
      for (const other of others) await other.app.close();
    }, 90_000);

    // One process: on Postgres its pool runs the counts side by side (SQLite connections in one thread would only wait on each other).
    it('adds up counts of words added that arrive at once', async () => {
      await h.send(admin, '/setup UTC');
      await h.send('Bo', '/sprint start 20 0');
      h.clock.set(Date.parse('2026-03-10T12:10:00Z'));
      const count = (adapter: typeof h.adapter, i: number) =>
        adapter.deliver({ kind: 'message', messageId: `m${i}`, text: '+10', actor: h.actor({ name: 'Bo' }), conversation: h.conversation({ name: 'Bo' }), idempotencyKey: `count-${i}` });
      await Promise.all(Array.from({ length: 30 }, (_, i) => count(h.adapter, i)));
      expect(await h.db.selectFrom('sprint_participants').select('final_count').execute()).toEqual([{ final_count: 300 }]);
    });
  });
}
