import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };
const DAY = 86_400_000;

describe('/followers', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup Europe/London channel:#wins');
  });
  afterEach(() => h.close());

  it('records snapshots on the main platform, shows history and weekly growth, and takes a drop', async () => {
    expect(await h.text('Bo', '/followers 90')).toBe('👥 Bo: 90 followers on Medium (first count).');
    h.clock.advance(DAY);
    expect(await h.text('Bo', '/followers 120 substack')).toBe('👥 Bo: 120 followers on Substack (first count).');
    h.clock.advance(DAY);
    expect(await h.text('Bo', '/followers 115')).toBe('👥 Bo: 115 followers on Substack (-5 since last time).');
    const history = await h.text('Bo', '/followers');
    expect(history.split('\n')).toEqual([
      "Bo's followers",
      'This week: first count this week (205)',
      'Thu 12 Mar: 115 on Substack',
      'Wed 11 Mar: 120 on Substack',
      'Tue 10 Mar: 90 on Medium',
    ]);
  });

  it("GIVEN a count reported in the evening far west of UTC THEN the history shows it on that day, the member's own", async () => {
    await h.send('Bo', '/timezone America/Los_Angeles');
    h.at('2026-03-10 20:00', 'America/Los_Angeles'); // already Wednesday in UTC
    await h.send('Bo', '/followers 120');
    expect((await h.text('Bo', '/followers')).split('\n').at(-1)).toBe('Tue 10 Mar: 120 on Medium');
  });

  it('celebrates each milestone once, however the count moves', async () => {
    await h.send('Bo', '/followers 95');
    await h.send('Bo', '/followers 120');
    await h.send('Bo', '/followers 98');
    await h.send('Bo', '/followers 1200');
    const cheers = h.adapter.posts.filter((p) => p.reply.text.startsWith('🎉')).map((p) => [p.to.channelId, p.reply.text]);
    // One jump across 500 and 1,000 is one cheer, for the highest.
    expect(cheers).toEqual([
      ['wins', '🎉 Bo reached 100 followers on Medium!'],
      ['wins', '🎉 Bo reached 1,000 followers on Medium!'],
    ]);
  });

  it('takes a first report as the starting point, not a milestone', async () => {
    await h.send('Cy', '/followers 1200');
    await h.send('Cy', '/followers 1300');
    await h.send('Cy', '/followers 5100');
    const cheers = h.adapter.posts.filter((p) => p.reply.text.startsWith('🎉')).map((p) => p.reply.text);
    expect(cheers).toEqual(['🎉 Cy reached 5,000 followers on Medium!']);
  });

  it('records a re-delivered report once, and refuses bad counts', async () => {
    await h.send('Bo', '/followers 50', 'same');
    expect(await h.text('Bo', '/followers 50', 'same')).toBe('Already recorded.');
    expect(await h.db.selectFrom('follower_snapshots').selectAll().execute()).toHaveLength(1);
    expect(await h.text('Bo', '/followers -3')).toMatch(/Bad value for count: "-3". Expected a whole number from 0 to 100,000,000/);
    expect(await h.text('Bo', '/followers 10 myspace')).toMatch(/Bad value for platform: "myspace". Expected one of: medium, substack, devto/);
  });
});

