import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { Clock } from '../core/clock';
import { LruCache } from '../domain/lru-cache';
import { type BucketSize, FULL_BUCKET, isFull, takeToken } from '../domain/token-bucket';
import type { DashboardMode } from '../domain/group';
import type { Logger } from '../logger';
import type { PageAccess, WebPageService } from '../services/web-page-service';
import { html, pageDocument, problemPage } from './page-html';
import { dateIn, GROUP_SECTIONS, MEMBER_SECTIONS, type PageContext } from './page-sections';
import { PAGE_CSS } from './page-style';

/** Nothing but the bot's own stylesheet, fonts and inline SVG; no script, no frame, no form. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The page's icon: a quill's nib, in the links' blue. */
const ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0550ae"/><path d="M9 23 21 8c2 1 3 2 3 4L12 26l-4 1z" fill="#fff"/></svg>';

/** How long a drawn page is served as it is; requests while it is being drawn share the one drawing. */
export const PAGE_FRESH_MS = 10_000;
/** Up to this age a stale page is still served at once while its next drawing is made; older, a request waits for a new one. */
export const PAGE_STALE_MS = 60_000;
/** Requests per address: a burst of 60, then one every half second. */
export const PAGE_RATE: BucketSize = { capacity: 60, refillEveryMs: 500 };

export interface WebPageOptions {
  pages: WebPageService;
  clock: Clock;
  logger: Logger;
  rate?: BucketSize;
  freshMs?: number;
  staleMs?: number;
}

