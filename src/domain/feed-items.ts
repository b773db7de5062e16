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

/** Only items published this recently are announced: a feed is a doorbell, not an archive. */
export const NEW_ITEM_MAX_AGE_MS = 24 * 3_600_000;
/**
 * A writer publishes an article or two between polls: a feed listing more new ones at once (a
 * migrated blog, or one written to flood its group) has only its newest few announced per poll.
 */
export const MAX_ANNOUNCED_PER_POLL = 3;

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
 * Of a feed's new items, the ones to announce: the newest MAX_ANNOUNCED_PER_POLL published in the
 * last day (an item without a date counts as published now), oldest first, so they are announced in
 * the order they were written. The others are only remembered as seen.
 */
export function itemsToAnnounce(fresh: FeedItem[], now: number): FeedItem[] {
  const at = (item: FeedItem) => item.publishedAt ?? now;
  const recent = fresh.filter((item) => at(item) >= now - NEW_ITEM_MAX_AGE_MS);
  return recent.sort((a, b) => at(a) - at(b)).slice(-MAX_ANNOUNCED_PER_POLL);
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
