import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediumFeed } from '../fixtures/feeds';
import { Harness } from '../support/harness';
import { WebServer } from '../support/web-server';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;

/**
 * Platforms re-deliver (Slack retries a slow ack, a gateway resumes, two processes poll): every inbound
 * path delivered twice at the same moment must change state once.
 */
describe('duplicate delivery', () => {
  let web: WebServer;
  let h: Harness;
  let duplicatesFound = 0;
  let pathsTried = 0;

  beforeAll(async () => {
    web = await WebServer.start();
    h = await Harness.create({ now: '2026-03-10T12:00:00Z', settings: { feedPollMs: 5 * MINUTE } });
    await h.send(admin, '/setup Europe/London');
  });
  afterAll(async () => {
    console.log(`duplicate delivery: ${pathsTried} inbound paths delivered twice at once, duplicates found = ${duplicatesFound}`);
    await h.close();
    await web.stop();
  });

  const count = async (table: 'logs' | 'reads' | 'publications' | 'follower_snapshots') =>
    Number((await h.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Runs two deliveries together and records whether the table grew by more than `expected`. */
  async function twice(table: Parameters<typeof count>[0], expected: number, deliver: () => Promise<unknown>): Promise<number> {
    const before = await count(table);
    await Promise.all([deliver(), deliver()]);
    const grew = (await count(table)) - before;
    pathsTried++;
    if (grew > expected) duplicatesFound++;
    return grew;
  }

  it('slash commands: /log, /followers and /publish with the same delivery key', async () => {
    expect(await twice('logs', 1, () => h.send('Bo', '/log 300', 'slash-log'))).toBe(1);
    expect(await twice('follower_snapshots', 1, () => h.send('Bo', '/followers 120', 'slash-followers'))).toBe(1);
    expect(await twice('publications', 1, () => h.send('Bo', '/publish https://medium.com/@bo/twice-1a2b3c', 'slash-publish'))).toBe(1);
  });

  it('/undo delivered twice removes one log', async () => {
    await h.send('Cy', '/log 100');
    await h.send('Cy', '/log 200');
    const before = await count('logs');
    await Promise.all([h.send('Cy', '/undo', 'slash-undo'), h.send('Cy', '/undo', 'slash-undo')]);
    pathsTried++;
    const removed = before - (await count('logs'));
    if (removed !== 1) duplicatesFound++;
    expect(removed).toBe(1);
  });

  it('buttons: "I read it" delivered twice, and clicked twice', async () => {
    await h.send('Bo', '/publish https://medium.com/@bo/read-me-4d5e6f Read me');
    const button = h.adapter.posts.at(-1)!.reply.buttons!.find((b) => b.action === 'read')!;
    expect(await twice('reads', 1, () => h.press('Cy', button, 'button-read'))).toBe(1);
    // Two separate clicks (two delivery keys) by the same reader still count once.
    expect(await twice('reads', 1, () => h.press('Dee', button))).toBe(1);
  });

  it('chat messages: the same message delivered twice', async () => {
    expect(await twice('logs', 1, () => h.send('Dee', '+450 words on chapter 4', 'chat-message-1'))).toBe(1);
  });

  it('feed items: two processes poll the same feed at the same moment', async () => {
    web.serve('/feed', mediumFeed('bo', []));
    await h.send('Bo', `/feed add ${web.url('/feed')}`);
    const published = Date.parse('2026-03-10T12:01:00Z');
    web.serve('/feed', mediumFeed('bo', [{ id: '9f8e7d6c5b4a', title: 'Fresh', link: 'https://medium.com/@bo/fresh-9f8e7d6c5b4a', published: new Date(published) }]));
    const other = await h.anotherProcess();
    h.clock.advance(5 * MINUTE);
    const before = await count('publications');
    await Promise.all([h.tick(), other.app.scheduler.tick()]);
    pathsTried++;
    const announced = (await count('publications')) - before;
    const posts = [...h.adapter.posts, ...other.adapter.posts].filter((p) => p.reply.text.startsWith('📣 New from Bo: Fresh'));
    if (announced !== 1 || posts.length !== 1) duplicatesFound++;
    await other.app.close();
    expect(announced).toBe(1);
    expect(posts).toHaveLength(1);
  });
});