interface Drawn {
  /** The page's UTF-8 bytes, encoded once for every request that is served it. */
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** A page being drawn, or drawn: `done` once it is (undefined for a 404), `refreshing` while its successor is drawn. */
interface Drawing {
  at: number;
  page: Promise<Drawn | undefined>;
  done?: Drawn | undefined;
  finished?: boolean;
  refreshing?: boolean;
}

const require = createRequire(import.meta.url);
const fontFile = (weight: string, file: string) => readFileSync(require.resolve(`@expo-google-fonts/inter/${weight}/${file}`));

/** The bot's fonts and stylesheet: the same bytes for every group, cacheable anywhere. */
function assets(): Map<string, { body: Uint8Array; type: string; etag: string }> {
  const entries: [string, Uint8Array, string][] = [
    ['page.css', Buffer.from(PAGE_CSS), 'text/css; charset=utf-8'],
    ['icon.svg', Buffer.from(ICON_SVG), 'image/svg+xml'],
    ['inter-400.ttf', fontFile('400Regular', 'Inter_400Regular.ttf'), 'font/ttf'],
    ['inter-600.ttf', fontFile('600SemiBold', 'Inter_600SemiBold.ttf'), 'font/ttf'],
  ];
  return new Map(entries.map(([name, body, type]) => [name, { body, type, etag: etagOf(body) }]));
}

function etagOf(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** The caching a page of this mode allows: a public page may be kept by shared caches a minute; a private one only by the browser, asking first. */
function cacheControl(mode: DashboardMode): string {
  return mode === 'public' ? 'public, max-age=60' : 'private, no-cache';
}

/** The address to rate-limit: the peer, or the client a reverse proxy on the same host names. */
function clientAddress(incoming: IncomingMessage | undefined): string {
  const peer = incoming?.socket.remoteAddress ?? 'unknown';
  if (peer !== '127.0.0.1' && peer !== '::1' && peer !== '::ffff:127.0.0.1') return peer;
  const forwarded = incoming?.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(',').at(-1)?.trim();
  return last && last.length <= 64 ? last : peer;
}

/**
 * The group's web page as a Hono app: `/g/<token>` (the group), `/g/<token>/m/<member>` and
 * `/g/<token>/a/<article>`, and the shared `/assets/*`. Anything else, an unknown or replaced token, or
 * an id sealed for another link, is the same 404; methods other than GET and HEAD are 405. Each page is
 * drawn once for all requests that arrive while it is fresh, and carries an ETag.
 */
export function webPageApp(options: WebPageOptions): Hono<{ Bindings: HttpBindings }> {
  const { pages, clock, logger } = options;
  const rate = options.rate ?? PAGE_RATE;
  const freshMs = options.freshMs ?? PAGE_FRESH_MS;
  const staleMs = Math.max(freshMs, options.staleMs ?? PAGE_STALE_MS);
  const files = assets();
  const buckets = new LruCache<number>(10_000);
  const drawn = new LruCache<Drawing>(500);
  const app = new Hono<{ Bindings: HttpBindings }>();

  const problem = (c: Context, status: 404 | 405 | 414 | 429 | 500, extra: Record<string, string> = {}) => {
    for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, 'cache-control': 'no-store', ...extra })) c.header(name, value);
    return c.html(problemPage(status), status);
  };

  app.onError((error, c) => {
    logger.error({ err: error }, 'web page failed');
    return problem(c, 500);
  });
  app.notFound((c) => problem(c, 404));

  app.use('*', async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return problem(c, 405, { allow: 'GET, HEAD' });
    const address = clientAddress(c.env?.incoming);
    const now = clock.now();
    const taken = takeToken(rate, buckets.get(address) ?? FULL_BUCKET, now);
    if (!taken.ok) return problem(c, 429, { 'retry-after': String(Math.ceil(taken.waitMs / 1000)) });
    if (isFull(taken.state, now)) buckets.delete(address);
    else buckets.set(address, taken.state);
    await next();
  });

  app.get('/assets/:name', (c) => {
    const file = files.get(c.req.param('name'));
    if (!file) return problem(c, 404);
    for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, 'cache-control': 'public, max-age=86400', etag: file.etag })) c.header(name, value);
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': file.type });
  });

  /** Serves a page drawn by `draw` for the group the token opens, or the 404. */
  const serve = (c: Context, key: (access: PageAccess) => string, draw: (ctx: PageContext) => Promise<{ title: string; heading: string; crumbs?: ReturnType<typeof html>; body: ReturnType<typeof html> } | undefined>) =>
    (async () => {
      const access = await pages.open(c.req.param('token') ?? '');
      if (!access) return problem(c, 404);
      const cacheKey = `${access.group.id}:${access.salt}:${key(access)}`;
      const now = clock.now();
      const startDrawing = () => {
        const ctx = pageContext(c.req.param('token')!, access, pages, now);
        const page = draw(ctx).then((content) => {
          if (!content) return undefined;
          const body = Buffer.from(pageDocument({ ...content, indexable: access.group.dashboard === 'public' })) as Uint8Array<ArrayBuffer>;
          return { body, etag: etagOf(body) };
        });
        const fresh: Drawing = { at: now, page };
        page.then(
          (done) => {
            fresh.done = done;
            fresh.finished = true;
            drawn.set(cacheKey, fresh);
          },
          // A drawing that failed is not served again.
          () => {
            if (drawn.get(cacheKey) === fresh) drawn.delete(cacheKey);
          },
        );
        return fresh;
      };
      let entry = drawn.get(cacheKey);
      if (!entry || now - entry.at >= staleMs) {
        entry = startDrawing();
        drawn.set(cacheKey, entry);
      } else if (now - entry.at >= freshMs && entry.finished && !entry.refreshing) {
        // Stale but recent: served as it is while the next drawing is made, once.
        entry.refreshing = true;
        const served = entry;
        startDrawing().page.catch(() => (served.refreshing = false));
      }
      const page = await entry.page;
      if (!page) return problem(c, 404);
      const headers = { ...SECURITY_HEADERS, 'cache-control': cacheControl(access.group.dashboard), etag: page.etag, vary: 'Accept-Encoding' };
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
      if (c.req.header('if-none-match') === page.etag) return c.body(null, 304);
      return c.body(page.body, 200, { 'content-type': 'text/html; charset=UTF-8' });
    })();

  app.get('/g/:token', (c) =>
    serve(c, () => 'group', async (ctx) => {
      const sections = await Promise.all(GROUP_SECTIONS.map((section) => section(ctx)));
      return { title: 'The group’s writing', heading: 'The group’s writing', body: html`${sections.filter(Boolean)}` };
    }),
  );

  app.get('/g/:token/m/:ref', (c) =>
    serve(c, () => `m:${c.req.param('ref')}`, async (ctx) => {
      const memberId = await pages.idOf(ctx.access, 'member', c.req.param('ref'));
      const page = memberId === undefined ? undefined : await pages.member(ctx.group, memberId);
      if (!page) return undefined;
      const sections = await Promise.all(MEMBER_SECTIONS.map((section) => section(ctx, page)));
      return { title: page.member.displayName, heading: page.member.displayName, crumbs: groupCrumb(c.req.param('token')!), body: html`${sections.filter(Boolean)}` };
    }),
  );

  app.get('/g/:token/a/:ref', (c) =>
    serve(c, () => `a:${c.req.param('ref')}`, async (ctx) => {
      const articleId = await pages.idOf(ctx.access, 'article', c.req.param('ref'));
      const page = articleId === undefined ? undefined : await pages.article(ctx.group, articleId);
      if (!page) return undefined;
      const { article, readers } = page;
      const list = (first: boolean) => {
        const names = readers.filter((r) => r.firstHour === first);
        return names.length ? html`<ul class="plain">${names.map((r) => html`<li>${r.name}</li>`)}</ul>` : html`<p class="muted">Nobody yet.</p>`;
      };
      const body = html`<p>By <a href="${await ctx.memberHref(article.authorId)}">${article.authorName}</a>, announced ${dateIn(ctx.group, article.announcedAt)} (${ctx.group.timezone}). <a href="${safeLink(article.url)}" rel="noreferrer noopener">Read the article</a></p>
<div class="grid"><section class="card" aria-labelledby="first-hour"><h2 id="first-hour">Read in the first hour (${article.firstHourReads})</h2>${list(true)}</section>
<section class="card" aria-labelledby="later"><h2 id="later">Read later (${article.laterReads})</h2>${list(false)}</section></div>`;
      return { title: article.title, heading: article.title, crumbs: groupCrumb(c.req.param('token')!), body };
    }),
  );

  return app;
}

