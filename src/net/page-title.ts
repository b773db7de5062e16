import { cleanText } from '../core/clean-text';
import { bodyText, FetchError, type FetchPolicy, safeFetch } from './safe-fetch';

/**
 * Reads a page's title the way link previews do: og:title, then twitter:title, then <title>.
 * The HTML parser is loaded on first use, so it takes no memory in a process that never needs it.
 */
export async function titleFromHtml(html: string): Promise<string | undefined> {
  const { Parser } = await import('htmlparser2');
  let og: string | undefined;
  let twitter: string | undefined;
  let title = '';
  let inTitle = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'title') inTitle = true;
        if (name !== 'meta') return;
        const key = (attributes.property ?? attributes.name ?? '').toLowerCase();
        if (key === 'og:title' && attributes.content) og ??= attributes.content;
        if (key === 'twitter:title' && attributes.content) twitter ??= attributes.content;
      },
      ontext(text) {
        if (inTitle) title += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  // A page is written by anyone, and its title ends up in posts and pictures: one clean line.
  const found = [og, twitter, title].map((t) => t && cleanText(t).replace(/\s+/g, ' ').trim()).find(Boolean);
  return found ? found.slice(0, 300) : undefined;
}

/** The title of the page at a URL, or undefined if it cannot be had quickly and safely. */
export async function fetchPageTitle(url: string, policy: FetchPolicy): Promise<string | undefined> {
  try {
    const page = await safeFetch(url, { policy: { ...policy, maxBytes: Math.min(policy.maxBytes, 1024 * 1024) }, headers: { accept: 'text/html' } });
    if (page.status !== 200) return undefined;
    return await titleFromHtml(bodyText(page));
  } catch (error) {
    if (error instanceof FetchError) return undefined;
    throw error;
  }
}
