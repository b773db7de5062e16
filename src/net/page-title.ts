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

/** A page's title, or in words why there is none ("it answered 404"), to tell the member. */
export type PageTitle = { title: string } | { title?: undefined; problem: string };

function problemOf(error: FetchError): string {
  switch (error.reason) {
    case 'http_status':
      return `it answered ${error.status ?? error.message}`;
    case 'timeout':
      return 'it did not answer in time';
    case 'blocked_address':
      return 'its address points inside a private network';
    case 'too_large':
      return 'it is too large';
    case 'too_many_redirects':
      return 'it redirects too many times';
    case 'bad_url':
      return 'that link cannot be opened';
    case 'network':
      return 'it could not be reached';
  }
}

/** The title of the page at a URL, or why it cannot be had quickly and safely. */
export async function readPageTitle(url: string, policy: FetchPolicy): Promise<PageTitle> {
  try {
    const page = await safeFetch(url, { policy: { ...policy, maxBytes: Math.min(policy.maxBytes, 1024 * 1024) }, headers: { accept: 'text/html' } });
    if (page.status !== 200) return { problem: `it answered ${page.status}` };
    const title = await titleFromHtml(bodyText(page));
    return title ? { title } : { problem: 'it has no title' };
  } catch (error) {
    if (error instanceof FetchError) return { problem: problemOf(error) };
    throw error;
  }
}

/** The title of the page at a URL, or undefined if it cannot be had quickly and safely. */
export async function fetchPageTitle(url: string, policy: FetchPolicy): Promise<string | undefined> {
  return (await readPageTitle(url, policy)).title;
}
