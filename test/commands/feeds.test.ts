import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_ANNOUNCED_PER_POLL, MAX_FEED_ITEMS } from '../../src/domain/feed-items';
import { fetchPolicy } from '../../src/net/safe-fetch';
import { FEED_MAX_BYTES } from '../../src/services/feed-service';
import { atomFeed, type FixtureItem, mediumFeed, rssFeed } from '../fixtures/feeds';
import { Harness } from '../support/harness';
import { WebServer } from '../support/web-server';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.parse('2026-03-10T12:00:00Z');

describe('feeds', () => {
  let web: WebServer;
  let h: Harness;
  beforeAll(async () => {
    web = await WebServer.start();
  });
  afterAll(() => web.stop());
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z', settings: { feedPollMs: 5 * MINUTE } });
    await h.send(admin, '/setup Europe/London');
  });
  afterEach(() => h.close());

  const story = (n: number, publishedAt: number, extra: Partial<FixtureItem> = {}): FixtureItem => ({
    id: `1a2b3c4d5e${String(n).padStart(2, '0')}`,
    title: `Story ${n}`,
    link: `https://medium.com/@bo/story-${n}-1a2b3c4d5e${String(n).padStart(2, '0')}`,
    published: new Date(publishedAt),
    ...extra,
  });
  const announced = () => h.adapter.posts.filter((p) => p.reply.text.startsWith('📣')).map((p) => p.reply.text.split('\n')[0]);
  const poll = async () => {
    h.clock.advance(5 * MINUTE);
    await h.tick();
  };

  it('adds a feed after reading it, and announces nothing that was already in it', async () => {
    web.serve('/medium-1', mediumFeed('bo', [story(1, START - HOUR), story(2, START - 2 * HOUR)]));
    expect(await h.text('Bo', `/feed add ${web.url('/medium-1')}`)).toBe(
      `📡 Added "Stories by bo on Medium" (2 articles in it now, which I won't announce). New articles will be announced here within a few minutes of appearing.`,
    );
    await poll();
    expect(announced()).toEqual([]);
    expect(await h.text('Bo', '/feed list')).toBe(`Your feeds (1):\n• Stories by bo on Medium: ${web.url('/medium-1')}`);
  });

  it("GIVEN the fairness rule and a new article in the feed THEN its author is told by DM what to read first, titles shown as typed and pinging nobody", async () => {
    await h.send(admin, '/config fair_reads 1');
    await h.send('Cy', '/publish https://example.com/cy-1 <@&99> @everyone read me');
    web.serve('/medium-fair', mediumFeed('bo', [story(1, START - HOUR)]));
    await h.send('Bo', `/feed add ${web.url('/medium-fair')}`);
    web.serve('/medium-fair', mediumFeed('bo', [story(2, START + MINUTE, { title: 'New <#C1> @here' }), story(1, START - HOUR)]));
    await poll();
    const told = h.adapter.directMessages.filter((d) => d.to.userId === 'bo').map((d) => d.reply.text);
    expect(told).toEqual([
      'Your new article "New ‹#C1› @\u200bhere" is waiting: read 1 more of the group\'s recent articles, then share it with /publish.\n• ‹@&99› @\u200beveryone read me (https://example.com/cy-1)',
    ]);
  });

  it('announces a new article once, in order, and never one that was re-dated or reordered', async () => {
    web.serve('/medium-2', mediumFeed('bo', [story(1, START - HOUR)]));
    await h.send('Bo', `/feed add ${web.url('/medium-2')}`);
    web.serve('/medium-2', mediumFeed('bo', [story(3, START + 2 * MINUTE), story(2, START + MINUTE), story(1, START - HOUR)]));
    await poll();
    expect(announced()).toEqual(['📣 New from Bo: Story 2', '📣 New from Bo: Story 3']);
    // Medium re-dates old items and reorders them; their guids stay the same.
    web.serve('/medium-2', mediumFeed('bo', [story(1, START + 9 * MINUTE), story(2, START + 8 * MINUTE), story(3, START + 7 * MINUTE)]));
    await poll();
    await poll();
    expect(announced()).toHaveLength(2);
  });

  it('does not announce new items published more than a day ago', async () => {
    web.serve('/devto', rssFeed('devto', 'Bo on dev.to', []));
    await h.send('Bo', `/feed add ${web.url('/devto')}`);
    web.serve('/devto', rssFeed('devto', 'Bo on dev.to', [{ ...story(4, START - 30 * HOUR), link: 'https://dev.to/bo/old' }]));
    await poll();
    expect(announced()).toEqual([]);
  });

  it('announces two items that share a URL but differ in id only once', async () => {
    web.serve('/atom', atomFeed('Bo writes', []));
    await h.send('Bo', `/feed add ${web.url('/atom')}`);
    const link = 'https://bo.example/why-i-write';
    web.serve('/atom', atomFeed('Bo writes', [
      { id: 'tag:bo.example,2026:1', title: 'Why I write', link, published: new Date(START) },
      { id: 'tag:bo.example,2026:1-republished', title: 'Why I write (updated)', link: `${link}/?utm_source=feed`, published: new Date(START) },
    ]));
    await poll();
    expect(announced()).toEqual(['📣 New from Bo: Why I write']);
  });

  const ghost = (id: string, title: string, link: string, publishedAt: number): FixtureItem => ({ id, title, link, published: new Date(publishedAt) });

  it('never announces an article that was in the feed when it was added, even listed again under a new guid', async () => {
    web.serve('/ghost-moved', rssFeed('ghost', 'Bo on Ghost', [ghost('ghost-1', 'Why I Write', 'https://bo.ghost.io/why-i-write/', START - HOUR)]));
    await h.send('Bo', `/feed add ${web.url('/ghost-moved')}`);
    // A blog moved to a new platform lists its old articles again, under new guids and fresh dates.
    web.serve('/ghost-moved', rssFeed('ghost', 'Bo on Ghost', [
      ghost('new-platform-2', 'A Second Story', 'https://bo.ghost.io/a-second-story/', START + 2 * MINUTE),
      ghost('new-platform-1', 'Why I Write', 'https://bo.ghost.io/why-i-write/?ref=rss', START + MINUTE),
    ]));
    await poll();
    expect(announced()).toEqual(['📣 New from Bo: A Second Story']);
  });

  it('never announces again an article it announced, listed again under a new guid', async () => {
    web.serve('/ghost-again', rssFeed('ghost', 'Bo on Ghost', []));
    await h.send('Bo', `/feed add ${web.url('/ghost-again')}`);
    web.serve('/ghost-again', rssFeed('ghost', 'Bo on Ghost', [ghost('ghost-1', 'Why I Write', 'https://bo.ghost.io/why-i-write/', START + MINUTE)]));
    await poll();
    web.serve('/ghost-again', rssFeed('ghost', 'Bo on Ghost', [
      ghost('ghost-2', 'A Second Story', 'https://bo.ghost.io/a-second-story/', START + 7 * MINUTE),
      ghost('ghost-1-republished', 'Why I Write (updated)', 'https://bo.ghost.io/why-i-write/?utm_source=feed', START + 6 * MINUTE),
    ]));
    await poll();
    expect(announced()).toEqual(['📣 New from Bo: Why I Write', '📣 New from Bo: A Second Story']);
  });

  it('learns the link of an article it remembered by guid alone at the next poll, and then never announces it under a new guid', async () => {
    const first = ghost('ghost-1', 'Why I Write', 'https://bo.ghost.io/why-i-write/', START - HOUR);
    web.serve('/ghost-old', rssFeed('ghost', 'Bo on Ghost', [first]));
    await h.send('Bo', `/feed add ${web.url('/ghost-old')}`);
    // As a feed added before links were remembered: its items are known by guid only.
    await h.db.deleteFrom('feed_items').where('item_key', '!=', 'ghost-1').execute();
    web.serve('/ghost-old', rssFeed('ghost', 'Bo on Ghost', [ghost('ghost-2', 'Two', 'https://bo.ghost.io/two/', START + MINUTE), first]));
    await poll();
    web.serve('/ghost-old', rssFeed('ghost', 'Bo on Ghost', [
      ghost('ghost-3', 'Three', 'https://bo.ghost.io/three/', START + 7 * MINUTE),
      ghost('ghost-1-moved', 'Why I Write', 'https://bo.ghost.io/why-i-write', START + 6 * MINUTE),
    ]));
    await poll();
    expect(announced()).toEqual(['📣 New from Bo: Two', '📣 New from Bo: Three']);
  });

  it('asks with conditional GET and reads nothing when the feed has not changed', async () => {
    web.serve('/substack', rssFeed('substack', 'Bo’s Substack', [{ ...story(5, START - HOUR), link: 'https://bo.substack.com/p/five' }]));
    await h.send('Bo', `/feed add ${web.url('/substack')}`);
    await poll();
    await poll();
    const requests = web.requestsTo('/substack');
    expect(requests).toHaveLength(3);
    expect(requests.slice(1).every((r) => r.headers['if-none-match'] !== undefined)).toBe(true);
  });

  it.each([
    ['a 404', '/nothing-here', /the address was not found \(404\)/],
    ['a web page', '/html', /returns a web page, not an RSS or Atom feed/],
    ['malformed XML', '/broken', /not an RSS or Atom feed I can read/],
    ['a 10 MB response', '/huge', /larger than 512 KB/],
    ['an endless response', '/endless', /larger than 512 KB/],
  ])('refuses %s with the reason', async (_, path, reason) => {
    web.serve('/html', '<!DOCTYPE html><html><body>My blog</body></html>', 'text/html');
    web.serve('/broken', '<rss><channel><item><title>oops');
    web.route('/huge', (_req, res) => res.end(Buffer.alloc(10 * 1024 * 1024, 32)));
    web.route('/endless', (req, res) => {
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 32)), 1);
      req.on('close', () => clearInterval(timer));
    });
    const reply = await h.send('Bo', `/feed add ${web.url(path)}`);
    expect(reply).toMatchObject({ visibility: 'private', text: expect.stringMatching(reason) });
    expect(await h.db.selectFrom('feeds').selectAll().execute()).toEqual([]);
  });

  it(`reads the first ${MAX_FEED_ITEMS} items of a long feed, and refuses a feed over ${FEED_MAX_BYTES / 1024} KB whatever the fetch policy allows`, async () => {
    const roomy = await Harness.create({ settings: { fetchPolicy: { ...fetchPolicy({ allowPrivateHosts: true }), maxBytes: 16 * 1024 * 1024 } } });
    await roomy.send(admin, '/setup UTC');
    const items = (count: number) => Array.from({ length: count }, (_, n) => ({ ...story(n, START - 40 * HOUR), id: `big-${n}`, link: `https://example.com/${n}` }));
    web.serve('/long', rssFeed('wordpress', 'Long', items(1_000)));
    expect(await roomy.text('Bo', `/feed add ${web.url('/long')}`)).toMatch(/Added "Long" \(100 articles in it now/);
    web.serve('/big', rssFeed('wordpress', 'Big', items(10_000)));
    expect(await roomy.text('Bo', `/feed add ${web.url('/big')}`)).toMatch(/larger than 1024 KB/);
    expect(await h.text('Bo', `/feed add ${web.url('/big')}`)).toMatch(/larger than 512 KB/);
    await roomy.close();
  });

  it('GIVEN a feed flooded with items that link nowhere THEN it is refused, and a poll that finds it so counts a failure and backs off', async () => {
    const flood = `<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>${'<item/>'.repeat(60_000)}</channel></rss>`;
    web.serve('/flood', flood);
    expect(await h.send('Bo', `/feed add ${web.url('/flood')}`)).toMatchObject({
      visibility: 'private',
      text: `I couldn't add that feed: none of the ${MAX_FEED_ITEMS} items in that feed links to an article.`,
    });
    web.serve('/flooded', rssFeed('ghost', 'Bo on Ghost', []));
    await h.send('Bo', `/feed add ${web.url('/flooded')}`);
    web.serve('/flooded', flood);
    await poll();
    expect(await h.db.selectFrom('feeds').select(['failures', 'last_error', 'next_poll_at']).execute()).toEqual([
      { failures: 1, last_error: `none of the ${MAX_FEED_ITEMS} items in that feed links to an article`, next_poll_at: h.clock.now() + 10 * MINUTE },
    ]);
  });

  it('GIVEN a feed whose first item holds 100,000 tags THEN it is refused unread, naming how much is read', async () => {
    web.serve('/tags', `<?xml version="1.0"?><rss version="2.0"><channel><title>Tags</title><item><title>t</title><link>https://bo.example/t</link>${'<a/>'.repeat(100_000)}</item></channel></rss>`);
    expect(await h.text('Bo', `/feed add ${web.url('/tags')}`)).toBe(
      "I couldn't add that feed: that feed is too large to read: its first article does not end within 256 KB and 3,000 tags.",
    );
    expect(await h.db.selectFrom('feeds').selectAll().execute()).toEqual([]);
  });

  const other = { name: 'Bea', admin: true, workspace: 'wB', channel: 'b' };
  const wrapUpsIn = (workspace: string) => h.adapter.posts.filter((p) => p.to.workspaceId === workspace && p.reply.text.startsWith('⏱️ First hour over'));
  const feedAnnouncements = () => h.adapter.posts.filter((p) => p.to.workspaceId === 'w1' && p.reply.text.startsWith('📣')).map((p) => p.reply.text.split('\n')[0]);

  it(`GIVEN a feed listing ten new articles at once THEN a poll announces its newest ${MAX_ANNOUNCED_PER_POLL}, never the rest, and another group's wrap-up due then is posted without waiting for them`, async () => {
    await h.send(other, '/setup UTC');
    await h.send(other, '/config read_window 10');
    web.serve('/burst', mediumFeed('bo', []));
    await h.send('Bo', `/feed add ${web.url('/burst')}`);
    await h.send(other, '/publish https://bea.example/essay My essay');
    web.serve('/burst', mediumFeed('bo', Array.from({ length: 10 }, (_, n) => story(n + 1, START + (n + 1) * 10_000))));
    // The announcements of Bo's feed wait for their channel, as behind a platform's rate limit.
    let letThrough!: () => void;
    h.adapter.slowChannels.set('general', new Promise<void>((resolve) => (letThrough = resolve)));
    h.clock.set(START + 10 * MINUTE + 30_000); // Bea's first hour is over, and Bo's feed is due
    const round = h.tick();
    try {
      await vi.waitFor(() => expect(wrapUpsIn('wB')).toHaveLength(1), { timeout: 5000 });
      expect(feedAnnouncements()).toEqual([]);
    } finally {
      letThrough();
      await round;
    }
    expect(feedAnnouncements()).toEqual(['📣 New from Bo: Story 8', '📣 New from Bo: Story 9', '📣 New from Bo: Story 10']);
    expect(await h.db.selectFrom('feed_items').select('item_key').where('item_key', 'like', 'https://medium.com/p/%').execute()).toHaveLength(10);
    await poll();
    expect(feedAnnouncements()).toHaveLength(3);
  });

  it('GIVEN a feed whose announcements never get through THEN its poll gives up at its deadline, counts a failure and is not polled again until it backs off', async () => {
    const quick = await Harness.create({ now: '2026-03-10T12:00:00Z', settings: { feedPollMs: 5 * MINUTE, feedPollDeadlineMs: 300 } });
    try {
      await quick.send(admin, '/setup UTC');
      web.serve('/stuck', mediumFeed('bo', []));
      await quick.send('Bo', `/feed add ${web.url('/stuck')}`);
      web.serve('/stuck', mediumFeed('bo', [story(1, START + MINUTE)]));
      let letThrough!: () => void;
      quick.adapter.slowChannels.set('general', new Promise<void>((resolve) => (letThrough = resolve)));
      quick.clock.advance(5 * MINUTE);
      await quick.tick();
      const failed = { failures: 1, last_error: 'reading it and announcing its new articles took longer than 0.3 seconds', lease_until: null, next_poll_at: quick.clock.now() + 10 * MINUTE };
      expect(await quick.db.selectFrom('feeds').select(['failures', 'last_error', 'lease_until', 'next_poll_at']).execute()).toEqual([failed]);
      quick.clock.advance(3 * MINUTE); // past the lease, before the back-off
      await quick.tick();
      expect(web.requestsTo('/stuck')).toHaveLength(2);
      // The post that was waiting lands late; the abandoned poll writes nothing over its failure.
      letThrough();
      await vi.waitFor(async () => expect(await quick.db.selectFrom('feed_items').select('item_key').execute()).toEqual([{ item_key: 'https://medium.com/p/1a2b3c4d5e01' }]));
      expect(quick.adapter.posts.filter((p) => p.reply.text.startsWith('📣'))).toHaveLength(1);
      expect(await quick.db.selectFrom('feeds').select(['failures', 'last_error', 'lease_until', 'next_poll_at']).execute()).toEqual([failed]);
    } finally {
      await quick.close();
    }
  });

  it("GIVEN the group's workspace removed the app THEN a new article waits unannounced, the feed counts no failure, and it is announced once the app is back", async () => {
    web.serve('/away', mediumFeed('bo', [story(1, START - HOUR)]));
    await h.send('Bo', `/feed add ${web.url('/away')}`);
    h.adapter.uninstalled.add('w1');
    web.serve('/away', mediumFeed('bo', [story(2, START + MINUTE), story(1, START - HOUR)]));
    await poll();
    expect(announced()).toEqual([]);
    expect(await h.db.selectFrom('feeds').select(['failures', 'last_error']).execute()).toEqual([{ failures: 0, last_error: null }]);
    expect(await h.db.selectFrom('publications').select('title').execute()).toEqual([]);
    h.adapter.uninstalled.delete('w1');
    await poll();
    expect(announced()).toEqual(['📣 New from Bo: Story 2']);
    expect(h.errors).toEqual([]);
  });

  it('backs off a failing feed and tells the member once, after a day', async () => {
    web.serve('/flaky', rssFeed('ghost', 'Flaky', []));
    await h.send('Bo', `/feed add ${web.url('/flaky')}`);
    web.route('/flaky', (_req, res) => {
      res.statusCode = 500;
      res.end('down');
    });
    const gaps: number[] = [];
    for (let i = 0; i < 12; i++) {
      const [feed] = await h.db.selectFrom('feeds').select(['next_poll_at', 'failures']).execute();
      h.clock.set(feed!.next_poll_at);
      await h.tick();
      const [after] = await h.db.selectFrom('feeds').select(['next_poll_at']).execute();
      gaps.push(after!.next_poll_at - h.clock.now());
    }
    expect(gaps.slice(0, 4)).toEqual([10, 20, 40, 80].map((m) => m * MINUTE));
    expect(gaps.at(-1)).toBe(6 * HOUR);
    expect(h.adapter.directMessages).toHaveLength(1);
    expect(h.adapter.directMessages[0]!.to.userId).toBe('bo');
    expect(h.adapter.directMessages[0]!.reply.text).toMatch(/has not worked for a day \(the server answered 500\)/);
    const [failing] = await h.db.selectFrom('feeds').select(['failures', 'last_error']).execute();
    expect(failing).toEqual({ failures: 12, last_error: 'the server answered 500' });
  });

  it('removes a feed, and refuses a feed it cannot reach or is told twice', async () => {
    web.serve('/ghost', rssFeed('ghost', 'Ghost blog', []));
    await h.send('Bo', `/feed add ${web.url('/ghost')}`);
    expect(await h.text('Bo', `/feed add ${web.url('/ghost')}`)).toMatch(/already added that feed/);
    expect(await h.text('Bo', '/feed add')).toMatch(/\/feed add needs the feed's address/);
    expect(await h.text('Bo', `/feed remove ${web.url('/ghost/')}`)).toBe('Removed the feed "Ghost blog".');
    expect(await h.text('Bo', '/feed list')).toMatch(/You have no feeds/);
  });
});
