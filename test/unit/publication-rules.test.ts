import { describe, expect, it } from 'vitest';
import { canonicalUrl, displayUrl } from '../../src/domain/canonical-url';
import { FeedReadError, MAX_FEED_ITEMS, readFeed, seenKeysOf } from '../../src/domain/feed-items';
import { isFirstHourRead, readingDebt } from '../../src/domain/publication';
import { atomFeed, mediumFeed, rssFeed } from '../fixtures/feeds';

describe('canonical URLs', () => {
  it.each([
    ['https://Example.COM/post/', 'https://example.com/post'],
    ['http://example.com/post', 'https://example.com/post'],
    ['https://www.example.com/post#comments', 'https://example.com/post'],
    ['https://example.com/post?utm_source=x&utm_medium=y&b=2&a=1', 'https://example.com/post?a=1&b=2'],
    ['https://example.com:443/post?ref=hn&fbclid=abc', 'https://example.com/post'],
    ['https://medium.com/@bo/my-story-1a2b3c4d5e6f?source=rss-abc------2', 'https://medium.com/p/1a2b3c4d5e6f'],
    ['https://bo.medium.com/my-story-1a2b3c4d5e6f', 'https://medium.com/p/1a2b3c4d5e6f'],
    ['https://medium.com/p/1a2b3c4d5e6f', 'https://medium.com/p/1a2b3c4d5e6f'],
    ['https://medium.com/@bo/my-story-1a2b3c4d5e6f?sk=friendlink', 'https://medium.com/p/1a2b3c4d5e6f'],
  ])('%s is %s', (input, expected) => expect(canonicalUrl(input)).toBe(expected));

  it('keeps the link as given for display, less utm noise', () => {
    expect(displayUrl('https://medium.com/@bo/story-1a2b3c4d5e6f?sk=friend&utm_source=x')).toBe('https://medium.com/@bo/story-1a2b3c4d5e6f?sk=friend');
  });
});

const now = Date.parse('2026-03-10T12:00:00Z');
const item = (n: number) => ({ id: `id${n}`, title: `Story ${n}`, link: `https://example.com/story-${n}`, published: new Date(now - n * 3_600_000) });

describe('reading feeds', async () => {
  it('reads Medium RSS: guid as identity, dates, titles', async () => {
    const feed = await readFeed(mediumFeed('bo', [{ ...item(1), id: '1a2b3c4d5e6f', link: 'https://medium.com/@bo/story-1a2b3c4d5e6f' }]));
    expect(feed).toEqual({
      title: 'Stories by bo on Medium',
      items: [{ key: 'https://medium.com/p/1a2b3c4d5e6f', link: 'https://medium.com/@bo/story-1a2b3c4d5e6f?source=rss-abc123------2', title: 'Story 1', publishedAt: now - 3_600_000 }],
    });
  });

  it.each(['substack', 'ghost', 'wordpress', 'hashnode', 'devto'] as const)('reads %s RSS', async (kind) => {
    const feed = await readFeed(rssFeed(kind, `${kind} blog`, [item(1), item(2)]));
    expect(feed.title).toBe(`${kind} blog`);
    expect(feed.items.map((i) => [i.title, i.link, i.publishedAt])).toEqual([
      ['Story 1', 'https://example.com/story-1', now - 3_600_000],
      ['Story 2', 'https://example.com/story-2', now - 7_200_000],
    ]);
    expect(new Set(feed.items.map((i) => i.key)).size).toBe(2);
  });

  it('reads Atom: entry id as identity, published before updated', async () => {
    const feed = await readFeed(atomFeed('Atom blog', [{ ...item(1), id: 'tag:example.com,2026:1', updated: new Date(now) }]));
    expect(feed.items).toEqual([{ key: 'tag:example.com,2026:1', link: 'https://example.com/story-1', title: 'Story 1', publishedAt: now - 3_600_000 }]);
  });

  it('explains what is not a feed', async () => {
    await expect(readFeed('<!DOCTYPE html><html><body>Blog</body></html>')).rejects.toThrow(new FeedReadError('that address returns a web page, not an RSS or Atom feed'));
    await expect(readFeed('<rss><channel><item><title>broken')).rejects.toThrow(FeedReadError);
    await expect(readFeed('{"not": "a feed"}')).rejects.toThrow(FeedReadError);
  });

  it('remembers an item by its guid and by its canonical link, once when they are the same', async () => {
    expect(seenKeysOf({ key: 'tag:bo.example,2026:1', link: 'https://bo.example/why/?utm_source=feed', title: 'Why', publishedAt: null })).toEqual([
      'tag:bo.example,2026:1',
      'https://bo.example/why',
    ]);
    expect(seenKeysOf({ key: 'https://medium.com/p/1a2b3c4d5e6f', link: 'https://medium.com/@bo/story-1a2b3c4d5e6f?source=rss', title: 'S', publishedAt: null })).toEqual([
      'https://medium.com/p/1a2b3c4d5e6f',
    ]);
  });

  it(`reads at most ${MAX_FEED_ITEMS} items of a huge feed`, async () => {
    const feed = await readFeed(rssFeed('wordpress', 'Huge', Array.from({ length: 10_000 }, (_, n) => item(n))));
    expect(feed.items).toHaveLength(MAX_FEED_ITEMS);
  });
});

describe('first-hour reads and fairness', () => {
  it('counts a read up to and including the instant the window closes', () => {
    expect(isFirstHourRead(1000, { windowEndsAt: 1000 })).toBe(true);
    expect(isFirstHourRead(1001, { windowEndsAt: 1000 })).toBe(false);
  });

  it('asks for the reads still missing, and never more than the group has published', () => {
    const recent = [1, 2, 3].map((id) => ({ id, title: `T${id}`, url: `https://x/${id}`, authorName: 'Cy' }));
    expect(readingDebt(recent, new Set([2]), 2)).toEqual({ needed: 1, unread: [recent[0], recent[2]] });
    expect(readingDebt(recent, new Set([1, 2]), 2).needed).toBe(0);
    expect(readingDebt(recent.slice(0, 1), new Set(), 3).needed).toBe(1);
    expect(readingDebt([], new Set(), 3).needed).toBe(0);
  });
});
