import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';
import { rowCounts } from '../support/row-counts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const admin = { name: 'Ada', admin: true };

/** The instant a local wall time happens in a zone. */
const wall = (date: string, time: string, zone: string) => DateTime.fromISO(`${date}T${time}`, { zone }).toMillis();

describe('goals', () => {
  let h: Harness;
  afterEach(() => h.close());

  const start = async (now = '2026-03-10T12:00:00Z', zone = 'Europe/London') => {
    h = await Harness.create({ now });
    await h.send(admin, `/setup ${zone}`);
  };
  const directTo = (user: string) => h.adapter.directMessages.filter((d) => d.to.userId === user).map((d) => d.reply.text);
  /** Lets the posts a reply sends beside itself go out. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('shows every goal with what remains, whether the member is ahead or behind, and a one-line progress after /log', async () => {
    await start();
    expect(await h.send('Bo', '/goal set words 3000 week')).toMatchObject({
      visibility: 'private',
      text: '🎯 Goal set. Words: 0 of 3,000 this week (Mon 9 Mar – Sun 15 Mar) · 3,000 words to go, 500 a day · 857 words behind pace',
    });
    await h.send('Bo', '/goal set days 5 week');
    await h.send('Bo', '/goal set streak 180');
    expect(await h.text('Bo', '/log 200')).toBe('✍️ Bo logged: 200 words today · 🔥 1 day in a row\n🎯 2,800 words to this week\'s 3,000 · 1 of 5 days this week · 1 of 180 days in a row');
    expect(await h.text('Bo', '/log 900')).toMatch(/\n🎯 1,900 words to this week's 3,000 · 1 of 5 days this week · 1 of 180 days in a row$/);
    expect(await h.text('Bo', '/goal')).toBe(
      [
        "Bo's goals",
        '• Words: 1,100 of 3,000 this week (Mon 9 Mar – Sun 15 Mar) · 1,900 words to go, 317 a day · 243 words ahead of pace',
        '• Days written: 1 of 5 this week (Mon 9 Mar – Sun 15 Mar) · 4 days to go in 6 days left · on pace · week streak: 0 weeks',
        '• Streak: 1 of 180 days · 179 days to go, reached Sat 5 Sep if you log every day',
      ].join('\n'),
    );
    // A member without goals gets the reply as before.
    expect(await h.text('Cy', '/log 200')).toBe('Welcome to the group, Cy! ✍️ Cy logged: 200 words today · 🔥 1 day in a row');
    expect(await h.text('Cy', '/goal')).toMatch(/^No goals yet/);
  });

  it("acknowledges a period target privately, once: not again on a second log, nor after an undo and a re-log, and again in the next period", async () => {
    await start();
    await h.send('Bo', '/goal set words 500 day');
    expect(await h.text('Bo', '/log 300')).toMatch(/🎯 200 words to today's 500$/);
    await settle();
    expect(directTo('bo')).toEqual([]);
    expect(await h.text('Bo', '/log 250')).toMatch(/🎯 today's 500 words done ✔$/);
    await h.send('Bo', '/log 10');
    await h.send('Bo', '/undo');
    await h.send('Bo', '/undo');
    await h.send('Bo', '/log 300');
    await settle();
    expect(directTo('bo')).toEqual(['🎯 Goal reached: 500 words today. Well done!']);
    h.clock.advance(DAY);
    await h.send('Bo', '/log 600');
    await settle();
    expect(directTo('bo')).toHaveLength(2);
  });

  it('loses only the acknowledgement when the member’s direct messages are closed: the log and its line stand', async () => {
    await start();
    h.adapter.closedDirectMessages.add('bo');
    await h.send('Bo', '/goal set words 100 day');
    expect(await h.text('Bo', '/log 150')).toMatch(/🎯 today's 100 words done ✔$/);
    await settle();
    expect(h.adapter.directMessages).toEqual([]);
    expect(h.errors).toEqual([]);
    expect(await h.db.selectFrom('goals').select('achieved_key').execute()).toEqual([{ achieved_key: 'day:2026-03-10' }]);
    expect(await h.text('Bo', '/log 10')).toMatch(/🎯 today's 100 words done ✔$/);
  });

  it('celebrates a long goal in the group once: a streak reached, and a follower total reached', async () => {
    await start();
    await h.send('Bo', '/goal set streak 3');
    for (let day = 0; day < 4; day++) {
      await h.send('Bo', '/log 100');
      h.clock.advance(DAY);
    }
    await settle();
    const cheers = () => h.adapter.posts.map((p) => p.reply.text).filter((t) => t.includes('reached their goal'));
    expect(cheers()).toEqual(['🎉 Bo reached their goal: a 3-day writing streak!']);

    await h.send('Bo', '/goal set followers 1000 by:2026-06-01');
    await h.send('Bo', '/followers 900');
    await h.send('Bo', '/followers 1001');
    await h.send('Bo', '/followers 1005');
    await settle();
    expect(cheers()).toEqual(['🎉 Bo reached their goal: a 3-day writing streak!', '🎉 Bo reached their goal of 1,000 followers!']);
  });

  it('paces a followers goal by its date and projects the date from recent growth', async () => {
    await start('2026-02-10T12:00:00Z');
    await h.send('Bo', '/followers 460');
    h.clock.set('2026-03-10T12:00:00Z');
    await h.send('Bo', '/followers 600');
    await h.send('Bo', '/goal set followers 1000 by:2026-05-05');
    // 140 gained over the last 28 days: 5 a day, so the 400 left take 80 days.
    expect(await h.text('Bo', '/goal')).toBe("Bo's goals\n• Followers: 600 of 1,000 by Tue 5 May · 400 to go, 50 a week · at this pace: Fri 29 May");
  });

  it('counts an articles goal from announcements and acknowledges it once', async () => {
    await start();
    await h.send('Bo', '/goal set publish 1 week');
    await h.send('Bo', '/publish https://example.com/one One');
    await h.send('Bo', '/publish https://example.com/two Two');
    await settle();
    expect(directTo('bo')).toEqual(['🎯 Goal reached: 1 article this week. Well done!']);
    expect(await h.text('Bo', '/goal')).toMatch(/• Articles: 2 of 1 this week \(Mon 9 Mar – Sun 15 Mar\) · reached ✔/);
  });

  it('keeps a week streak for a days-a-week goal across the weeks daylight saving begins and ends (America/New_York)', async () => {
    await start('2026-02-23T17:00:00Z', 'America/New_York');
    await h.send('Bo', '/goal set days 5 week');
    // Weekdays only, late in the evening, for four weeks around 8 March (spring forward), then the week of 1 November (fall back).
    const logOn = async (date: string) => {
      h.clock.set(wall(date, '23:30', 'America/New_York'));
      await h.send('Bo', '/log 300');
    };
    for (const monday of ['2026-02-23', '2026-03-02', '2026-03-09']) for (let i = 0; i < 5; i++) await logOn(DateTime.fromISO(monday).plus({ days: i }).toISODate()!);
    h.clock.set(wall('2026-03-14', '12:00', 'America/New_York'));
    expect(await h.text('Bo', '/goal')).toMatch(/Days written: 5 of 5 this week \(Mon 9 Mar – Sun 15 Mar\) · reached ✔ · week streak: 3 weeks$/);
    // A weekend off breaks nothing: the streak grows with the weeks, not the days.
    h.clock.set(wall('2026-03-16', '09:00', 'America/New_York'));
    expect(await h.text('Bo', '/goal')).toMatch(/week streak: 3 weeks$/);

    for (const monday of ['2026-10-19', '2026-10-26', '2026-11-02']) for (let i = 0; i < 5; i++) await logOn(DateTime.fromISO(monday).plus({ days: i }).toISODate()!);
    h.clock.set(wall('2026-11-07', '12:00', 'America/New_York'));
    const shown = await h.text('Bo', '/goal');
    expect(shown).toMatch(/Days written: 5 of 5 this week \(Mon 2 Nov – Sun 8 Nov\) · reached ✔ · week streak: 3 weeks$/);
    const dates = await h.db.selectFrom('logs').select('local_date').where('local_date', '>=', '2026-10-30').where('local_date', '<=', '2026-11-03').orderBy('local_date').execute();
    expect(dates.map((d) => d.local_date)).toEqual(['2026-10-30', '2026-11-02', '2026-11-03']);
  });

  it("measures the member's own week in a zone far from the group's, with the group's Sunday week start", async () => {
    await start('2026-03-13T20:00:00Z', 'Etc/GMT+12');
    await h.send(admin, '/config week_start sunday');
    await h.send('Bo', '/timezone Pacific/Kiritimati');
    await h.send('Bo', '/goal set words 7000 week');
    // 11:00 UTC on Saturday 14 March: Sunday 01:00 on Kiritimati, the first day of Bo's week; Friday 23:00 for the group.
    h.clock.set('2026-03-14T11:00:00Z');
    expect(await h.text('Bo', '/log 1500')).toMatch(/🎯 5,500 words to this week's 7,000$/);
    expect(await h.text('Bo', '/goal')).toBe("Bo's goals\n• Words: 1,500 of 7,000 this week (Sun 15 Mar – Sat 21 Mar) · 5,500 words to go, 786 a day · 500 words ahead of pace");
    await h.send('Cy', '/goal set words 7000 week');
    expect(await h.text('Cy', '/log 1500')).toMatch(/🎯 5,500 words to this week's 7,000$/);
    expect(await h.text('Cy', '/goal')).toBe("Cy's goals\n• Words: 1,500 of 7,000 this week (Sun 8 Mar – Sat 14 Mar) · 5,500 words to go, 2,750 a day · 4,500 words behind pace");
  });

  it("says in the streak nudge what the member's goal still needs today", async () => {
    await start('2026-03-10T10:00:00Z', 'UTC');
    for (let day = 0; day < 3; day++) {
      h.clock.set(Date.parse('2026-03-10T10:00:00Z') + day * DAY);
      await h.send('Bo', '/log 100');
    }
    await h.send('Bo', '/goal set words 2000 week');
    await h.send('Bo', '/remind on 20:00');
    for (let t = Date.parse('2026-03-13T19:00:00Z'); t < Date.parse('2026-03-13T21:00:00Z'); t += 10 * MINUTE) {
      h.clock.set(t);
      await h.tick();
    }
    // 300 of 2,000 this week, with Friday to Sunday left: 567 words a day.
    expect(directTo('bo')).toEqual(["🔥 Your 3-day writing streak is waiting for today's words: 567 words today keep your week on track. Log before your day ends: /log 250"]);
  });

  it('answers bad input with one private line and writes nothing', async () => {
    await start();
    await h.send('Bo', '/log 100');
    const before = await rowCounts(h.db);
    const refusals: [string, RegExp][] = [
      ['/goal set pages 5', /^A goal is one of words, days, publish, followers, streak; got "pages"\.$/],
      ['/goal set words 0', /^A words goal per day is a whole number from 1 to 100,000; got 0\.$/],
      ['/goal set words 99999999 day', /from 1 to 100,000/],
      ['/goal set days 9 week', /from 1 to 7; got 9/],
      ['/goal set followers 1000 by:2026-03-01', /must be after today/],
      ['/goal set followers 1000', /needs the date to reach it by/],
      ['/goal set streak 180 month', /has no period/],
      ['/goal clear words', /^You have no words goal to clear/],
      ['/goal clear', /^\/goal clear takes the kind of goal to clear/],
      ['/goal set', /^A goal is one of/],
    ];
    for (const [line, reason] of refusals) {
      const reply = await h.send('Bo', line);
      expect(reply, line).toMatchObject({ visibility: 'private', text: expect.stringMatching(reason) });
      expect(reply!.text.split('\n'), line).toHaveLength(1);
    }
    // A newcomer refused joins nothing either.
    await h.send('Nell', '/goal set words 0');
    expect(await rowCounts(h.db)).toEqual(before);
    expect(h.errors).toEqual([]);
  });

  it("keeps groups apart: one group's goals never show or count in another", async () => {
    await start();
    await h.send({ ...admin, channel: 'poetry' }, '/setup Europe/London');
    await h.send('Bo', '/goal set words 500 day');
    await h.send('Bo', '/log 400');
    expect(await h.text({ name: 'Bo', channel: 'poetry' }, '/log 200')).toBe('Welcome to the group, Bo! ✍️ Bo logged: 200 words today · 🔥 1 day in a row');
    expect(await h.text({ name: 'Bo', channel: 'poetry' }, '/goal')).toMatch(/^No goals yet/);
    expect(await h.text('Bo', '/log 50')).toMatch(/🎯 50 words to today's 500$/);
  });

  it('replaces a goal of the same kind and clears one', async () => {
    await start();
    await h.send('Bo', '/goal set words 500 day');
    await h.send('Bo', '/goal set words 20000 month');
    expect(await h.text('Bo', '/goal')).toMatch(/^Bo's goals\n• Words: 0 of 20,000 this month \(Sun 1 Mar – Tue 31 Mar\)/);
    expect(await h.text('Bo', '/goal clear words')).toBe('Your words goal is cleared.');
    expect(await h.text('Bo', '/goal')).toMatch(/^No goals yet/);
  });

  it('puts goals in /export and takes them away with /forget', async () => {
    await start();
    await h.send('Bo', '/goal set words 500 day');
    await h.send('Bo', '/goal set followers 1000 by:2026-06-01');
    await h.send('Cy', '/goal set streak 30');
    const data = JSON.parse(String((await h.send('Bo', '/export'))!.files![0]!.content));
    expect(data.groups[0].goals).toEqual([
      { kind: 'words', period: 'day', target: 500, by: null, since: '2026-03-10', setAt: '2026-03-10T12:00:00.000Z' },
      { kind: 'followers', period: null, target: 1000, by: '2026-06-01', since: '2026-03-10', setAt: '2026-03-10T12:00:00.000Z' },
    ]);
    const confirm = (await h.send('Bo', '/forget'))!.buttons![0]!;
    await h.press('Bo', confirm);
    expect(await h.db.selectFrom('goals').select(['kind', 'target']).execute()).toEqual([{ kind: 'streak', target: 30 }]);
  });
});