function groupCrumb(token: string) {
  return html`<nav class="crumbs" aria-label="Breadcrumb"><a href="/g/${token}">← The group’s page</a></nav>`;
}

/** An article's own address, only if it is http(s): a stored link is never a script. */
function safeLink(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

function pageContext(token: string, access: PageAccess, pages: WebPageService, now: number): PageContext {
  // A member on several boards is linked to once.
  const hrefs = new Map<string, Promise<string>>();
  const href = (kind: 'member' | 'article', id: number) => {
    const key = `${kind}:${id}`;
    let known = hrefs.get(key);
    // Paths from the root of this server, whatever PUBLIC_URL a proxy puts in front of it.
    if (!known) hrefs.set(key, (known = pages.ref(access, kind, id).then((ref) => `/g/${token}/${kind === 'member' ? 'm' : 'a'}/${ref}`)));
    return known;
  };
  let hidden: Promise<Set<number>> | undefined;
  return {
    access,
    group: access.group,
    pages,
    now,
    pageHidden: () => (hidden ??= pages.pageHidden(access.group)),
    memberHref: (id) => href('member', id),
    articleHref: (id) => href('article', id),
  };
}

/** The app as a Node request listener, for the bot's HTTP server. */
export function webPageListener(options: WebPageOptions): RequestListener {
  const app = webPageApp(options);
  return getRequestListener(app.fetch) as unknown as RequestListener;
}
