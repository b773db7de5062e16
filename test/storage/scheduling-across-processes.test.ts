import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rssFeed } from '../fixtures/feeds';
import { DIALECTS } from '../support/databases';
import { Harness } from '../support/harness';
import { WebServer } from '../support/web-server';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;

for (const dialect of DIALECTS) {
  describe(`scheduled work shared by several processes on ${dialect}`, () => {
    let h: Harness;
    let web: WebServer;
    beforeEach(async () => {
      h = await Harness.create({ dialect, now: '2026-03-10T12:00:00Z' });
      web = await WebServer.start();
      await h.send(admin, '/setup UTC');
    });
    afterEach(async () => {
      await h.close();
      await web.stop();
    });

    it('closes every first-hour window exactly once while three schedulers tick at the same time', async () => {
      const others = [await h.anotherProcess(), await h.anotherProcess()];
      for (let i = 0; i < 40; i++) await h.send(`Writer${i % 7}`, `/publish https://example.com/story-${i} Story ${i}`);
      h.clock.advance(61 * MINUTE);
      const schedulers = [h.app.scheduler, ...others.map((o) => o.app.scheduler)];
      for (let round = 0; round < 3; round++) await Promise.all(schedulers.map((s) => s.tick()));
      const wrapUps = [h.adapter, ...others.map((o) => o.adapter)].flatMap((a) => a.posts).filter((p) => p.reply.text.startsWith('⏱️'));
      const titles = wrapUps.map((p) => /"(Story \d+)"/.exec(p.reply.text)![1]).sort();
      expect(titles).toEqual(Array.from({ length: 40 }, (_, i) => `Story ${i}`).sort());
      expect(new Set(wrapUps.map((p) => p.to.platform)).size).toBe(1);
      for (const other of others) await other.app.close();
    });

    it('posts every digest slot exactly once while three processes plan and post them', async () => {
      const GROUPS = 60;
      const DAYS = 5;
      h.clock.set('2026-03-14T00:00:00Z');
      for (let i = 0; i < GROUPS; i++) {
        await h.send({ ...admin, channel: `g${i}` }, `/setup ${i % 2 ? 'Europe/London' : 'Asia/Kolkata'}`);
        await h.send({ ...admin, channel: `g${i}` }, '/config daily_digest on');
      }
      const others = [await h.anotherProcess(), await h.anotherProcess()];
      const schedulers = [h.app.scheduler, ...others.map((o) => o.app.scheduler)];
      for (let t = Date.parse('2026-03-14T00:00:00Z'); t < Date.parse('2026-03-14T00:00:00Z') + DAYS * 86_400_000; t += 30 * MINUTE) {
        h.clock.set(t);
        await Promise.all(schedulers.map((s) => s.tick()));
      }
      const posts = [h.adapter, ...others.map((o) => o.adapter)].flatMap((a) => a.posts);
      const slots = posts.map((p) => `${p.to.channelId} ${p.reply.text.split(':')[0]}`);
      expect(new Set(slots).size).toBe(slots.length);
      expect(posts.filter((p) => p.reply.text.startsWith('📅'))).toHaveLength(GROUPS * DAYS);
      // Plus the weekly digest of the group every test sets up in #general.
      expect(posts.filter((p) => p.reply.text.startsWith('📬'))).toHaveLength(GROUPS + 1);
      for (const other of others) await other.app.close();
    }, 90_000);

    it('polls each feed from one process at a time', async () => {
      for (let i = 0; i < 8; i++) {
        web.serve(`/feed-${i}`, rssFeed('wordpress', `Feed ${i}`, []));
        await h.send(`Writer${i}`, `/feed add ${web.url(`/feed-${i}`)}`);
      }
      const others = [await h.anotherProcess(), await h.anotherProcess()];
      h.clock.advance(5 * MINUTE);
      await Promise.all([h.app.services.feeds.pollDue(), ...others.map((o) => o.app.services.feeds.pollDue())]);
      for (let i = 0; i < 8; i++) expect(web.requestsTo(`/feed-${i}`), `feed ${i}`).toHaveLength(2);
      for (const other of others) await other.app.close();
    });
  });
}
