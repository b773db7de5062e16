import { setImmediate as nextTurn } from 'node:timers/promises';
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
/**
 * The parser holds the event loop while it works (on a small machine about 7 ms per thousand tags and
 * attributes, and 6 ms per 100 KB of text), so it is given only the items that end within this much
 * text and markup: a few tens of milliseconds at most. Feeds list their newest articles first, and a
 * real one spends a few dozen tags on an article (its body is one escaped or CDATA text), so what is
 * cut is old news.
 */
export const FEED_READ_CHARS = 256 * 1024;
export const FEED_READ_MARKUP = 3_000;
/** The tokenizer that finds where to cut is fed this much at a time, and lets the loop turn in between. */
const SCAN_SLICE_CHARS = 16 * 1024;

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

/** What of an XML feed the parser is given: all of it, or its first items with the elements still open after them closed. */
export interface FeedPrefix {
  text: string;
  /** Items (RSS or RDF items, Atom entries) that end in `text`. */
  items: number;
  cut: boolean;
}

const isItem = (name: string) => /^(?:[\w.-]+:)?(?:item|entry)$/i.test(name);

/**
 * The first items of an XML feed that fit MAX_FEED_ITEMS, FEED_READ_CHARS and FEED_READ_MARKUP,
 * found by a streaming tokenizer (htmlparser2, which skips CDATA and comments) a slice at a time, so
 * that a feed of a million tags costs the loop no more than a normal one. A feed whose first item
 * does not fit is a FeedReadError.
 */
export async function feedPrefix(content: string): Promise<FeedPrefix> {
  const { Parser } = await import('htmlparser2');
  const open: string[] = [];
  let markup = 0;
  let items = 0;
  let full = false;
  let cut: { end: number; open: string[] } | undefined;
  const parser = new Parser(
    {
      onopentagname(name) {
        open.push(name);
        markup++;
      },
      // Comments, CDATA sections and processing instructions cost the parser about what a tag does.
      onattribute: () => markup++,
      oncomment: () => markup++,
      oncdatastart: () => markup++,
      onprocessinginstruction: () => markup++,
      onclosetag(name) {
        open.pop();
        // Items are children of the root (Atom, RDF) or of the channel (RSS).
        if (full || open.length > 2 || !isItem(name)) return;
        if (markup > FEED_READ_MARKUP || parser.endIndex >= FEED_READ_CHARS) {
          full = true;
          return;
        }
        cut = { end: parser.endIndex + 1, open: [...open] };
        if (++items === MAX_FEED_ITEMS) full = true;
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  for (let at = 0; at < content.length && !full; at += SCAN_SLICE_CHARS) {
    parser.write(content.slice(at, at + SCAN_SLICE_CHARS));
    const more = at + SCAN_SLICE_CHARS < content.length;
    if (markup > FEED_READ_MARKUP || (more && at + SCAN_SLICE_CHARS >= FEED_READ_CHARS)) full = true;
    if (more) await nextTurn();
  }
  if (!full) return { text: content, items, cut: false };
  if (!cut) throw new FeedReadError(`that feed is too large to read: its first article does not end within ${FEED_READ_CHARS / 1024} KB and ${FEED_READ_MARKUP.toLocaleString('en-US')} tags`);
  const closing = cut.open.reverse().map((name) => `</${name}>`).join('');
  return { text: content.slice(0, cut.end) + closing, items, cut: true };
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the parser is given, and how many items it lists: a feed that lists some and yields none is no use. */
interface ToRead {
  readable: string | JsonObject;
  listed: number;
}

async function xmlToRead(content: string): Promise<ToRead> {
  const prefix = await feedPrefix(content);
  return { readable: prefix.text, listed: prefix.items };
}

/** A JSON Feed with only what is read of its first items, so the parser's work does not grow with the rest. */
function firstJsonItems(content: string): ToRead {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { readable: content, listed: 0 }; // the parser says what is wrong with it
  }
  if (!isObject(json) || !Array.isArray(json.items)) return { readable: content, listed: 0 };
  const pick = (i: unknown) => (isObject(i) ? { id: i.id, url: i.url, title: i.title, date_published: i.date_published, date_modified: i.date_modified } : i);
  const items = json.items.slice(0, MAX_FEED_ITEMS).map(pick);
  return { readable: { version: json.version, title: json.title, items }, listed: items.length };
}

/**
 * Parses RSS 2.0, Atom, RDF or JSON Feed text; anything else is a FeedReadError saying what it was,
 * and so is a feed whose items all lack a link (nothing in it could ever be announced).
 * The parsers are loaded on first use: a process that reads no feeds never holds them in memory.
 */
export async function readFeed(content: string): Promise<FeedSnapshot> {
  const trimmed = content.trimStart();
  if (/^<!doctype html|^<html/i.test(trimmed)) throw new FeedReadError('that address returns a web page, not an RSS or Atom feed');
  const { readable, listed } = trimmed.startsWith('{') ? firstJsonItems(trimmed) : await xmlToRead(content);
  const { parseFeed } = await import('feedsmith');
  let parsed: ReturnType<typeof ParseFeed>;
  try {
    parsed = parseFeed(readable, { maxItems: MAX_FEED_ITEMS });
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
  const usable = items.filter((i): i is FeedItem => i !== undefined);
  if (listed > 0 && usable.length === 0) throw new FeedReadError(`none of the ${listed} items in that feed links to an article`);
  return { title: title || 'Untitled feed', items: usable };
}
