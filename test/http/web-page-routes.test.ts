import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type PageFixture, pageFixture, otherAdmin } from '../support/web-page-fixture';

/** The page without its pictures, for looking for names and numbers in text. */
const withoutSvg = (body: string) => body.replace(/<svg[\s\S]*?<\/svg>/g, '');
const hrefs = (body: string, kind: 'm' | 'a') => [...body.matchAll(new RegExp(`href="(/g/[^"/]+/${kind}/[^"]+)"`, 'g'))].map((m) => m[1]!);

/** A raw request, for methods and targets fetch will not send as they are. */
function raw(origin: string, method: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the group web page over HTTP', () => {
  let f: PageFixture;
  beforeAll(async () => {
    f = await pageFixture();
  });
  afterAll(() => f.close());

  it('GIVEN the group link THEN the boards show the seeded numbers, and hidden members are nowhere', async () => {
    const response = await fetch(f.link);
    expect(response.status).toBe(200);
    const body = withoutSvg(await response.text());
    expect(body).toMatch(/Words, this week.*Bo<\/a><\/td><td class="num">1,200.*Ada<\/a><\/td><td class="num">500.*Cy<\/a><\/td><td class="num">300/s);
    expect(body).toMatch(/Follower growth, this week.*Ada<\/a><\/td><td class="num">\+50 \(\+50\.0%\)/s);
    expect(body).toMatch(/The Long Road.*Bo<\/a>.*<td class="num">3<\/td><td class="num">1<\/td>/s);
    expect(body).toContain('someone wrote on 1 day, 11,000 words in all');
    // Di (hidden everywhere) and Ed (hidden from the page) wrote the most, yet appear nowhere.
    expect(body).not.toMatch(/\bDi\b|\bEd\b|5,000|4,000/);
    // Nor does the other group.
    expect(body).not.toMatch(/Zed|777/);
  });

  it('GIVEN a member link from the page THEN it shows their calendar, figures and articles', async () => {
    const page = await (await fetch(f.link)).text();
    const bo = /href="(\/g\/[^"]+\/m\/[^"]+)">Bo</.exec(page)![1]!;
    const response = await fetch(f.origin + bo);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('<h1>Bo</h1>');
    expect(body).toMatch(/<svg role="img" aria-labelledby="calendar-alt"/);
    expect(body).toContain('Streak calendar for Bo, the 26 weeks to 2026-03-10: 1 day logged');
    expect(withoutSvg(body)).toMatch(/Words this week<\/dt><dd>1,200/);
    expect(body).toContain('The Long Road');
    const ada = /href="(\/g\/[^"]+\/m\/[^"]+)">Ada</.exec(page)![1]!;
    const adaPage = await (await fetch(f.origin + ada)).text();
    expect(adaPage).toMatch(/<svg role="img" aria-labelledby="followers-alt"/);
    expect(adaPage).toMatch(/Follower growth over 12 weeks: the group went from 100 to 150 followers/);
  });

  it("GIVEN a running challenge THEN the group page shows its board with progress bars, the page-hidden and the other group's left out", async () => {
    const body = withoutSvg(await (await fetch(f.link)).text());
    const section = /<section aria-labelledby="challenges">([\s\S]*?)<\/section>/.exec(body)?.[1] ?? '';
    expect(section).toContain('spring: 10,000 words each, Sun 1 Mar – Tue 31 Mar');
    expect(section).toMatch(/<td class="num">1<\/td><td><a href="[^"]+">Bo<\/a><\/td><td><progress max="10000" value="1200" aria-label="Bo: 1,200 words of 10,000 words"><\/progress><\/td><td class="num">1,200 words<\/td>/);
    // Ed is first on the board in chat; on the page the places are counted again without him.
    expect(section).toMatch(/<td class="num">2<\/td><td><a href="[^"]+">Ada<\/a><\/td><td><progress max="10000" value="500"/);
    // Ed wrote 4,000 words for it, but is hidden from the page; Zed's challenge is another group's.
    expect(section).not.toMatch(/\bEd\b|4,000|zedathon|Zed/);
    expect(section).toContain('3 writers, 5,700 words in all');
  });

  it("GIVEN a member with a goal and a project THEN their page shows each with its pace and a progress bar", async () => {
    const page = await (await fetch(f.link)).text();
    const bo = /href="(\/g\/[^"]+\/m\/[^"]+)">Bo</.exec(page)![1]!;
    const body = withoutSvg(await (await fetch(f.origin + bo)).text());
    const section = /<section aria-labelledby="goals">([\s\S]*?)<\/section>/.exec(body)?.[1] ?? '';
    expect(section).toMatch(/<progress max="500" value="500"[^>]*><\/progress> Words: 1,200 of 500 today · reached ✔/);
    expect(section).toMatch(/<progress max="50000" value="1200"[^>]*><\/progress> Novel \(current\): 1,200 words of 50,000 by Tue 30 Jun · [\d,]+ a day to stay on pace/);
    // Ada has neither: her page leaves the section out.
    const ada = /href="(\/g\/[^"]+\/m\/[^"]+)">Ada</.exec(page)![1]!;
    expect(await (await fetch(f.origin + ada)).text()).not.toContain('aria-labelledby="goals"');
  });

  it('GIVEN the article link THEN it names the shown readers, first hour and later, and no platform ids', async () => {
    const page = await (await fetch(f.link)).text();
    const [article] = hrefs(page, 'a');
    const body = await (await fetch(f.origin + article)).text();
    expect(body).toMatch(/Read in the first hour \(3\)<\/h2><ul class="plain"><li>Ada<\/li><li>Cy<\/li><\/ul>/);
    expect(body).toMatch(/Read later \(1\)<\/h2><p class="muted">Nobody yet/);
    expect(body).not.toMatch(/\bDi\b|\bEd\b|>ada<|>bo<|userId/);
  });

  it('GIVEN any page THEN it carries the security headers, no caching by shared caches, and an ETag that answers 304', async () => {
    const response = await fetch(f.link);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe|http:|https:|\*/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(f.link, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const css = await fetch(`${f.origin}/assets/page.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toMatch(/prefers-color-scheme:dark/);
    expect((await fetch(`${f.origin}/assets/inter-400.ttf`)).headers.get('content-type')).toBe('font/ttf');
  });

  it("GIVEN this group's token and another group's member or article id THEN the same 404 as for an unknown page", async () => {
    const other = await (await fetch(f.otherLink)).text();
    const zed = hrefs(other, 'm')[0]!;
    const zedArticle = hrefs(other, 'a')[0]!;
    expect(other).toContain('Zed Writes');
    const ours = new URL(f.link).pathname;
    const unknown = await fetch(`${f.origin}/g/AAAAAAAAAAAAAAAAAAAAAAAA`);
    const unknownBody = await unknown.text();
    expect(unknown.status).toBe(404);
    for (const crossed of [zed.replace(/^\/g\/[^/]+/, ours), zedArticle.replace(/^\/g\/[^/]+/, ours)]) {
      const response = await fetch(f.origin + crossed);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(unknownBody);
    }
    // An article id is not a member id, nor the other way round.
    const [article] = hrefs(await (await fetch(f.link)).text(), 'a');
    const asMember = await fetch(f.origin + article!.replace('/a/', '/m/'));
    expect(asMember.status).toBe(404);
  });

  it('GIVEN a hidden member sealed for this link THEN their page is the 404 too', async () => {
    const { h } = f;
    // Ed and Di have ids; sealing them for this link is what a guessed URL would need.
    const access = (await h.app.services.pages.open(new URL(f.link).pathname.slice(3)))!;
    const members = await h.db.selectFrom('members').innerJoin('people', 'people.id', 'members.person_id').select(['members.id', 'people.display_name']).execute();
    for (const name of ['Di', 'Ed']) {
      const id = members.find((m) => m.display_name === name)!.id;
      const response = await fetch(`${f.link}/m/${await h.app.services.pages.ref(access, 'member', id)}`);
      expect(response.status).toBe(404);
    }
    const ada = members.find((m) => m.display_name === 'Ada')!.id;
    expect((await fetch(`${f.link}/m/${await h.app.services.pages.ref(access, 'member', ada)}`)).status).toBe(200);
  });

  it('GIVEN malformed paths, queries, long targets and other methods THEN small pages, never a stack trace', async () => {
    const unknownBody = await (await fetch(`${f.origin}/g/AAAAAAAAAAAAAAAAAAAAAAAA`)).text();
    for (const path of ['/', '/g/', '/g/short', '/g/%E0%A4%A', `/g/${'x'.repeat(24)}/m/%00`, '/g/../../etc/passwd', '/assets/../package.json', '/assets/nope.css']) {
      const response = await raw(f.origin, 'GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toBe(unknownBody);
    }
    const withQuery = await fetch(`${f.link}?a=%ZZ&&b[]=1`);
    expect(withQuery.status).toBe(200);
    const long = await raw(f.origin, 'GET', `${new URL(f.link).pathname}/${'a'.repeat(3000)}`);
    expect(long.status).toBe(414);
    const head = await raw(f.origin, 'HEAD', new URL(f.link).pathname);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    for (const method of ['OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await raw(f.origin, method, new URL(f.link).pathname);
      expect(response.status, method).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expect(response.body).toMatch(/<h1>Method not allowed<\/h1>/);
    }
    for (const response of [long, await raw(f.origin, 'GET', '/g/%E0%A4%A')]) expect(response.body).not.toMatch(/at \w+ \(|node_modules|Error:/);
  });

  it('GIVEN /dashboard rotate by an admin THEN the old link and its member links stop working, the new one works', async () => {
    const { h } = f;
    const oldLink = f.link;
    const oldMember = hrefs(await (await fetch(oldLink)).text(), 'm')[0]!;
    expect(await h.text('Bo', '/dashboard rotate')).toMatch(/^Only group admins can replace the page link/);
    expect((await fetch(oldLink)).status).toBe(200);
    const rotated = /(http:\/\/\S+)/.exec(await h.text(admin, '/dashboard rotate'))![1]!;
    expect(rotated).not.toBe(oldLink);
    expect((await fetch(oldLink)).status).toBe(404);
    expect((await fetch(f.origin + oldMember)).status).toBe(404);
    expect((await fetch(f.origin + oldMember.replace(/^\/g\/[^/]+/, new URL(rotated).pathname))).status).toBe(404);
    expect((await fetch(rotated)).status).toBe(200);
    expect(await h.text('Cy', '/dashboard')).toContain(rotated);
    // The other group's link is untouched.
    expect((await fetch(f.otherLink)).status).toBe(200);
    f.link = rotated;
  });

  it('GIVEN /config dashboard off, then public THEN the link is refused, then cacheable and indexable', async () => {
    const { h } = f;
    expect(await h.text(admin, '/config dashboard sometimes')).toBe('dashboard takes public, private, off (got "sometimes").');
    await h.text(admin, '/config dashboard off');
    h.clock.advance(60_000);
    expect((await fetch(f.link)).status).toBe(404);
    expect(await h.text('Bo', '/dashboard')).toMatch(/web page is off/);
    await h.text(admin, '/config dashboard public');
    h.clock.advance(60_000);
    const response = await fetch(f.link);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await response.text()).not.toContain('noindex');
    await h.text(admin, '/config dashboard private');
    expect((await fetch(f.otherLink)).headers.get('cache-control')).toBe('private, no-cache');
    expect(await h.text(otherAdmin, '/config')).toMatch(/dashboard: private/);
  });

  it('GIVEN a member hiding from the page THEN the next drawing leaves them out, and chat boards still show them', async () => {
    const { h } = f;
    h.clock.advance(60_000);
    expect(withoutSvg(await (await fetch(f.link)).text())).toMatch(/>Cy</);
    expect(await h.text('Cy', '/privacy dashboard off')).toMatch(/hidden from the group's web page/);
    h.clock.advance(60_000);
    expect(withoutSvg(await (await fetch(f.link)).text())).not.toMatch(/>Cy</);
    expect(await h.text('Cy', '/leaderboard words week')).toMatch(/Cy/);
    await h.text('Cy', '/privacy dashboard on');
    h.clock.advance(60_000);
    expect(withoutSvg(await (await fetch(f.link)).text())).toMatch(/>Cy</);
  });

  it('GIVEN a new log THEN the page keeps its drawing 10 s, then serves it once more while drawing the next, which follows', async () => {
    const { h } = f;
    const cyWords = async () => /Words, this week.*?>Cy<\/a><\/td><td class="num">([\d,]+)/s.exec(await (await fetch(f.link)).text())?.[1];
    h.clock.advance(60_000);
    expect(await cyWords()).toBe('300');
    await h.send('Cy', '/log 50');
    h.clock.advance(5_000);
    expect(await cyWords()).toBe('300');
    h.clock.advance(6_000);
    expect(await cyWords()).toBe('300');
    let seen = await cyWords();
    for (let i = 0; i < 100 && seen !== '350'; i++) seen = await cyWords();
    expect(seen).toBe('350');
  });

  it('GIVEN a display name and a title made of markup THEN the page shows them as text', async () => {
    const { h } = f;
    await h.send({ name: '<img src=x onerror=alert(1)>' }, '/log 10');
    h.clock.advance(60_000);
    const body = await (await fetch(f.link)).text();
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).not.toContain('<img');
    expect(body).not.toMatch(/<script/i);
  });
});

describe('the web page under a flood', () => {
  it('GIVEN one address asking faster than its allowance THEN 429 with Retry-After, while another address is served', async () => {
    const f = await pageFixture({ rate: { capacity: 5, refillEveryMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await fetch(f.link)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const refused = await fetch(f.link);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.text()).toMatch(/Too many requests/);
      // Behind a reverse proxy on the same host, the client it names has a bucket of its own.
      expect((await fetch(f.link, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(200);
      f.h.clock.advance(60_000);
      expect((await fetch(f.link)).status).toBe(200);
    } finally {
      await f.close();
    }
  });
});
