import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PIXEL_RATIO } from '../../src/render/png';
import { CALENDAR_LAYOUT } from '../../src/render/streak-calendar';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };
const LONDON = 'Europe/London';

describe('streaks through the router', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-01T12:00:00Z' });
    await h.send(admin, '/setup timezone:Europe/London channel:#wins');
  });
  afterEach(() => h.close());

  async function logDaily(from: string, days: number, who = 'Bo', time = '20:00', zone = LONDON) {
    for (let i = 0; i < days; i++) {
      const date = new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
      h.at(`${date} ${time}`, zone);
      await h.send(who, '/log 100');
    }
  }

  it('announces a 7-day milestone once, in the announcement channel, even after undo and re-log', async () => {
    await logDaily('2026-03-01', 7);
    const announcements = () => h.adapter.posts.filter((p) => p.reply.text.includes('days in a row'));
    expect(announcements()).toHaveLength(1);
    expect(announcements()[0]).toMatchObject({ to: { channelId: 'wins' }, reply: { visibility: 'channel' } });
    expect(announcements()[0]!.reply.text).toMatch(/Bo has written 7 days in a row/);
    await h.send('Bo', '/undo');
    await h.send('Bo', '/log 100');
    expect(announcements()).toHaveLength(1);
  });

  it("answers the log that reaches a milestone without waiting for the channel to take the cheer", async () => {
    await logDaily('2026-03-01', 6);
    let answer!: () => void;
    h.adapter.slowChannels.set('wins', new Promise((resolve) => (answer = resolve)));
    h.at('2026-03-07 20:00', LONDON);
    expect(await h.text('Bo', '/log 100')).toMatch(/7 days in a row 🎉/);
    const cheers = () => h.adapter.posts.filter((p) => p.reply.text.includes('has written 7 days in a row'));
    expect(cheers()).toHaveLength(0);
    answer();
    await expect.poll(() => cheers().length).toBe(1);
  });

  it('writes the streak once a day: another log of a day already counted leaves it as it was', async () => {
    const stored = () => h.db.selectFrom('streaks').select(['current', 'updated_at']).executeTakeFirstOrThrow();
    h.at('2026-03-02 09:00', LONDON);
    await h.send('Bo', '/log 100');
    const first = await stored();
    h.at('2026-03-02 18:00', LONDON);
    expect(await h.text('Bo', '/log 200')).toMatch(/300 words/);
    expect(await stored()).toEqual(first);
    h.at('2026-03-03 09:00', LONDON);
    await h.send('Bo', '/log 100');
    expect(await stored()).toMatchObject({ current: 2 });
  });

  it('keeps a streak across the spring-forward and fall-back weeks', async () => {
    await logDaily('2026-03-26', 6, 'Bo', '23:30');
    expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 6 days/);
    await logDaily('2026-10-22', 6, 'Cy', '00:30');
    expect(await h.text('Cy', '/streak')).toMatch(/Current streak: 6 days/);
  });

  it('bridges one missed day with a freeze earned by a week of writing, and breaks on two', async () => {
    await logDaily('2026-03-01', 6);
    h.at('2026-03-07 20:00', LONDON);
    expect(await h.text('Bo', '/log 100')).toBe('✍️ Bo logged: 100 words today · 🔥 7 days in a row 🎉 · 🧊 a week in a row earned a freeze (1 of 2)');
    h.at('2026-03-09 10:00', LONDON); // 03-08 missed
    expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 7 days[\s\S]*Freezes: 0 of 2[\s\S]*Not logged today yet/);
    expect(await h.text('Bo', '/log 100')).toBe('✍️ Bo logged: 100 words today · 🔥 8 days in a row · 🧊 a freeze covered Sun 8 Mar');
    expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 8 days/);
    h.at('2026-03-12 10:00', LONDON); // 03-10 and 03-11 missed
    expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 0 days[\s\S]*Longest streak: 8 days/);
  });

  it('counts a log before the rollover hour for the previous day', async () => {
    h.at('2026-03-02 20:00', LONDON);
    await h.send('Bo', '/log 100');
    await h.send('Bo', '/rollover 3');
    h.at('2026-03-04 01:30', LONDON); // still 03-03 for a night owl
    expect(await h.text('Bo', '/log 100')).toMatch(/100 words for Tue 3 Mar · 🔥 2 days in a row/);
    const dates = await h.db.selectFrom('logs').select('local_date').orderBy('id').execute();
    expect(dates.map((d) => d.local_date)).toEqual(['2026-03-02', '2026-03-03']);
    expect(await h.text('Bo', '/rollover 6')).toMatch(/Bad value for hour: "6". Expected a whole number from 0 to 5/);
  });

  it('keeps logged dates when the member changes zone, and a gap made only by travel does not break the streak', async () => {
    h.at('2026-03-09 20:00', 'America/Los_Angeles');
    await h.send('Bo', '/timezone America/Los_Angeles');
    await h.send('Bo', '/log 100');
    h.at('2026-03-10 19:00', 'America/Los_Angeles');
    await h.send('Bo', '/log 100');
    // Flies to Tokyo overnight: lands on the 12th local time; the 11th never happened for them.
    h.at('2026-03-12 09:00', 'Asia/Tokyo');
    expect(await h.text('Bo', '/timezone asia/tokyo')).toMatch(/now follow Asia\/Tokyo. It's 09:00, Thursday 12 March there/);
    expect(await h.text('Bo', '/log 100')).toMatch(/🔥 3 days in a row/);
    const rows = await h.db.selectFrom('logs').select(['local_date', 'zone']).orderBy('id').execute();
    expect(rows).toEqual([
      { local_date: '2026-03-09', zone: 'America/Los_Angeles' },
      { local_date: '2026-03-10', zone: 'America/Los_Angeles' },
      { local_date: '2026-03-12', zone: 'Asia/Tokyo' },
    ]);
    expect(await h.text('Bo', '/timezone Moon/Base')).toMatch(/not a time zone I know/);
  });

  it('pauses the streak on vacation and resumes it after', async () => {
    await logDaily('2026-03-01', 3);
    h.at('2026-03-04 09:00', LONDON);
    expect(await h.text('Bo', '/vacation start')).toMatch(/Vacation started/);
    expect(await h.text('Bo', '/vacation start')).toMatch(/already on vacation/);
    h.at('2026-03-10 09:00', LONDON);
    expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 3 days[\s\S]*On vacation until/);
    expect(await h.text('Bo', '/vacation end')).toMatch(/Welcome back! Your vacation ran Wed 4 Mar to Mon 9 Mar/);
    expect(await h.text('Bo', '/log 100')).toMatch(/🔥 4 days in a row/);
    expect(await h.text('Bo', '/vacation end')).toMatch(/You're not on vacation/);
    expect(await h.text('Bo', '/vacation pause')).toMatch(/Bad value for action: "pause". Expected one of: start, end/);
  });

  it('attaches the 26-week calendar picture with its text alternative', async () => {
    await logDaily('2026-03-01', 3);
    const reply = await h.send('Bo', '/streak');
    const [picture] = reply!.images!;
    expect(picture!.fileName).toBe('streak-calendar.png');
    // Drawn at twice the layout size, for high-density screens.
    expect(PNG.sync.read(Buffer.from(picture!.png)).width).toBe(CALENDAR_LAYOUT.width * PIXEL_RATIO);
    expect(picture!.alt).toMatch(/^Streak calendar for Bo, the 26 weeks to 2026-03-03: 3 days logged, 0 bridged by a freeze, 0 on vacation. Current streak 3 days/);
  });

  it("counts the words of the group's week: from Sunday in a group whose weeks start on Sunday", async () => {
    await h.send(admin, '/config week_start sunday');
    h.clock.set('2026-02-27T12:00:00Z');
    await logDaily('2026-02-28', 3);
    // Sat 28 Feb is last week; Sun 1 and Mon 2 Mar are this week.
    expect(await h.text('Bo', '/streak')).toMatch(/\nWords this week: 200\n/);
    await h.send(admin, '/config week_start monday');
    expect(await h.text('Bo', '/streak')).toMatch(/\nWords this week: 100\n/);
  });

  it('shows /stats for any member, except one who keeps them private', async () => {
    await logDaily('2026-03-01', 2, 'Cy');
    expect((await h.send('Bo', '/stats Cy'))!.title).toBe("Cy's streak");
    await h.send('Cy', '/privacy leaderboard off');
    expect(await h.text('Bo', '/stats Cy')).toBe('Cy keeps their stats private.');
    expect(await h.text('Bo', '/streak Cy')).toBe('Cy keeps their stats private.');
    expect((await h.send('Cy', '/stats'))!.title).toBe("Cy's streak");
  });

  it("shows another member's streak by name or mention, and refuses strangers", async () => {
    await logDaily('2026-03-01', 2, 'Cy');
    expect(await h.text('Bo', '/streak Cy')).toMatch(/^Cy's streak\nCurrent streak: 2 days/);
    expect(await h.text('Bo', '/streak <@cy>')).toMatch(/^Cy's streak/);
    expect(await h.text('Bo', '/streak Zed')).toBe('No member called "Zed" in this group.');
    expect(await h.text('Bo', '/streak')).toMatch(/haven't joined this group yet/);
  });
});
