import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const admin = (channel: string) => ({ name: 'Ada', admin: true, channel });

/** The instant a local wall time happens in a zone (for times that exist exactly once). */
const wall = (date: string, time: string, zone: string) => DateTime.fromISO(`${date}T${time}`, { zone }).toMillis();

describe('digests on a schedule', () => {
  let h: Harness;
  afterEach(() => h.close());

  async function walk(from: string, to: string, step = 10 * MINUTE) {
    for (let t = Date.parse(from); t < Date.parse(to); t += step) {
      h.clock.set(t);
      await h.tick();
    }
  }
  const postsIn = (channel: string, prefix: string) => h.adapter.posts.filter((p) => p.to.channelId === channel && p.reply.text.startsWith(prefix));

  const GROUPS = [
    { channel: 'ny', zone: 'America/New_York', daily: '30 2 * * *' },
    { channel: 'london', zone: 'Europe/London', daily: '30 1 * * *' },
    { channel: 'kolkata', zone: 'Asia/Kolkata', daily: '0 9 * * *' },
    { channel: 'kathmandu', zone: 'Asia/Kathmandu', daily: '0 9 * * *' },
    { channel: 'kiritimati', zone: 'Pacific/Kiritimati', daily: '0 9 * * *' },
  ];

  it.each([
    // Gaps: the skipped wall time's run, in UTC: 03:00 EDT in New York, 02:00 BST in London.
    ['the US spring-forward week', '2026-03-05T00:00:00Z', '2026-03-12T00:00:00Z', '2026-03-09', { ny: ['2026-03-08', '07:00'] }],
    ['the EU spring-forward week', '2026-03-26T00:00:00Z', '2026-04-02T00:00:00Z', '2026-03-30', { london: ['2026-03-29', '01:00'] }],
  ] as const)('posts each digest once, at the right local time, through %s in five zones', async (_, from, to, monday, gaps) => {
    h = await Harness.create({ now: from });
    for (const g of GROUPS) {
      await h.send(admin(g.channel), `/setup ${g.zone}`);
      await h.send(admin(g.channel), `/config daily_digest "${g.daily}"`);
    }
    await walk(from, to);
    for (const g of GROUPS) {
      const weekly = postsIn(g.channel, '📬');
      expect(weekly, `${g.channel} weekly`).toHaveLength(1);
      const due = wall(monday, '09:00', g.zone);
      expect(weekly[0]!.at - due, `${g.channel} weekly time`).toBeGreaterThanOrEqual(0);
      expect(weekly[0]!.at - due).toBeLessThan(10 * MINUTE);

      const daily = postsIn(g.channel, '📅');
      const time = g.daily.startsWith('30 2') ? '02:30' : g.daily.startsWith('30 1') ? '01:30' : '09:00';
      const expected: number[] = [];
      for (let d = Date.parse(from) - DAY; d < Date.parse(to) + DAY; d += DAY) {
        const date = new Date(d).toISOString().slice(0, 10);
        const gap = (gaps as Record<string, readonly [string, string]>)[g.channel];
        // On the spring-forward day the wall time does not exist: the run moves to the first valid minute, in UTC here.
        const instant = gap && gap[0] === date ? Date.parse(`${date}T${gap[1]}:00Z`) : wall(date, time, g.zone);
        if (instant >= Date.parse(from) && instant < Date.parse(to) - 10 * MINUTE) expected.push(instant);
      }
      expect(daily.length, `${g.channel} daily count`).toBe(expected.length);
      daily.forEach((post, i) => {
        expect(post.at - expected[i]!, `${g.channel} daily ${i}`).toBeGreaterThanOrEqual(0);
        expect(post.at - expected[i]!).toBeLessThan(10 * MINUTE);
      });
    }
  });

  it('runs a daily digest in the repeated fall-back hour once', async () => {
    h = await Harness.create({ now: '2026-10-31T00:00:00Z' });
    await h.send(admin('ny'), '/setup America/New_York');
    await h.send(admin('ny'), '/config daily_digest "30 1 * * *"');
    await walk('2026-10-31T00:00:00Z', '2026-11-02T00:00:00Z', 5 * MINUTE);
    const daily = postsIn('ny', '📅').map((p) => new Date(p.at).toISOString().slice(0, 16));
    expect(daily).toEqual(['2026-10-31T05:30', '2026-11-01T05:30']);
  });

  it('takes over a digest whose process died after claiming it, and posts it once', async () => {
    h = await Harness.create({ now: '2026-03-16T08:59:00Z' });
    await h.send(admin('general'), '/setup UTC');
    h.clock.set('2026-03-16T09:00:00Z');
    await h.app.scheduler.tick();
    // Pretend the claim was another process's, which then died before posting.
    h.adapter.posts.length = 0;
    await h.db.updateTable('scheduled_jobs').set({ state: 'claimed', claimed_by: 'dead', claimed_at: h.clock.now(), message_id: null }).where('job', '=', 'weekly-digest').execute();
    // A live process renews its claims and gives a job up at its 2-minute deadline: a claim three minutes old is a dead one's.
    await walk('2026-03-16T09:00:00Z', '2026-03-16T09:03:00Z', MINUTE);
    expect(postsIn('general', '📬')).toHaveLength(0);
    await walk('2026-03-16T09:03:00Z', '2026-03-16T09:30:00Z', MINUTE);
    expect(postsIn('general', '📬')).toHaveLength(1);
  });

  it('does not post a digest again when its process died after the post went out but before recording it; the next digest has a key of its own', async () => {
    h = await Harness.create({ now: '2026-03-16T08:59:00Z' });
    await h.send(admin('general'), '/setup UTC');
    h.clock.set('2026-03-16T09:00:00Z');
    await h.tick();
    const [first] = postsIn('general', '📬');
    expect(first!.once).toEqual({ key: expect.stringMatching(/^job:\d+$/) });
    // The platform has the post; the process died before recording it, so the row is still its claim.
    await h.db.updateTable('scheduled_jobs').set({ state: 'claimed', claimed_by: 'dead', message_id: null }).where('job', '=', 'weekly-digest').execute();
    await walk('2026-03-16T09:01:00Z', '2026-03-16T09:20:00Z', MINUTE);
    expect(postsIn('general', '📬')).toHaveLength(1);
    expect(h.adapter.repeats).toEqual([
      { to: first!.to, messageId: first!.messageId, once: { key: first!.once!.key, earlierAttemptSince: Date.parse('2026-03-16T09:00:00Z') } },
    ]);
    const job = await h.db.selectFrom('scheduled_jobs').select(['state', 'message_id', 'attempts']).where('job', '=', 'weekly-digest').executeTakeFirstOrThrow();
    expect(job).toEqual({ state: 'done', message_id: first!.messageId, attempts: 2 });
    h.clock.set('2026-03-23T09:00:00Z');
    await h.tick();
    const [, next] = postsIn('general', '📬');
    expect(next!.once!.key).not.toBe(first!.once!.key);
  });

  it('after a day down, catches up the latest run if it is less than 12 hours late and records older ones as skipped', async () => {
    h = await Harness.create({ now: '2026-03-15T12:00:00Z' });
    await h.send(admin('general'), '/setup UTC');
    await h.send(admin('general'), '/config daily_digest on');
    await h.tick();
    await h.app.close();
    h.clock.set('2026-03-17T18:00:00Z'); // down from Sunday noon to Tuesday evening
    const restarted = await h.anotherProcess();
    await restarted.app.scheduler.tick();
    await restarted.app.scheduler.tick();
    const posted = restarted.adapter.posts.map((p) => p.reply.text.split(':')[0]);
    expect(posted).toEqual(['📅 Mon 16 Mar']);
    const rows = await restarted.app.database.db.selectFrom('scheduled_jobs').select(['job', 'period', 'state']).orderBy('job').orderBy('period').execute();
    expect(rows).toEqual([
      { job: 'daily-digest', period: '2026-03-16T09:00', state: 'skipped' },
      { job: 'daily-digest', period: '2026-03-17T09:00', state: 'done' },
      { job: 'weekly-digest', period: '2026-03-16T09:00', state: 'skipped' },
    ]);
    await restarted.app.close();
  });

  it("keeps going when one group's channel refuses, retries it later, and tells its admins once", async () => {
    h = await Harness.create({ now: '2026-03-16T08:00:00Z' });
    await h.send(admin('good'), '/setup UTC');
    await h.send(admin('bad'), '/setup UTC');
    h.adapter.brokenChannels.add('bad');
    await walk('2026-03-16T08:00:00Z', '2026-03-16T20:00:00Z', 5 * MINUTE);
    expect(postsIn('good', '📬')).toHaveLength(1);
    expect(postsIn('bad', '📬')).toHaveLength(0);
    const [job] = await h.db.selectFrom('scheduled_jobs').select(['state', 'attempts', 'last_error']).where('subject', '=', '2').execute();
    expect(job).toMatchObject({ state: 'pending', last_error: 'Missing Access' });
    expect(job!.attempts).toBeGreaterThanOrEqual(4);
    expect(h.adapter.directMessages.map((d) => [d.to.userId, d.reply.text])).toEqual([
      ['ada', expect.stringMatching(/couldn't post the weekly digest in <#bad> after several tries \(Missing Access\)/)],
    ]);
    h.adapter.brokenChannels.delete('bad');
    await walk('2026-03-16T20:00:00Z', '2026-03-16T23:00:00Z', 5 * MINUTE);
    expect(postsIn('bad', '📬')).toHaveLength(1);
  });

  it('does not post a past occurrence of a schedule that was just changed', async () => {
    h = await Harness.create({ now: '2026-03-16T06:00:00Z' });
    await h.send(admin('general'), '/setup UTC');
    await walk('2026-03-16T06:00:00Z', '2026-03-16T10:00:00Z');
    expect(postsIn('general', '📬')).toHaveLength(1);
    await h.send(admin('general'), '/config digest "0 8 * * 1"');
    await walk('2026-03-16T10:00:00Z', '2026-03-16T12:00:00Z');
    expect(postsIn('general', '📬')).toHaveLength(1);
    await walk('2026-03-23T07:50:00Z', '2026-03-23T08:20:00Z');
    expect(postsIn('general', '📬')).toHaveLength(2);
  });

  it('reminds the day before the digest who has not reported followers this week, by name', async () => {
    h = await Harness.create({ now: '2026-03-05T12:00:00Z' });
    await h.send(admin('general'), '/setup UTC');
    await h.send('Bo', '/followers 100');
    await h.send('Cy', '/followers 100');
    await h.send('Di', '/log 10');
    h.clock.set('2026-03-15T08:00:00Z');
    await h.send('Cy', '/followers 110');
    await walk('2026-03-15T08:00:00Z', '2026-03-15T10:00:00Z');
    expect(postsIn('general', '📊').map((p) => [p.reply.text, p.reply.pings])).toEqual([
      ['📊 The weekly digest comes out tomorrow. Not reported followers this week: Bo. /followers <count> takes a second.', undefined],
    ]);
  });

  it('nudges a member whose streak is at risk, privately, once a day, and not one who wrote today', async () => {
    h = await Harness.create({ now: '2026-03-10T10:00:00Z' });
    await h.send(admin('general'), '/setup Europe/London');
    for (let day = 0; day < 3; day++) {
      h.clock.set(Date.parse('2026-03-10T10:00:00Z') + day * DAY);
      await h.send('Bo', '/log 100');
      await h.send('Cy', '/log 100');
    }
    await h.send('Bo', '/remind on');
    await h.send('Cy', '/remind on 19:30');
    h.clock.set('2026-03-13T09:00:00Z');
    await h.send('Cy', '/log 50');
    await walk('2026-03-13T09:00:00Z', '2026-03-14T00:00:00Z');
    expect(h.adapter.directMessages.map((d) => [d.to.userId, new Date(d.at).toISOString().slice(11, 16), d.reply.text])).toEqual([
      ['bo', '21:00', '🔥 Your 3-day writing streak is waiting for today\'s words. Log before your day ends: /log 250'],
    ]);
    expect(await h.text('Cy', '/remind at 7')).toMatch(/Bad value for action: "at"/);
    expect(await h.text('Cy', '/remind on 25:00')).toMatch(/"25:00" is not a time/);
  });

  it('mentions the member in the channel when their direct messages are closed', async () => {
    h = await Harness.create({ now: '2026-03-10T10:00:00Z' });
    await h.send(admin('general'), '/setup UTC');
    for (let day = 0; day < 2; day++) {
      h.clock.set(Date.parse('2026-03-10T10:00:00Z') + day * DAY);
      await h.send('Bo', '/log 100');
    }
    await h.send('Bo', '/remind on 20:00');
    h.adapter.closedDirectMessages.add('bo');
    await walk('2026-03-12T19:00:00Z', '2026-03-12T21:00:00Z');
    const mentions = h.adapter.posts.filter((p) => p.reply.text.startsWith('<@bo>'));
    expect(mentions.map((p) => p.reply.pings)).toEqual([{ users: ['bo'] }]);
  });

  it('names ten members in a list and counts the rest, so a big group’s post is never cut off', async () => {
    h = await Harness.create({ now: '2026-03-02T12:00:00Z' });
    await h.send(admin('general'), '/setup UTC');
    await h.send(admin('general'), '/config daily_digest "0 9 * * *"');
    for (let i = 1; i <= 13; i++) await h.send(`M${i}`, '/log 100');
    await walk('2026-03-03T08:50:00Z', '2026-03-03T09:20:00Z');
    const [daily] = postsIn('general', '📅');
    expect(daily!.reply.text).toBe('📅 Mon 2 Mar: 13 members wrote: M1, M2, M3, M4, M5, M6, M7, M8, M9, M10 and 3 others. Keep it going!');
  });

  it('sums up the week: words, streaks, followers, articles, readers, milestones, streaks begun and ended', async () => {
    h = await Harness.create({ now: '2026-03-01T12:00:00Z' });
    await h.send(admin('general'), '/setup UTC');
    await h.send('Cy', '/followers 200');
    await h.send('Hidden', '/log 99999');
    await h.send('Hidden', '/privacy leaderboard off');
    for (let day = 0; day < 8; day++) {
      h.clock.set(Date.parse('2026-03-02T12:00:00Z') + day * DAY);
      await h.send('Bo', '/log 500');
      if (day < 3) await h.send('Di', '/log 100');
    }
    h.clock.set('2026-03-05T12:00:00Z');
    await h.send('Cy', '/followers 260');
    await h.send('Cy', '/publish https://example.com/cy Cy’s Story');
    const read = h.adapter.posts.find((p) => p.reply.text.includes('New from Cy'))!.reply.buttons!.find((b) => b.action === 'read')!;
    await h.press('Bo', read);
    // Reported after the week ended, before the digest: it belongs to next week's gain.
    h.clock.set('2026-03-09T08:00:00Z');
    await h.send('Cy', '/followers 300');
    await walk('2026-03-09T08:50:00Z', '2026-03-09T09:20:00Z');
    const [digest] = postsIn('general', '📬');
    expect(digest!.reply.text.split('\n')).toEqual([
      '📬 Weekly digest: Mon 2 Mar – Sun 8 Mar',
      '✍️ Words: 3,800 from 2 writers. 1. Bo 3,500 · 2. Di 300',
      '🔥 Streaks: 1. Bo 8 days',
      '👥 Followers: 1. Cy +60 (+30.0%)',
      '📣 Articles: "Cy’s Story" by Cy: 1 first-hour read',
      '📚 Top readers: 1. Bo 1',
      '🏅 Milestones: Bo, 7 days in a row',
      '🌱 Started a streak: Bo, Di',
      '💤 Streak ended: Di. Today is a fine day to begin again.',
    ]);
    expect(digest!.reply.pings).toBeUndefined();
    expect(digest!.reply.text).not.toContain('Hidden');
    expect(digest!.reply.images!.map((i) => i.fileName)).toEqual(['leaders.png', 'followers.png']);
    expect(digest!.reply.images![0]!.alt).toBe('Week of Mon 2 Mar: leaders. Streaks: 1. Bo 8 days. Words: 1. Bo 3,500, 2. Di 300. Follower growth: 1. Cy +60.');
    expect(digest!.reply.images![1]!.alt).toBe('Follower growth over 12 weeks: the group went from 200 to 260 followers. Top members now: Cy 260.');
  });

  it('shows newcomers in the card’s follower column when nobody gained, never “nobody yet” beside a board with entries', async () => {
    h = await Harness.create({ now: '2026-03-01T12:00:00Z' });
    await h.send(admin('general'), '/setup UTC');
    h.clock.set('2026-03-04T12:00:00Z');
    await h.send('Eve', '/followers 150');
    // A day logged with minutes and no words: a streak, but nothing for the words column.
    h.clock.set('2026-03-08T12:00:00Z');
    await h.send('Eve', '/log minutes:30');
    await walk('2026-03-09T08:50:00Z', '2026-03-09T09:20:00Z');
    const [digest] = postsIn('general', '📬');
    expect(digest!.reply.text).toContain('👥 Followers: new: Eve (150)');
    expect(digest!.reply.images![0]!.alt).toBe('Week of Mon 2 Mar: leaders. Streaks: 1. Eve 1 day. Words: nobody yet. Follower growth: Eve new 150.');
  });
});
