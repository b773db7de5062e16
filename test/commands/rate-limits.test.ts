import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply';
import { mediumFeed } from '../fixtures/feeds';
import { Harness, type Speaker } from '../support/harness';
import { WebServer } from '../support/web-server';

const START = Date.parse('2026-03-10T12:00:00Z');
const admin = { name: 'Ada', admin: true };
const otherAdmin = { name: 'Oz', admin: true, channel: 'other' };
const cy: Speaker = { name: 'Cy', channel: 'other' };
const PICTURE_REFUSAL = /^You're asking for pictures faster than I can draw them: try again in (\d+) seconds?\.$/;
const FETCH_REFUSAL = "You're asking me to read pages and feeds faster than I fetch them: try again in 20 seconds.";

const hasPicture = (reply: Reply | void) => reply?.images?.[0]?.fileName === 'streak-calendar.png';

describe('rate limits on expensive work', () => {
  let web: WebServer;
  let h: Harness;
  beforeAll(async () => {
    web = await WebServer.start();
    for (let n = 1; n <= 5; n++) {
      web.route(`/story-${n}`, (_, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(`<html><head><title>Story ${n}</title></head></html>`);
      });
      web.serve(`/feed-${n}`, mediumFeed(`writer${n}`, []));
    }
  });
  afterAll(() => web.stop());
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup Europe/London');
    await h.send(otherAdmin, '/setup Europe/London');
  });
  afterEach(() => h.close());

  it('GIVEN one member sending 2,000 /streak in a minute THEN only they are slowed, each refusal says when a picture is free, and they are served after it', async () => {
    for (const who of ['Ana', 'Bea', cy]) await h.send(who, '/log 300');
    const answeredAt: number[] = [];
    const wrongWaits: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const now = START + i * 30;
      h.clock.set(now);
      const reply = await h.send('Ana', '/streak');
      if (hasPicture(reply)) {
        answeredAt.push(now - START);
        continue;
      }
      // Five at once, then one every 10 s: the next picture is free 10 s after the bucket was last full.
      const freeAt = START + 10_000 * (answeredAt.length - 4);
      const expected = Math.ceil((freeAt - now) / 1000);
      const seconds = PICTURE_REFUSAL.exec(reply?.text ?? '')?.[1];
      if (reply?.visibility !== 'private' || Number(seconds) !== expected) wrongWaits.push(`at ${now - START} ms: ${reply?.text} (expected ${expected} s)`);
    }
    expect(answeredAt).toEqual([0, 30, 60, 90, 120, 10_020, 20_010, 30_000, 40_020, 50_010]);
    expect(wrongWaits).toEqual([]);
    expect(await h.text('Ana', '/streak')).toBe("You're asking for pictures faster than I can draw them: try again in 1 second.");

    // Right after the flood, another member of the group and a member of another group get their pictures.
    expect(hasPicture(await h.send('Bea', '/streak'))).toBe(true);
    expect(hasPicture(await h.send(cy, '/stats'))).toBe(true);
    // And once the wait is over, so does the member who flooded.
    h.clock.advance(30);
    expect(hasPicture(await h.send('Ana', '/streak'))).toBe(true);
  });

  it("GIVEN a whole group asking for pictures at once THEN the group's bucket limits it, and another group is answered", async () => {
    const writers = Array.from({ length: 40 }, (_, i) => `Writer${i}`);
    for (const who of [...writers, cy]) await h.send(who, '/log 100');
    const replies: (Reply | void)[] = [];
    for (const who of writers) replies.push(await h.send(who, '/streak'));
    expect(replies.slice(0, 30).every(hasPicture)).toBe(true);
    expect(replies.slice(30).map((r) => r?.text)).toEqual(Array(10).fill('This group is asking for pictures faster than I can draw them: try again in 1 second.'));
    expect(hasPicture(await h.send(cy, '/streak'))).toBe(true);
    h.clock.advance(1000);
    expect(hasPicture(await h.send('Writer30', '/streak'))).toBe(true);
  });

  it("GIVEN a whole group's burst of pictures at the same moment THEN the picture queue holds it all, and another group asking then gets its picture too", async () => {
    const writers = Array.from({ length: 30 }, (_, i) => `Writer${i}`);
    for (const who of [...writers, cy]) await h.send(who, '/log 100');
    const replies = await Promise.all([...writers, cy].map((who) => h.send(who, '/streak')));
    expect(replies.map(hasPicture)).toEqual(replies.map(() => true));
  });

  it('GIVEN /publish without a title too often THEN the page is not fetched and the member is told when to try again', async () => {
    for (let n = 1; n <= 3; n++) expect(await h.text('Bo', `/publish ${web.url(`/story-${n}`)}`)).toMatch(/^📣 Announced/);
    expect(await h.text('Bo', `/publish ${web.url('/story-4')}`)).toBe(FETCH_REFUSAL);
    expect(web.requestsTo('/story-4')).toEqual([]);
    // Nothing needs fetching when the title is given.
    expect(await h.text('Bo', `/publish ${web.url('/story-5')} My Own Title`)).toMatch(/^📣 Announced/);
    h.clock.advance(20_000);
    expect(await h.text('Bo', `/publish ${web.url('/story-4')}`)).toMatch(/^📣 Announced/);
    expect(h.adapter.posts.at(-1)!.reply.text).toMatch(/^📣 New from Bo: Story 4\n/);
  });

  it('GIVEN /feed add too often THEN the feed is not fetched and the member is told when to try again, while others still add theirs', async () => {
    for (let n = 1; n <= 3; n++) expect(await h.text('Bo', `/feed add ${web.url(`/feed-${n}`)}`)).toMatch(/^📡 Added/);
    expect(await h.text('Bo', `/feed add ${web.url('/feed-4')}`)).toBe(FETCH_REFUSAL);
    expect(web.requestsTo('/feed-4')).toEqual([]);
    expect(await h.text('Bea', `/feed add ${web.url('/feed-5')}`)).toMatch(/^📡 Added "Stories by writer5 on Medium"/);
    h.clock.advance(20_000);
    expect(await h.text('Bo', `/feed add ${web.url('/feed-4')}`)).toMatch(/^📡 Added "Stories by writer4 on Medium"/);
  });
});
