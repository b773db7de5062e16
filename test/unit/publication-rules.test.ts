import { describe, expect, it } from 'vitest';
import { canonicalUrl, displayUrl } from '../../src/domain/canonical-url';
import { FEED_READ_CHARS, FEED_READ_MARKUP, FeedReadError, feedPrefix, MAX_FEED_ITEMS, readFeed, seenKeysOf } from '../../src/domain/feed-items';
import { isFirstHourRead, readingDebt } from '../../src/domain/publication';
import { slugTitle } from '../../src/domain/slug-title';
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

  it('keeps the link as given for display, less the tracking tails', () => {
    expect(displayUrl('https://medium.com/@bo/story-1a2b3c4d5e6f?sk=friend&utm_source=x')).toBe('https://medium.com/@bo/story-1a2b3c4d5e6f?sk=friend');
    expect(displayUrl('https://medium.com/@bo/story-1a2b3c4d5e6f?source=rss-abc------2')).toBe('https://medium.com/@bo/story-1a2b3c4d5e6f');
    expect(displayUrl('https://bo.example/post?ref=hn&page=2&fbclid=x')).toBe('https://bo.example/post?page=2');
  });
});

describe('titles from links', () => {
  it.each([
    ['Medium', 'https://medium.com/@bo/my-first-story-1a2b3c4d5e6f', 'My First Story'],
    ['Medium, short id', 'https://example.com/my-first-story-abc123', 'My First Story'],
    ['Medium, with a source tail', 'https://bo.medium.com/why-i-write-every-day-1a2b3c4d5e6f?source=rss-abc------2', 'Why I Write Every Day'],
    ['Medium publication', 'https://medium.com/the-writers-room/the-art-of-the-first-draft-0f1e2d3c4b5a', 'The Art of the First Draft'],
    ['Substack', 'https://bo.substack.com/p/my-post', 'My Post'],
    ['dev.to', 'https://dev.to/bo/my-post-3kd9', 'My Post'],
    ['dev.to, a suffix without digits is a word', 'https://dev.to/bo/learning-rust-fast', 'Learning Rust Fast'],
    ['Ghost', 'https://bo.ghost.io/notes-on-writing-in-public/', 'Notes on Writing in Public'],
    ['Hashnode', 'https://bo.hashnode.dev/getting-started-with-graphql', 'Getting Started with Graphql'],
    ['WordPress', 'https://bo.blog/2026/03/10/my-post/', 'My Post'],
    ['a file name', 'https://bo.example/essays/on_revision.html', 'On Revision'],
    ['a number in the title', 'https://bo.example/10-lessons-from-100-days', '10 Lessons from 100 Days'],
    ['letters someone capitalised', 'https://bo.example/why-iOS-devs-write', 'Why iOS Devs Write'],
    ['an encoded slug', 'https://bo.example/caf%C3%A9-mornings', 'Café Mornings'],
  ])('%s: %s is "%s"', (_, link, title) => expect(slugTitle(link)).toBe(title));

  it.each([
    ['a Medium short link', 'https://medium.com/p/1a2b3c4d5e6f', 'medium.com'],
    ['the home page', 'https://www.bo.example/', 'bo.example'],
    ['only a query', 'https://bo.example/?p=123', 'bo.example'],
    ['a date archive', 'https://bo.example/2026/03/', 'bo.example'],
    ['a profile', 'https://medium.com/@bo', 'medium.com'],
  ])('falls back to the host for %s', (_, link, title) => expect(slugTitle(link)).toBe(title));

  it('keeps control characters out of the title', () => {
    expect(slugTitle('https://bo.example/evil%0A%E2%80%AEtitle')).toBe('Evil Title');
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

  it(`GIVEN a feed of long articles THEN the parser is given only the items that end within ${FEED_READ_CHARS / 1024} KB, with the elements around them closed`, async () => {
    const article = `<p>${'A sentence of the article. '.repeat(1500)}</p>`; // 40 KB
    const long = rssFeed('ghost', 'Long reads', Array.from({ length: 20 }, (_, n) => item(n))).replace(/<p>body<\/p>/g, article);
    const prefix = await feedPrefix(long);
    expect(prefix).toMatchObject({ cut: true, items: 6 });
    expect(prefix.text.length).toBeLessThanOrEqual(FEED_READ_CHARS + 20);
    expect(prefix.text.endsWith('</item></channel></rss>')).toBe(true);
    expect((await readFeed(long)).items.map((i) => i.title)).toEqual(['Story 0', 'Story 1', 'Story 2', 'Story 3', 'Story 4', 'Story 5']);
    // RDF keeps its items beside the channel, under a prefixed root.
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://bo.example/"><title>RDF</title></channel>${Array.from({ length: 150 }, (_, n) => `<item rdf:about="https://bo.example/${n}"><title>S${n}</title><link>https://bo.example/${n}</link></item>`).join('')}</rdf:RDF>`;
    expect((await feedPrefix(rdf)).text.endsWith('</item></rdf:RDF>')).toBe(true);
    expect((await readFeed(rdf)).items).toHaveLength(MAX_FEED_ITEMS);
  });

  it(`GIVEN items of a thousand tags each THEN only those that end within ${FEED_READ_MARKUP.toLocaleString('en-US')} tags and attributes are read`, async () => {
    const heavy = Array.from({ length: 10 }, (_, n) => `<item><title>S${n}</title><link>https://bo.example/${n}</link>${'<b/>'.repeat(1000)}</item>`).join('');
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Heavy</title>${heavy}</channel></rss>`;
    expect(await feedPrefix(feed)).toMatchObject({ cut: true, items: 2 });
    expect((await readFeed(feed)).items.map((i) => i.title)).toEqual(['S0', 'S1']);
  });

  it('GIVEN a JSON Feed of thousands of items THEN only the first are read, and of them only what is needed', async () => {
    const items = Array.from({ length: 5_000 }, (_, n) => ({ id: `j${n}`, url: `https://bo.example/${n}`, title: `J${n}`, tags: Array.from({ length: 50 }, (_, t) => `t${t}`) }));
    const feed = await readFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Jay', items }));
    expect(feed.items).toHaveLength(MAX_FEED_ITEMS);
    expect(feed.items[0]).toEqual({ key: 'j0', link: 'https://bo.example/0', title: 'J0', publishedAt: null });
    await expect(readFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Jay', items: [{ id: 'x' }, { id: 'y' }] }))).rejects.toThrow(
      new FeedReadError('none of the 2 items in that feed links to an article'),
    );
  });
});

describe('first-hour reads and fairness', () => {
  it('counts a read up to and including the instant the window closes', () => {
    expect(isFirstHourRead(1000, { windowEndsAt: 1000 })).toBe(true);
    expect(isFirstHourRead(1001, { windowEndsAt: 1000 })).toBe(false);
  });

  it('asks for the reads still missing, and never more than the group has published', () => {
    const recent = [1, 2, 3].map((id) => ({ id, title: `T${id}`, url: `https://x/${id}`, authorName: 'Cy' }));
    expect(readingDebt(recent, new Set([2]), 2)).toEqual({ asked: 2, needed: 1, unread: [recent[0], recent[2]] });
    expect(readingDebt(recent, new Set([1, 2]), 2).needed).toBe(0);
    expect(readingDebt(recent.slice(0, 1), new Set(), 3)).toMatchObject({ asked: 1, needed: 1 });
    expect(readingDebt([], new Set(), 3).needed).toBe(0);
  });
});
