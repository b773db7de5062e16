/**
 * One story, one key: the same article reached through different links (tracking parameters, a
 * trailing slash, letter case in the host, Medium's several URL shapes) canonicalises to one URL,
 * so it is announced at most once per group.
 */

/** Parameters that say where a reader came from, not which article: Medium's `source`, newsletters', ads'. */
const TRACKING_PARAMETERS = new Set(['source', 'ref', 'ref_src', 'fbclid', 'gclid', 'dclid', 'mc_cid', 'mc_eid', 'igshid']);

function isTracking(parameter: string): boolean {
  const key = parameter.toLowerCase();
  return key.startsWith('utm_') || TRACKING_PARAMETERS.has(key);
}

/** A Medium post id (medium.com and its subdomains): the hex suffix of a story slug, or /p/<id>. */
function mediumPostId(url: URL): string | undefined {
  if (!/(^|\.)medium\.com$/.test(url.hostname)) return undefined;
  const match = /^\/p\/([0-9a-f]{8,16})\/?$/.exec(url.pathname) ?? /-([0-9a-f]{10,16})\/?$/.exec(url.pathname);
  return match?.[1];
}

export function canonicalUrl(input: string): string {
  const url = new URL(input.trim());
  url.hash = '';
  url.hostname = url.hostname.toLowerCase().replace(/^www\./, '');
  if ((url.protocol === 'https:' && url.port === '443') || (url.protocol === 'http:' && url.port === '80')) url.port = '';
  const medium = mediumPostId(url);
  if (medium) return `https://medium.com/p/${medium}`;
  const keep = [...url.searchParams.entries()].filter(([name]) => !isTracking(name));
  keep.sort(([a], [b]) => a.localeCompare(b));
  url.search = new URLSearchParams(keep).toString();
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '');
  // Scheme does not make a different story; keep one.
  return url.toString().replace(/^http:/, 'https:');
}

/** The link to show: as the author gave it (a friend link's `sk` still works), without the tracking tails. */
export function displayUrl(input: string): string {
  const url = new URL(input.trim());
  for (const name of [...url.searchParams.keys()]) if (isTracking(name)) url.searchParams.delete(name);
  return url.toString();
}