describe('/leaderboard', () => {
  let h: Harness;
  beforeEach(async () => {
    // Wednesday of a week that started on Monday 2026-03-09 (London).
    h = await Harness.create({ now: '2026-03-11T12:00:00Z' });
    await h.send(admin, '/setup Europe/London');
  });
  afterEach(() => h.close());

  const board = async (line: string) => (await h.text('Ada', line)).split('\n');

  it('ranks weekly follower gains with percent, shows newcomers apart, and lets ties share a rank', async () => {
    h.clock.set('2026-03-02T12:00:00Z');
    await h.send('Bo', '/followers 100');
    await h.send('Cy', '/followers 200');
    await h.send('Di', '/followers 50');
    await h.send('Flat', '/followers 70');
    await h.send('Hid', '/followers 10');
    await h.send('Hid', '/privacy leaderboard off');
    h.clock.set('2026-03-10T12:00:00Z');
    await h.send('Bo', '/followers 130');
    await h.send('Cy', '/followers 230');
    await h.send('Di', '/followers 45');
    await h.send('Ed', '/followers 400');
    // Flat reports the same count again: a +0 has nothing to show, so Flat is left off the board.
    await h.send('Flat', '/followers 70');
    await h.send('Hid', '/followers 900');
    h.clock.set('2026-03-11T12:00:00Z');
    expect(await board('/leaderboard followers week')).toEqual([
      '🏆 Followers: this week, Mon 9 Mar – Sun 15 Mar',
      '1. Bo: +30 (+30.0%), 130 in all',
      '1. Cy: +30 (+15.0%), 230 in all',
      '3. Di: -5 (-10.0%), 45 in all',
      'New this week: Ed (400)',
    ]);
    expect((await board('/leaderboard followers all'))[1]).toBe('1. Ed: 400');
  });

  it('adds up a week of reports on several platforms, and names ten newcomers before counting the rest', async () => {
    h.clock.set('2026-03-02T12:00:00Z');
    await h.send('Bo', '/followers 100');
    h.clock.set('2026-03-10T09:00:00Z');
    await h.send('Bo', '/followers 50 substack');
    await h.send('Bo', '/followers 120 medium');
    for (let i = 1; i <= 12; i++) await h.send(`N${i}`, `/followers ${i * 10}`);
    expect(await board('/leaderboard followers week')).toEqual([
      '🏆 Followers: this week, Mon 9 Mar – Sun 15 Mar',
      '1. Bo: +70 (+70.0%), 170 in all',
      'New this week: N1 (10), N2 (20), N3 (30), N4 (40), N5 (50), N6 (60), N7 (70), N8 (80), N9 (90), N10 (100) and 2 others',
    ]);
  });

  it('ranks streaks by current, then longest', async () => {
    for (let day = 0; day < 5; day++) {
      h.clock.set(Date.parse('2026-03-07T12:00:00Z') + day * DAY);
      await h.send('Bo', '/log 10');
      if (day >= 2) await h.send('Cy', '/log 10');
      if (day >= 2) await h.send('Di', '/log 10');
    }
    expect(await board('/leaderboard streaks')).toEqual(['🏆 Streaks: this week, Mon 9 Mar – Sun 15 Mar', '1. Bo: 5 days (longest 5)', '2. Cy: 3 days (longest 3)', '2. Di: 3 days (longest 3)']);
  });

  it('looks past lapsed streaks, however many, to the longest ones alive, then ranks the lapsed by their longest', async () => {
    // 24 members wrote ten days in a row until 1 March: more than a page of the longest cached streaks, all lapsed.
    for (let day = 0; day < 10; day++) {
      h.clock.set(Date.parse('2026-02-20T12:00:00Z') + day * DAY);
      for (let i = 1; i <= 24; i++) await h.send(`L${i}`, '/log 10');
    }
    for (let day = 0; day < 3; day++) {
      h.clock.set(Date.parse('2026-03-09T12:00:00Z') + day * DAY);
      await h.send('A1', '/log 10');
      if (day >= 1) await h.send('A2', '/log 10');
    }
    expect(await board('/leaderboard streaks')).toEqual([
      '🏆 Streaks: this week, Mon 9 Mar – Sun 15 Mar',
      '1. A1: 3 days (longest 3)',
      '2. A2: 2 days (longest 2)',
      ...Array.from({ length: 8 }, (_, i) => `3. L${i + 1}: 0 days (longest 10)`),
    ]);
  });

  it('counts words and first-hour reads in the period only, aligned to the group week start', async () => {
    h.clock.set('2026-03-08T12:00:00Z'); // Sunday: last week when weeks start on Monday
    await h.send('Bo', '/log 1000');
    h.clock.set('2026-03-10T12:00:00Z');
    await h.send('Bo', '/log 300');
    await h.send('Cy', '/log 500');
    await h.send('Cy', '/publish https://example.com/c C');
    const read = h.adapter.posts.find((p) => p.reply.text.includes('New from Cy'))!.reply.buttons!.find((b) => b.action === 'read')!;
    await h.press('Bo', read);
    expect(await board('/leaderboard words')).toEqual(['🏆 Words: this week, Mon 9 Mar – Sun 15 Mar', '1. Cy: 500 words', '2. Bo: 300 words']);
    expect((await board('/leaderboard words month'))[1]).toBe('1. Bo: 1,300 words');
    expect((await board('/leaderboard reads'))[1]).toBe('1. Bo: 1 first-hour read');
    await h.send(admin, '/config week_start sunday');
    expect((await board('/leaderboard words'))[1]).toBe('1. Bo: 1,300 words');
  });

  it("GIVEN the same writer in two groups THEN each group's year and all-time boards count only its own logs", async () => {
    await h.send({ ...admin, channel: 'poetry' }, '/setup Europe/London');
    h.clock.set('2025-12-30T12:00:00Z');
    await h.send('Bo', '/log 700');
    h.clock.set('2026-03-10T12:00:00Z');
    await h.send('Bo', '/log 300');
    await h.send({ name: 'Bo', channel: 'poetry' }, '/log 5000');
    await h.send({ name: 'Cy', channel: 'poetry' }, '/log 50');
    expect(await board('/leaderboard words year')).toEqual(['🏆 Words: this year, Thu 1 Jan – Thu 31 Dec', '1. Bo: 300 words']);
    expect(await board('/leaderboard words all')).toEqual(['🏆 Words: all time', '1. Bo: 1,000 words']);
    const poetry = (await h.text({ ...admin, channel: 'poetry' }, '/leaderboard words all')).split('\n');
    expect(poetry).toEqual(['🏆 Words: all time', '1. Bo: 5,000 words', '2. Cy: 50 words']);
  });

  it("GIVEN reports made after a week ended THEN that week's standings are as they stood when it ended", async () => {
    h.clock.set('2026-02-25T12:00:00Z');
    await h.send('Bo', '/followers 100');
    await h.send('Cy', '/followers 300');
    await h.send('Hid', '/followers 900');
    await h.send('Hid', '/privacy leaderboard off');
    h.clock.set('2026-03-04T12:00:00Z');
    await h.send('Bo', '/followers 150');
    await h.send('Di', '/followers 40');
    // The next week: Bo overtakes Cy, Cy gains, and Ed reports for the first time.
    h.clock.set('2026-03-10T12:00:00Z');
    await h.send('Bo', '/followers 1000');
    await h.send('Cy', '/followers 310');
    await h.send('Ed', '/followers 5000');
    const group = (await h.app.services.groups.find(h.conversation(admin)))!;
    const standings = await h.app.services.leaderboards.standings(group, { from: '2026-03-02', to: '2026-03-08' });
    const people = await h.db.selectFrom('members').innerJoin('people', 'people.id', 'members.person_id').select(['members.id', 'people.display_name']).execute();
    const names = new Map(people.map((p) => [p.id, p.display_name]));
    const shown = (list: { memberId: number; atStart: number | null; atEnd: number | null }[]) => list.map((s) => [names.get(s.memberId), s.atStart, s.atEnd]);
    expect(shown(standings.gainers)).toEqual([['Bo', 100, 150]]);
    expect(shown(standings.newcomers)).toEqual([['Di', null, 40]]);
    expect(standings.newcomerCount).toBe(1);
    expect(shown(standings.leaders)).toEqual([['Cy', null, 300], ['Bo', null, 150], ['Di', null, 40]]);
  });

  it('ranks all-time followers by the latest totals, hidden members left out', async () => {
    await h.send('Bo', '/followers 90');
    await h.send('Cy', '/followers 400');
    await h.send('Di', '/followers 900');
    await h.send('Di', '/privacy leaderboard off');
    h.clock.advance(DAY);
    await h.send('Bo', '/followers 500');
    expect(await board('/leaderboard followers all')).toEqual(['🏆 Followers: all time', '1. Bo: 500', '2. Cy: 400']);
  });

  it('shows the first ten places of a longer board, ties sharing a rank in join order, hidden members left out', async () => {
    // Eleven writers for ten places, tied at the last one: the first to join keeps it.
    const words = [200, 200, 300, 300, 300, 400, 500, 600, 700, 800, 900];
    for (const [i, n] of words.entries()) await h.send(`W${i + 1}`, `/log ${n}`);
    await h.send('Top', '/log 5000');
    await h.send('Top', '/privacy leaderboard off');
    expect(await board('/leaderboard words')).toEqual([
      '🏆 Words: this week, Mon 9 Mar – Sun 15 Mar',
      '1. W11: 900 words',
      '2. W10: 800 words',
      '3. W9: 700 words',
      '4. W8: 600 words',
      '5. W7: 500 words',
      '6. W6: 400 words',
      '7. W3: 300 words',
      '7. W4: 300 words',
      '7. W5: 300 words',
      '10. W1: 200 words',
    ]);
  });

  it('leaves out members who hid themselves, shows display names, and says when nobody is on it', async () => {
    await h.send('Bo', '/log 100');
    await h.send('Bo', '/privacy leaderboard off');
    expect(await board('/leaderboard words')).toEqual(['🏆 Words: this week, Mon 9 Mar – Sun 15 Mar', 'Nobody on this board yet.']);
    await h.send('Bo', '/privacy leaderboard on');
    expect((await board('/leaderboard words'))[1]).toBe('1. Bo: 100 words');
    expect(await h.text('Ada', '/leaderboard likes')).toMatch(/Bad value for board: "likes". Expected one of: followers, streaks, words, reads/);
  });
});
