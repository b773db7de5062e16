import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../src/core/reply';
import { Harness } from '../support/harness';
import { WebServer } from '../support/web-server';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;

describe('publications', () => {
  let web: WebServer;
  let h: Harness;
  beforeAll(async () => {
    web = await WebServer.start();
    web.route('/story', (_, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<html><head><title>Site</title><meta property="og:title" content="Why I Write Every Day"></head></html>');
    });
  });
  afterAll(() => web.stop());
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup Europe/London channel:#reading');
  });
  afterEach(() => h.close());

  const announcements = () => h.adapter.posts.filter((p) => p.reply.text.startsWith('📣 New from'));
  const readButton = (post: { reply: Reply }) => post.reply.buttons!.find((b) => b.action === 'read')!;

  it('announces in the announcement channel with the fetched title, a link, a read button and when the hour closes', async () => {
    const reply = await h.send('Bo', `/publish ${web.url('/story')}`);
    expect(reply).toMatchObject({ visibility: 'private', text: expect.stringMatching(/^📣 Announced in <#reading>. The first hour closes <t:\d+:R>./) });
    const [post] = announcements();
    const closes = Math.floor((Date.parse('2026-03-10T12:00:00Z') + 60 * MINUTE) / 1000);
    expect(post!.to.channelId).toBe('reading');
    expect(post!.reply.text).toBe(`📣 New from Bo: Why I Write Every Day\n${web.url('/story')}\nFirst hour closes <t:${closes}:R>: 0 reads so far.`);
    expect(post!.reply.buttons).toEqual([
      { action: '', label: 'Read it', url: web.url('/story') },
      { action: 'read', payload: expect.stringMatching(/^\d+$/), label: 'I read it' },
      { action: 'respond', payload: expect.stringMatching(/^\d+$/), label: 'Respond' },
    ]);
    expect(post!.reply.pings).toBeUndefined();
  });

  it('uses the given title, or the words of the link when the page cannot be read', async () => {
    await h.send('Bo', `/publish ${web.url('/other')} My Own Title`);
    await h.send('Cy', `/publish ${web.url('/missing-page')}`);
    expect(announcements().map((p) => p.reply.text.split('\n')[0])).toEqual(['📣 New from Bo: My Own Title', '📣 New from Cy: Missing Page']);
  });

  it('announces an article whose page answers 404 under its slug, shows its clean link once, and tells only the author', async () => {
    const link = web.url('/@cy/my-first-story-abc123def456');
    const reply = await h.send('Cy', `/publish ${link}?source=rss-abc------2`);
    const [post] = announcements();
    expect(post!.reply.text.split('\n').slice(0, 2)).toEqual(['📣 New from Cy: My First Story', link]);
    expect(post!.reply.text.split(web.url('')).length - 1).toBe(1);
    expect(post!.reply.buttons![0]).toEqual({ action: '', label: 'Read it', url: link });
    expect(reply!.visibility).toBe('private');
    expect(reply!.text.split('\n')[1]).toBe(
      `I couldn't read the page (it answered 404), so I used the title "My First Story". If that's wrong, send /publish ${link} <the right title> before the first hour closes and I'll rename the announcement.`,
    );
  });

  it('says so when the page has no title', async () => {
    web.route('/untitled-notes', (_, res) => res.end('<html><body>Hello</body></html>'));
    expect(await h.text('Cy', `/publish ${web.url('/untitled-notes')}`)).toMatch(/couldn't read the page \(it has no title\), so I used the title "Untitled Notes"/);
  });

  it("GIVEN an article announced in the evening far west of UTC THEN publishing it again names the group's day it was announced", async () => {
    await h.send(admin, '/config timezone America/Los_Angeles');
    h.at('2026-03-10 20:00', 'America/Los_Angeles'); // already Wednesday in UTC
    await h.send('Bo', '/publish https://example.com/a-story A Story');
    expect(await h.text('Cy', '/publish https://example.com/a-story')).toMatch(/already announced here on 2026-03-10 \("A Story"\)/);
  });

  it('renames the announcement when its author gives the title within the first hour, and only then', async () => {
    await h.send('Cy', `/publish ${web.url('/my-first-story-abc123def456')}`);
    const [post] = announcements();
    expect(await h.text('Bo', `/publish ${web.url('/my-first-story-abc123def456')} Not Yours`)).toMatch(/already announced here on 2026-03-10 \("My First Story"\)/);
    h.clock.advance(30 * MINUTE);
    expect(await h.text('Cy', `/publish ${web.url('/my-first-story-abc123def456?utm_source=x')} My First Story, Really`)).toBe('✏️ Renamed the announcement to "My First Story, Really".');
    const edit = h.adapter.edits.at(-1)!;
    expect(edit.ref.messageId).toBe(post!.messageId);
    expect(edit.reply.text).toMatch(/^📣 New from Cy: My First Story, Really\n/);
    h.clock.advance(31 * MINUTE);
    expect(await h.text('Cy', `/publish ${web.url('/my-first-story-abc123def456')} Too Late`)).toMatch(/already announced here on 2026-03-10 \("My First Story, Really"\)/);
    expect(h.adapter.edits).toHaveLength(1);
    expect(announcements()).toHaveLength(1);
  });

  it('announces one URL once per group, however its link is dressed', async () => {
    await h.send('Bo', '/publish https://Example.com/post/ Title');
    for (const variant of ['https://example.com/post?utm_source=twitter', 'http://www.example.com/post#top']) {
      expect(await h.text('Cy', `/publish ${variant} Again`)).toMatch(/already announced here on 2026-03-10 \("Title"\)/);
    }
    expect(announcements()).toHaveLength(1);
    await h.send({ ...admin, channel: 'other' }, '/setup UTC');
    await h.send({ name: 'Bo', channel: 'other' }, '/publish https://example.com/post Title');
    expect(announcements()).toHaveLength(2);
  });

  it('pings the opted-in readers, never the author, and nobody else', async () => {
    await h.send('Cy', '/readers join');
    await h.send('Di', '/readers join');
    await h.send('Di', '/readers leave');
    await h.send('Bo', '/readers join');
    await h.send('Bo', '/publish https://example.com/a A');
    expect(announcements()[0]!.reply.pings).toEqual({ users: ['cy'] });
  });

  it('counts one read per member, declines the author, and classifies the window boundary exactly', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    const button = readButton(announcements()[0]!);
    expect((await h.press('Bo', button))!.text).toMatch(/your own article/);
    h.clock.advance(60 * MINUTE);
    expect((await h.press('Cy', button))!.text).toBe('✅ Counted: a first-hour read. Thank you!');
    expect((await h.press('Cy', button))!.text).toMatch(/already counted this one/);
    h.clock.advance(1);
    expect((await h.press('Di', button))!.text).toMatch(/Counted as a later read/);
    const reads = await h.db.selectFrom('reads').select(['first_hour']).orderBy('id').execute();
    expect(reads).toEqual([{ first_hour: 1 }, { first_hour: 0 }]);
  });

  it('counts a double click delivered twice at once exactly once', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    const button = readButton(announcements()[0]!);
    const replies = await Promise.all([h.press('Cy', button, 'click-1'), h.press('Cy', button, 'click-2')]);
    expect(replies.map((r) => r!.text).sort()).toEqual(['You already counted this one: each read counts once.', '✅ Counted: a first-hour read. Thank you!']);
    expect(await h.db.selectFrom('reads').selectAll().execute()).toHaveLength(1);
  });

  it('updates the count in place, at most one edit per interval however many clicks', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    const button = readButton(announcements()[0]!);
    for (const name of ['Cy', 'Di', 'Ed', 'Fa', 'Gu']) await h.press(name, button);
    await vi.waitFor(() => expect(h.adapter.edits).toHaveLength(1));
    expect(h.adapter.edits[0]!.reply.text).toMatch(/1 read so far/);
    // The later clicks wait for the interval, on the bot's clock: nothing more until it has passed.
    h.clock.advance(999);
    await h.press('Hu', button);
    expect(h.adapter.edits).toHaveLength(1);
    h.clock.advance(1);
    await vi.waitFor(() => expect(h.adapter.edits).toHaveLength(2));
    expect(h.adapter.edits.at(-1)!.reply.text).toMatch(/6 reads so far/);
    expect(h.adapter.edits.at(-1)!.ref.messageId).toBe(announcements()[0]!.messageId);
  });

  it('closes the window once: one wrap-up naming the first-hour readers, and the final state', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    const button = readButton(announcements()[0]!);
    await h.press('Cy', button);
    h.clock.advance(30 * MINUTE);
    await h.press('Di', button);
    await h.tick();
    expect(h.adapter.posts.filter((p) => p.reply.text.startsWith('⏱️'))).toHaveLength(0);
    h.clock.advance(30 * MINUTE);
    await h.tick();
    await h.tick();
    const wrapUps = h.adapter.posts.filter((p) => p.reply.text.startsWith('⏱️'));
    expect(wrapUps.map((p) => [p.to.channelId, p.reply.text, p.reply.pings])).toEqual([
      ['reading', '⏱️ First hour over for "A" by Bo: 2 first-hour reads: Cy, Di', undefined],
    ]);
    expect(h.adapter.edits.at(-1)!.reply.text).toMatch(/The first hour closed <t:\d+:R> with 2 first-hour reads./);
  });

  it('after downtime past the catch-up limit, closes the window quietly: the announcement shows the final count, no late wrap-up', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    await h.press('Cy', readButton(announcements()[0]!));
    await h.send('Bo', '/publish https://example.com/b B');
    // The windows closed 13 hours ago: past the 12 hours within which missed posts are still made.
    h.clock.advance(14 * 60 * MINUTE);
    await h.tick();
    expect(h.adapter.posts.filter((p) => p.reply.text.startsWith('⏱️'))).toEqual([]);
    const closed = h.adapter.edits.filter((e) => /The first hour closed/.test(e.reply.text));
    expect(closed.map((e) => e.ref.messageId).sort()).toEqual(announcements().map((p) => p.messageId).sort());
    expect(closed.find((e) => e.ref.messageId === announcements()[0]!.messageId)!.reply.text).toMatch(/with 1 first-hour read\./);
    const jobs = await h.db.selectFrom('scheduled_jobs').select(['job', 'state']).where('job', '=', 'first-hour-close').execute();
    expect(jobs.map((j) => j.state)).toEqual(['skipped', 'skipped']);
  });

  it('still closes the window, once, after a restart', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    h.clock.advance(61 * MINUTE);
    const restarted = await h.anotherProcess();
    await h.app.close();
    await restarted.app.scheduler.tick();
    await restarted.app.scheduler.tick();
    expect(restarted.adapter.posts.filter((p) => p.reply.text.startsWith('⏱️'))).toHaveLength(1);
    const third = await h.anotherProcess();
    await third.app.scheduler.tick();
    expect(third.adapter.posts).toHaveLength(0);
    await restarted.app.close();
    await third.app.close();
  });

  it('takes over a wrap-up whose process died after claiming it, and never posts it twice', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    h.clock.advance(61 * MINUTE);
    await h.db.updateTable('scheduled_jobs').set({ state: 'claimed', claimed_by: 'dead-process', claimed_at: h.clock.now() }).execute();
    await h.tick();
    expect(h.adapter.posts.filter((p) => p.reply.text.startsWith('⏱️'))).toHaveLength(0);
    h.clock.advance(11 * MINUTE);
    await h.tick();
    await h.tick();
    expect(h.adapter.posts.filter((p) => p.reply.text.startsWith('⏱️'))).toHaveLength(1);
    expect(await h.db.selectFrom('scheduled_jobs').select(['state', 'message_id']).execute()).toEqual([{ state: 'done', message_id: expect.any(String) }]);
  });

  it('does not post a wrap-up again when its process died after the post went out but before recording it', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    h.clock.advance(61 * MINUTE);
    await h.tick();
    const wrapUps = () => h.adapter.posts.filter((p) => p.reply.text.startsWith('⏱️'));
    const [posted] = wrapUps();
    expect(posted!.once).toEqual({ key: expect.stringMatching(/^job:\d+$/) });
    // The platform has the wrap-up; the process died before recording it, and before closing the window.
    await h.db.updateTable('scheduled_jobs').set({ state: 'claimed', claimed_by: 'dead-process', message_id: null }).execute();
    await h.db.updateTable('publications').set({ closed_at: null }).execute();
    h.clock.advance(11 * MINUTE);
    await h.tick();
    expect(wrapUps()).toHaveLength(1);
    expect(h.adapter.repeats.map((r) => [r.messageId, r.once.key])).toEqual([[posted!.messageId, posted!.once!.key]]);
    expect(await h.db.selectFrom('scheduled_jobs').select(['state', 'message_id']).execute()).toEqual([{ state: 'done', message_id: posted!.messageId }]);
  });

  it('asks for reads first when the group has the fairness rule on, and lists what to read', async () => {
    await h.send(admin, '/config fair_reads 1');
    expect(await h.text('Cy', '/publish https://example.com/cy-1 Cy One')).toMatch(/^📣 Announced/);
    expect(await h.text('Di', '/publish https://example.com/di-1 Di One')).toMatch(/1 more to read|read at least 1/);
    await h.press('Di', readButton(announcements()[0]!));
    expect(await h.text('Di', '/publish https://example.com/di-1 Di One')).toMatch(/^📣 Announced/);
    const refused = await h.send('Bo', '/publish https://example.com/bo-1 Bo One');
    expect(refused).toMatchObject({ visibility: 'private', title: '1 more to read first' });
    expect(refused!.text).toMatch(/^This group reads each other's work: read at least 1 of the latest articles by others before sharing your own\./);
    expect(refused!.text).toMatch(/• Di One by Di: https:\/\/example.com\/di-1\n• Cy One by Cy/);
    expect(refused!.text).not.toMatch(/pay|trade|earn|owe/i);
    expect(announcements()).toHaveLength(2);
    await h.press('Bo', readButton(announcements()[0]!));
    expect(await h.text('Bo', '/publish https://example.com/bo-1 Bo One')).toMatch(/^📣 Announced/);
  });

  it('lists every article a member is asked to read, and asks no more than the group has published', async () => {
    await h.send(admin, '/config fair_window 15');
    for (let i = 1; i <= 3; i++) await h.send(`W${i}`, `/publish https://example.com/early-${i} Early ${i}`);
    await h.send(admin, '/config fair_reads 12');
    // Only three articles by others so far: three are asked, not twelve.
    expect(await h.text('Bo', '/publish https://example.com/bo-early Bo Early')).toMatch(/read at least 3 of the latest articles by others[\s\S]*3 more to go/);
    await h.send(admin, '/config fair_reads 0');
    for (let i = 4; i <= 15; i++) await h.send(`W${i}`, `/publish https://example.com/article-${i} Article ${i}`);
    await h.send(admin, '/config fair_reads 12');
    const refused = await h.text('Bo', '/publish https://example.com/bo-1 Bo One');
    expect(refused).toMatch(/read at least 12 of the latest articles by others[\s\S]*12 more to go/);
    expect(refused.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(12);
  });

  it('shows reads given, received and the balance over 30 days', async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    await h.send('Cy', '/publish https://example.com/c C');
    await h.press('Cy', readButton(announcements()[0]!));
    await h.press('Di', readButton(announcements()[0]!));
    h.clock.advance(2 * 60 * MINUTE);
    await h.press('Bo', readButton(announcements()[1]!));
    const bo = await h.send('Bo', '/reads');
    expect(bo!.fields).toEqual([
      { label: 'Reads given', value: '1 (0 in the first hour)' },
      { label: 'Reads received', value: '2 (2 in the first hour)' },
      { label: 'Balance', value: '-1: others read you more than you read them' },
      { label: 'Responses given', value: '0' },
      { label: 'Responses received', value: '0' },
    ]);
    expect(bo!.title).toBe('Your reads, last 30 days');
    expect((await h.send('Bo', '/reads Cy'))!.fields![2]!.value).toBe('0: even');
    const di = await h.send('Bo', '/reads Di');
    expect(di).toMatchObject({ title: "Di's reads, last 30 days" });
    expect(di!.fields![2]!.value).toBe('+1: reads others more than others read them');
  });

  it("refuses a read button pressed from another workspace or another group's channel, and a button whose article is gone", async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    const button = readButton(announcements()[0]!);
    const refusal = 'That article belongs to another group: press I read it on its own announcement.';
    expect((await h.press({ name: 'Mallory', workspace: 'w2' }, button))!.text).toBe(refusal);
    // Another group of the same workspace, pressing with this article's payload.
    await h.send({ name: 'Ola', admin: true, channel: 'other' }, '/setup UTC');
    expect((await h.press({ name: 'Mallory', channel: 'other' }, button))!.text).toBe(refusal);
    expect(await h.db.selectFrom('members').innerJoin('people', 'people.id', 'members.person_id').select('people.user_id').where('people.user_id', '=', 'mallory').execute()).toEqual([]);
    expect((await h.press('Cy', { ...button, payload: '999999' }))!.text).toMatch(/That announcement is gone/);
    expect(await h.db.selectFrom('reads').selectAll().execute()).toHaveLength(0);
  });

  it('refuses bad links with the reason', async () => {
    expect(await h.text('Bo', '/publish ftp://example.com/x')).toMatch(/Bad value for url: "ftp:\/\/example.com\/x". Expected an http:\/\/ or https:\/\/ link/);
    expect(await h.text('Bo', '/publish')).toMatch(/\/publish needs url/);
  });
});
