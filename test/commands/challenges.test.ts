import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';
import { rowCounts } from '../support/row-counts';

const admin = { name: 'Ada', admin: true };
const DAY = 86_400_000;

describe('challenges', () => {
  let h: Harness;
  afterEach(() => h.close());

  const start = async (now = '2026-10-28T12:00:00Z', zone = 'UTC') => {
    h = await Harness.create({ now });
    await h.send(admin, `/setup ${zone}`);
  };
  /** Noon on a November day, then a scheduler round. */
  const onDay = async (day: number) => {
    h.clock.set(Date.parse(`2026-11-${String(day).padStart(2, '0')}T12:00:00Z`));
    await h.tick();
  };
  const wrapUps = () => h.adapter.posts.filter((p) => p.reply.text.startsWith('🏁') && p.reply.text.includes('is over'));

  it('runs November over a faked month: members join late, the board ranks by pace, the digest tells, the wrap-up names who reached 50,000 once', async () => {
    await start();
    expect(await h.text(admin, '/challenge create november')).toBe(
      '🏁 Challenge created: november · 50,000 words each, Sun 1 Nov – Mon 30 Nov. Members join with /challenge join november.',
    );
    await h.send('Bo', '/challenge join');
    await h.send('Di', '/challenge join november');
    // October's words do not count.
    await h.send('Bo', '/log 9000');
    expect(await h.text('Bo', '/challenge')).toMatch(/^🏁 november · 50,000 words each, Sun 1 Nov – Mon 30 Nov · starts Sun 1 Nov\n2 writers, 0 words in all/);
    for (let day = 1; day <= 30; day++) {
      await onDay(day);
      if (day === 16) expect(await h.text('Cy', '/challenge join')).toMatch(/^🏁 You're in november/);
      await h.send('Bo', '/log 2000');
      await h.send('Di', '/log 1000');
      if (day >= 16) await h.send('Cy', '/log 3500');
      if (day === 20) {
        // Cy has fewer words than Di but joined on the 16th: par from then puts Cy ahead.
        expect(await h.text('Di', '/challenge')).toBe(
          [
            '🏁 november · 50,000 words each, Sun 1 Nov – Mon 30 Nov · day 20 of 30',
            '3 writers, 77,500 words in all',
            '1. Bo: 40,000 words, 80% of the target (120% of par)',
            '2. Cy: 17,500 words, 35% of the target (105% of par, joined Mon 16 Nov)',
            '3. Di: 20,000 words, 40% of the target (60% of par)',
          ].join('\n'),
        );
      }
    }
    const digest = h.adapter.posts.find((p) => p.reply.text.startsWith('📬 Weekly digest: Mon 16 Nov'));
    // The digest of the week to Sunday the 22nd, posted on Monday morning: par as of the 22nd.
    expect(digest!.reply.text).toContain('🏁 november: 3 writers, 90,500 words in all. On pace: 1. Bo 120% of par · 2. Cy 105% of par · 3. Di 60% of par');
    expect(wrapUps()).toEqual([]);
    await h.tick();
    h.clock.set(Date.parse('2026-12-01T00:05:00Z'));
    await h.tick();
    await h.tick();
    const [wrap] = wrapUps();
    expect(wrap!.reply.text).toBe(
      [
        '🏁 november is over (Sun 1 Nov – Mon 30 Nov)',
        '3 writers, 142,500 words in all.',
        'Reached 50,000 words: Bo, Cy. 🎉',
        '1. Bo: 60,000 words',
        '2. Cy: 52,500 words',
        '3. Di: 30,000 words',
      ].join('\n'),
    );
    const [image] = wrap!.reply.images!;
    expect(image!.alt).toBe('november: the group: 142,500 of 150,000 words from 1 Nov to 30 Nov; par for day 30 of 30 is 150,000.');
    expect(PNG.sync.read(Buffer.from(image!.png)).width).toBe(1200);
    h.clock.advance(DAY);
    await h.tick();
    expect(wrapUps()).toHaveLength(1);
    expect(await h.text('Eve', '/challenge join november')).toBe('"november" ended on Mon 30 Nov: there is nothing left to join.');
  });

  it('counts days written for six months, and articles for publish-weekly, from their start', async () => {
    await start('2026-11-01T12:00:00Z');
    await h.send(admin, '/challenge create six-months');
    await h.send(admin, '/challenge create publish-weekly 2026-11-02');
    await h.send('Bo', '/challenge join six-months');
    await h.send('Bo', '/challenge join publish-weekly');
    for (let day = 1; day <= 3; day++) {
      await onDay(day);
      await h.send('Bo', '/log 100');
    }
    await h.send('Bo', '/publish https://example.com/a A');
    expect(await h.text('Bo', '/challenge board six-months')).toMatch(/^🏁 six-months · 180 days each, Sun 1 Nov – Thu 29 Apr · day 3 of 180\n1 writer, 3 days in all\n1\. Bo: 3 days, 1% of the target \(100% of par\)$/);
    expect(await h.text('Bo', '/challenge board publish-weekly')).toMatch(/^🏁 publish-weekly · 12 articles each, Mon 2 Nov – Sun 24 Jan · day 2 of 84\n1 writer, 1 article in all\n1\. Bo: 1 article, 8% of the target \(/);
  });

  it('lets only admins create, and refuses bad input with one private line, writing nothing', async () => {
    await start('2026-11-01T12:00:00Z');
    await h.send(admin, '/challenge create november');
    await h.send('Bo', '/log 100');
    const before = await rowCounts(h.db);
    const refusals: [string, string | typeof admin, RegExp][] = [
      ['/challenge create spring 2027-03-01 2027-03-31', 'Bo', /^Only admins can create a challenge/],
      ['/challenge create november', admin, /^This group already has a challenge called "november"/],
      ['/challenge create spring 2027-03-31 2027-03-01', admin, /^A challenge cannot end \(2027-03-01\) before it starts \(2027-03-31\)\.$/],
      ['/challenge create spring 2027-03-01 2027-03-31 pages', admin, /^A challenge counts words, days, publish, or is a preset/],
      ['/challenge create spring 2027-03-01 2027-03-31 words 0', admin, /target is a whole number from 1 to 10,000,000; got 0/],
      ['/challenge create spring 2027-03-01 2027-03-31 days 40', admin, /from 1 to 31; got 40/],
      ['/challenge create spring 2026-03-01 2026-03-31', admin, /^That challenge would be over already/],
      ['/challenge create spring 2027-02-30 2027-03-31', admin, /^The start of a challenge is a date, YYYY-MM-DD/],
      ['/challenge create spring 2027-01-01 2028-06-01', admin, /lasts at most 366 days/],
      ['/challenge create spring', admin, /needs its start and end dates/],
      ['/challenge join autumn', 'Bo', /^This group has no challenge called "autumn"/],
    ];
    for (const [line, who, reason] of refusals) {
      const reply = await h.send(who, line);
      expect(reply, line).toMatchObject({ visibility: 'private', text: expect.stringMatching(reason) });
      expect(reply!.text.split('\n'), line).toHaveLength(1);
    }
    expect(await rowCounts(h.db)).toEqual(before);
    expect(h.errors).toEqual([]);
  });

  it('GIVEN a group with 10 challenges open THEN an eleventh is refused with one private line naming the limit, writing nothing; another group still creates its own, and the first may once one is over', async () => {
    await start('2026-11-01T12:00:00Z');
    // The first ends today; the others run to the end of the month.
    await h.send(admin, '/challenge create c1 2026-11-01 2026-11-01 words 100');
    for (let i = 2; i <= 10; i++) expect(await h.text(admin, `/challenge create c${i} 2026-11-01 2026-11-30 words 100`)).toMatch(/^🏁 Challenge created: c/);
    const before = await rowCounts(h.db);
    const refused = await h.send(admin, '/challenge create c11 2026-11-01 2026-11-30 words 100');
    expect(refused).toMatchObject({
      visibility: 'private',
      text: 'This group has 10 challenges open, the most it can have at once: a new one can be created once one of them is over (/challenge list shows them).',
    });
    expect(await rowCounts(h.db)).toEqual(before);
    const poets = { ...admin, channel: 'poetry', workspace: 'w2' };
    await h.send(poets, '/setup UTC');
    expect(await h.text(poets, '/challenge create c11 2026-11-01 2026-11-30 words 100')).toMatch(/^🏁 Challenge created: c11/);
    // c1 is over once its last day is.
    h.clock.set(Date.parse('2026-11-02T00:00:01Z'));
    expect(await h.text(admin, '/challenge create c11 2026-11-02 2026-11-30 words 100')).toMatch(/^🏁 Challenge created: c11/);
    expect(h.errors).toEqual([]);
  });

  it("keeps groups apart: another group's challenge cannot be joined or seen, nor its members' words counted", async () => {
    await start('2026-11-01T12:00:00Z');
    await h.send({ ...admin, channel: 'poetry', workspace: 'w2' }, '/setup UTC');
    await h.send(admin, '/challenge create november');
    await h.send('Bo', '/challenge join');
    await h.send({ name: 'Bo', channel: 'poetry', workspace: 'w2' }, '/log 5000');
    expect(await h.text({ name: 'Cy', channel: 'poetry', workspace: 'w2' }, '/challenge join november')).toBe('This group has no challenge called "november". /challenge list shows them.');
    expect(await h.text({ name: 'Cy', channel: 'poetry', workspace: 'w2' }, '/challenge')).toMatch(/^This group has no challenge yet/);
    await h.send('Bo', '/log 700');
    expect(await h.text('Bo', '/challenge')).toMatch(/\n1 writer, 700 words in all\n1\. Bo: 700 words/);
  });

  it('puts the challenges a member joined in /export; /forget takes them out of the board', async () => {
    await start('2026-11-01T12:00:00Z');
    await h.send(admin, '/challenge create november');
    await h.send('Bo', '/challenge join');
    await h.send('Cy', '/challenge join');
    const data = JSON.parse(String((await h.send('Bo', '/export'))!.files![0]!.content));
    expect(data.groups[0].challenges).toEqual([{ name: 'november', kind: 'words', target: 50000, start: '2026-11-01', end: '2026-11-30', joinedOn: '2026-11-01' }]);
    await h.press('Bo', (await h.send('Bo', '/forget'))!.buttons![0]!);
    expect(await h.text('Cy', '/challenge')).toMatch(/\n1 writer, 0 words in all\n1\. Cy/);
  });
});
