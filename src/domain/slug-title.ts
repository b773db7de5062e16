import { cleanText } from '../core/clean-text';

/**
 * A readable title from an article's link, for when its page cannot be read: the slug
 * ("/@bo/my-first-story-1a2b3c4d5e6f" is "My First Story"), else the site's name. Blogging platforms
 * put the title in the path's last meaningful segment and decorate it with ids, dates and extensions.
 */

/** Path segments that say where an article lives, not what it is called. */
const NOT_A_TITLE = new Set(['p', 'post', 'posts', 'blog', 'article', 'articles', 'amp', 'index', 'story', 'stories']);
/** A post id after the slug's last hyphen, as Medium adds: hex mixing letters and digits, or a long number. */
const POST_ID = /-(?:(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,12}|\d{8,12})$/;
/** dev.to's random suffix ("my-post-3kd9"): a short token mixing letters and digits. */
const DEVTO_SUFFIX = /-(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{2,6}$/;
const FILE_EXTENSION = /\.(html?|php|aspx?|jsp|md|txt)$/i;
/** Words that stay lower case inside a title. */
const MINOR_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'from', 'in', 'into', 'nor', 'of', 'on', 'or', 'the', 'to', 'vs', 'via', 'with']);

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function titleCase(words: string[]): string {
  return words
    .map((word, i) => {
      const lower = word.toLowerCase();
      if (i > 0 && i < words.length - 1 && MINOR_WORDS.has(lower)) return lower;
      // A slug is lower case by convention; a word someone capitalised on purpose ("iOS", "GraphQL") stays as it is.
      if (word !== lower) return word;
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(' ');
}

function titleOfSegment(segment: string, host: string): string | undefined {
  let slug = cleanText(decode(segment)).trim().replace(FILE_EXTENSION, '');
  if (slug.startsWith('@') || NOT_A_TITLE.has(slug.toLowerCase())) return undefined;
  slug = slug.replace(POST_ID, '');
  if (host === 'dev.to') slug = slug.replace(DEVTO_SUFFIX, '');
  const words = slug.split(/[-_+\s]+/).filter(Boolean);
  // A date part (/2026/03/10/), a bare id or a number is not a title.
  if (words.length === 0 || words.every((w) => /^\d+$/.test(w)) || (words.length === 1 && /^(?=.*\d)[0-9a-f]{6,}$/i.test(words[0]!))) return undefined;
  return titleCase(words);
}

export function slugTitle(link: string): string {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return cleanText(link).trim();
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const segments = url.pathname.split('/').filter(Boolean);
  for (const segment of segments.reverse()) {
    const title = titleOfSegment(segment, host);
    if (title) return title;
  }
  return host;
}
