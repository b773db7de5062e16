import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../support/harness';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };
const linkIn = (text: string) => /(http:\/\/\S+\/g\/[\w-]{24})/.exec(text)?.[1];

describe('/dashboard', () => {
  let h: Harness;
  const logged: LogEntry[] = [];
  beforeEach(async () => {
    logged.length = 0;
    h = await Harness.create({ now: '2026-03-10T12:00:00Z', onLog: (entry) => logged.push(entry) });
    await h.send(admin, '/setup Europe/London');
  });
  afterEach(() => h.close());

  it('GIVEN the console THEN /setup shows the link at once, since nobody else reads that terminal', async () => {
    const setup = await h.text({ name: 'Ada', admin: true, channel: 'second' }, '/setup UTC');
    expect(setup.split('\n').at(-1)).toMatch(/^The group's web page: http:\/\/127\.0\.0\.1:3000\/g\/[\w-]{24}$/);
    expect(linkIn(setup)).toBe(linkIn(await h.text({ name: 'Bo', channel: 'second' }, '/dashboard')));
  });

  it('GIVEN any member THEN the link comes privately, the same each time, and only its hash is stored', async () => {
    const reply = await h.send('Bo', '/dashboard');
    expect(reply).toMatchObject({ visibility: 'private', text: expect.stringMatching(/^The group's page: http:\/\/127\.0\.0\.1:3000\/g\/[\w-]{24}\nAnyone holding the link/) });
    const link = linkIn(reply!.text)!;
    expect(linkIn(await h.text('Cy', '/dashboard link'))).toBe(link);
    const token = link.slice(-24);
    const stored = await h.db.selectFrom('page_tokens').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(logged)).not.toContain(token);
    expect(h.adapter.posts).toHaveLength(0);
  });

  it('GIVEN two groups THEN their links differ, and a rotation of one leaves the other', async () => {
    await h.send({ name: 'Zed', admin: true, channel: 'other' }, '/setup UTC');
    const ours = linkIn(await h.text('Bo', '/dashboard'))!;
    const theirs = linkIn(await h.text({ name: 'Zed', channel: 'other' }, '/dashboard'))!;
    expect(ours).not.toBe(theirs);
    const rotated = linkIn(await h.text(admin, '/dashboard rotate'))!;
    expect(rotated).not.toBe(ours);
    expect(linkIn(await h.text({ name: 'Zed', channel: 'other' }, '/dashboard'))).toBe(theirs);
    expect(await h.app.services.pages.open(ours.slice(-24))).toBeUndefined();
    expect((await h.app.services.pages.open(rotated.slice(-24)))?.group.channelId).toBe('general');
    expect((await h.app.services.pages.open(theirs.slice(-24)))?.group.channelId).toBe('other');
  });

  it('GIVEN a bad action THEN names it and what is accepted, privately', async () => {
    const before = await h.db.selectFrom('page_tokens').selectAll().execute();
    expect(await h.send(admin, '/dashboard share')).toEqual({ visibility: 'private', text: 'Bad value for action: "share". Expected one of: link, rotate.' });
    expect(await h.db.selectFrom('page_tokens').selectAll().execute()).toEqual(before);
  });

  it('GIVEN /privacy dashboard THEN it takes on and off, and /forget takes their writing out of the group calendar', async () => {
    expect(await h.text('Bo', '/privacy dashboard off')).toMatch(/hidden from the group's web page/);
    expect(await h.db.selectFrom('members').select('page_hidden').execute()).toEqual([{ page_hidden: 1 }]);
    expect(await h.text('Bo', '/privacy dashboard maybe')).toMatch(/maybe/);
    await h.send('Bo', '/log 300');
    h.clock.advance(10 * 24 * 3_600_000);
    const group = (await h.app.services.groups.find(h.conversation(admin)))!;
    const { days } = await h.app.services.pages.calendar(group);
    expect(days.get('2026-03-10')).toEqual({ writers: 1, words: 300 });
    expect(await h.db.selectFrom('group_calendar_days').select(['local_date', 'writers', 'words']).where('writers', '>', 0).execute()).toEqual([{ local_date: '2026-03-10', writers: 1, words: 300 }]);
    const forget = await h.send('Bo', '/forget');
    await h.press('Bo', forget!.buttons![0]!);
    expect(await h.db.selectFrom('group_calendar_days').selectAll().execute()).toEqual([]);
    expect((await h.app.services.pages.calendar(group)).days.get('2026-03-10')).toBeUndefined();
  });
});
