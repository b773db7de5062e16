import type { parseFeed as ParseFeed } from 'feedsmith';
import { cleanText } from '../core/clean-text';
import { canonicalUrl } from './canonical-url';

/** A feed read into what the bot needs: its title and its items, each with a stable identity. */
export interface FeedSnapshot {
  title: string;
  items: FeedItem[];
}

export interface FeedItem {
  /** The item's guid or Atom id; its canonical link when it has neither. Re-dated items keep it. */
  key: string;
  link: string;
  title: string;
  /** Epoch milliseconds, or null when the feed gives no usable date. */
  publishedAt: number | null;
}

export class FeedReadError extends Error {
  override readonly name = 'FeedReadError';
}

/** At most this many items are read from one feed: a 10,000-item feed costs no more than a normal one. */
export const MAX_FEED_ITEMS = 100;

type Text = string | { value?: string } | undefined;
/** A feed's text as one clean line: feeds are written by anyone, and their titles end up in posts and pictures. */
const text = (value: Text): string => cleanText(typeof value === 'string' ? value : (value?.value ?? '')).trim();

function date(...candidates: unknown[]): number | null {
  for (const candidate of candidates) {
    const parsed = candidate instanceof Date ? candidate.getTime() : typeof candidate === 'string' ? Date.parse(candidate) : Number.NaN;
    if (Number.isFinite(parsed)) return parsed;
  }
  return null;
}

function safeCanonical(link: string): string | undefined {
  try {
    return canonicalUrl(link);
  } catch {
    return undefined;
  }
}

function item(id: string | undefined, link: string | undefined, title: string, publishedAt: number | null): FeedItem | undefined {
  const cleanLink = link && cleanText(link).trim();
  if (!cleanLink || !/^https?:\/\//i.test(cleanLink)) return undefined;
  const key = id?.trim() || safeCanonical(cleanLink);
  if (!key) return undefined;
  return { key, link: cleanLink, title: title || cleanLink, publishedAt };
}

/**
 * What a seen item is remembered by: its key, and its canonical link too, so an article the feed lists
 * again under a new guid is still recognised (one key when they are the same, as for Medium).
 */
export function seenKeysOf(item: FeedItem): string[] {
  const link = safeCanonical(item.link);
  return link && link !== item.key ? [item.key, link] : [item.key];
}

/**
 * Parses RSS 2.0, Atom, RDF or JSON Feed text; anything else is a FeedReadError saying what it was.
 * The parser is loaded on first use: a process that reads no feeds never holds it in memory.
 */
export async function readFeed(content: string): Promise<FeedSnapshot> {
  const trimmed = content.trimStart();
  if (/^<!doctype html|^<html/i.test(trimmed)) throw new FeedReadError('that address returns a web page, not an RSS or Atom feed');
  const { parseFeed } = await import('feedsmith');
  let parsed: ReturnType<typeof ParseFeed>;
  try {
    parsed = parseFeed(content);
  } catch (error) {
    throw new FeedReadError(`that is not an RSS or Atom feed I can read (${(error as Error).message})`);
  }
  const items: (FeedItem | undefined)[] = [];
  let title = '';
  switch (parsed.format) {
    case 'rss': {
      const feed = parsed.feed;
      title = text(feed.title);
      for (const i of (feed.items ?? []).slice(0, MAX_FEED_ITEMS))
        items.push(item(i.guid?.value, i.link, text(i.title), date(i.pubDate, i.dc?.dates?.[0], i.atom?.updated)));
      break;
    }
    case 'atom': {
      const feed = parsed.feed;
      title = text(feed.title as Text);
      for (const e of (feed.entries ?? []).slice(0, MAX_FEED_ITEMS)) {
        const link = e.links?.find((l) => !l.rel || l.rel === 'alternate')?.href ?? e.links?.[0]?.href;
        items.push(item(e.id, link, text(e.title as Text), date(e.published, e.updated)));
      }
      break;
    }
    case 'rdf': {
      const feed = parsed.feed;
      title = text(feed.title);
      for (const i of (feed.items ?? []).slice(0, MAX_FEED_ITEMS)) items.push(item(i.rdf?.about, i.link, text(i.title), date(i.dc?.dates?.[0])));
      break;
    }
    case 'json': {
      const feed = parsed.feed;
      title = text(feed.title);
      for (const i of (feed.items ?? []).slice(0, MAX_FEED_ITEMS)) items.push(item(i.id, i.url, text(i.title), date(i.date_published, i.date_modified)));
      break;
    }
  }
  return { title: title || 'Untitled feed', items: items.filter((i): i is FeedItem => i !== undefined) };
}
