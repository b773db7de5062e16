import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MEMBER_DATA_TABLES } from '../../src/db/member.repository';
import { fetchPolicy } from '../../src/net/safe-fetch';
import { rssFeed } from '../fixtures/feeds';
import { Harness } from '../support/harness';
import { rowCounts } from '../support/row-counts';
import { WebServer } from '../support/web-server';

const admin = { name: 'Ada', admin: true };
/** Never seen by the bot before the command under test. */
const newcomer = 'Nell';

describe('a refused command writes nothing, not even the join of a newcomer', () => {
  let web: WebServer;
  let h: Harness;
  beforeAll(async () => {
    web = await WebServer.start();
    web.serve('/feed', rssFeed('substack', "Nell's notes", []));
  });
  afterAll(() => web.stop());
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup Europe/London channel:#reading');
    await h.send('Bo', '/log 100');
  });
  afterEach(() => h.close());

  const memberNames = async () => (await h.db.selectFrom('people').select('display_name').orderBy('id').execute()).map((p) => p.display_name);

  it('GIVEN a newcomer WHEN /feed add names an address that does not answer with a feed THEN no person, member or feed is stored', async () => {
    const before = await rowCounts(h.db);
    expect(await h.text(newcomer, `/feed add ${web.url('/missing')}`)).toMatch(/couldn't add that feed: the address was not found \(404\)/);
    expect(await h.text(newcomer, '/feed add http://127.0.0.1:1/feed')).toMatch(/couldn't add that feed/);
    expect(await rowCounts(h.db)).toEqual(before);
    expect(await h.text(newcomer, `/feed add ${web.url('/feed')}`)).toMatch(/^📡 Added "Nell's notes"/);
    expect(await memberNames()).toEqual(['Bo', 'Nell']);
  });

  it('GIVEN a newcomer WHEN /feed add names a private address THEN no person or member is stored', async () => {
    const strict = await Harness.create({ settings: { fetchPolicy: fetchPolicy({ timeoutMs: 2000 }) } });
    try {
      await strict.send(admin, '/setup Europe/London');
      const before = await rowCounts(strict.db);
      expect(await strict.text(newcomer, `/feed add ${web.url('/feed')}`)).toMatch(/points inside a private network/);
      expect(await rowCounts(strict.db)).toEqual(before);
      expect(await strict.text(newcomer, '/feed list')).toMatch(/You have no feeds/);
    } finally {
      await strict.close();
    }
  });

  it('GIVEN a newcomer WHEN /publish names an article already announced THEN nothing is stored', async () => {
    await h.send('Bo', '/publish https://example.com/story Story');
    const before = await rowCounts(h.db);
    expect(await h.text(newcomer, '/publish https://example.com/story/?utm_source=x Story')).toMatch(/already announced here/);
    expect(await rowCounts(h.db)).toEqual(before);
    expect(await memberNames()).toEqual(['Bo']);
  });

  it('GIVEN two newcomers WHEN they /publish the same article at the same moment THEN one is announced and the other leaves nothing', async () => {
    const before = await rowCounts(h.db);
    const replies = await Promise.all([h.text(newcomer, '/publish https://example.com/same Same'), h.text('Mo', '/publish https://example.com/same Same')]);
    expect(replies.filter((r) => r.startsWith('📣 Announced'))).toHaveLength(1);
    expect(replies.filter((r) => /already announced here/.test(r))).toHaveLength(1);
    expect(await rowCounts(h.db)).toEqual({ ...before, people: before.people! + 1, members: before.members! + 1, publications: 1, scheduled_jobs: 1 });
  });

  it('GIVEN a newcomer with reads to do first WHEN they /publish THEN nothing is stored, and once read it is announced', async () => {
    await h.send(admin, '/config fair_reads 1');
    await h.send('Bo', '/publish https://example.com/bo Bo writes');
    const before = await rowCounts(h.db);
    expect(await h.send(newcomer, '/publish https://example.com/nell Nell writes')).toMatchObject({ title: '1 more to read first' });
    expect(await rowCounts(h.db)).toEqual(before);
    const announcement = h.adapter.posts.find((p) => p.reply.text.startsWith('📣 New from Bo'))!;
    await h.press(newcomer, announcement.reply.buttons!.find((b) => b.action === 'read')!);
    expect(await h.text(newcomer, '/publish https://example.com/nell Nell writes')).toMatch(/^📣 Announced/);
  });

  it('GIVEN a newcomer WHEN the announcement channel refuses the post THEN no person, member, article or close job is left', async () => {
    h.adapter.brokenChannels.add('reading');
    const before = await rowCounts(h.db);
    expect(await h.text(newcomer, '/publish https://example.com/nell Nell writes')).toMatch(/couldn't post in the announcement channel/);
    expect(await rowCounts(h.db)).toEqual(before);
    h.adapter.brokenChannels.delete('reading');
    expect(await h.text(newcomer, '/publish https://example.com/nell Nell writes')).toMatch(/^📣 Announced/);
    expect(await memberNames()).toEqual(['Bo', 'Nell']);
    expect(await h.db.selectFrom('scheduled_jobs').select('subject').execute()).toHaveLength(1);
  });

  it('GIVEN a member WHEN the announcement channel refuses the post THEN the member stays and the article and its close job go', async () => {
    h.adapter.brokenChannels.add('reading');
    const before = await rowCounts(h.db);
    expect(await h.text('Bo', '/publish https://example.com/bo Bo writes')).toMatch(/couldn't post in the announcement channel/);
    expect(await rowCounts(h.db)).toEqual(before);
    expect(await memberNames()).toEqual(['Bo']);
  });

  it('GIVEN someone of the workspace who is a member of another group WHEN their post is refused here THEN only the new membership goes', async () => {
    await h.send({ ...admin, channel: 'poetry' }, '/setup Europe/London');
    await h.send({ name: newcomer, channel: 'poetry' }, '/timezone Asia/Kolkata');
    h.adapter.brokenChannels.add('reading');
    const before = await rowCounts(h.db);
    expect(await h.text(newcomer, '/publish https://example.com/nell Nell writes')).toMatch(/couldn't post in the announcement channel/);
    expect(await rowCounts(h.db)).toEqual(before);
    expect(await h.text({ name: newcomer, channel: 'poetry' }, '/streak')).toMatch(/^Nell's streak/);
  });

  it('GIVEN a newcomer WHEN /log gives a date outside the backfill window or in the future THEN nothing is stored', async () => {
    const before = await rowCounts(h.db);
    expect(await h.text(newcomer, '/log 300 date:2026-01-01')).toMatch(/too far back/);
    expect(await h.text(newcomer, '/log 300 date:2026-03-11')).toMatch(/in the future/);
    expect(await h.text(newcomer, '/log 300 date:someday')).toMatch(/is not a date/);
    expect(await rowCounts(h.db)).toEqual(before);
    expect(await h.text(newcomer, '/log 300 date:yesterday')).toMatch(/^Welcome to the group, Nell!/);
  });
});

describe('taking back a join', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup Europe/London');
  });
  afterEach(() => h.close());

  it('GIVEN a new member who has logged since joining WHEN the join is taken back THEN they and their log stay', async () => {
    const group = (await h.app.services.groups.find(h.conversation(admin)))!;
    const joining = await h.app.services.members.ensure(group, h.actor({ name: newcomer }));
    expect(joining).toMatchObject({ joined: true, newPerson: true });
    await h.send(newcomer, '/log 200');
    await h.app.services.members.undoJoin(joining);
    expect(await h.db.selectFrom('logs').select('words').execute()).toEqual([{ words: 200 }]);
    expect(await h.text(newcomer, '/streak')).toMatch(/^Nell's streak/);
  });

  it('GIVEN a new member who changed a setting since joining WHEN the join is taken back THEN they stay', async () => {
    const group = (await h.app.services.groups.find(h.conversation(admin)))!;
    const joining = await h.app.services.members.ensure(group, h.actor({ name: newcomer }));
    await h.send(newcomer, '/readers join');
    await h.app.services.members.undoJoin(joining);
    expect(await h.db.selectFrom('members').select('first_hour_reader').where('first_hour_reader', '=', 1).execute()).toHaveLength(1);
  });

  it("knows every table that holds a member's data, so none is emptied by a join taken back", () => {
    const sqlite = h.app.database.sqlite!;
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    const referencing = tables.filter((table) => (sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string }[]).some((fk) => fk.table === 'members'));
    expect([...MEMBER_DATA_TABLES].sort()).toEqual(referencing.sort());
  });
});
