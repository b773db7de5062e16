import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply, ReplyButton } from '../../src/core/reply';
import { Harness } from '../support/harness';
import { rowCounts } from '../support/row-counts';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-10T12:00:00Z');
const unix = (instant: number) => Math.floor(instant / 1000);

describe('sprints', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup Europe/London');
  });
  afterEach(() => h.close());

  const posts = (adapter = h.adapter) => adapter.posts.map((p) => p.reply.text);
  const announcement = () => h.adapter.posts.find((p) => p.reply.text.startsWith('🏃 Sprint!'))!;
  const button = (post: { reply: Reply }, label: string): ReplyButton => post.reply.buttons!.find((b) => b.label === label)!;
  const sprintLogs = () =>
    h.db.selectFrom('logs').innerJoin('members', 'members.id', 'logs.member_id').innerJoin('people', 'people.id', 'members.person_id')
      .select(['people.user_id', 'logs.words', 'logs.minutes', 'logs.local_date', 'logs.source', 'logs.note']).where('logs.source', '=', 'sprint').orderBy('people.user_id').execute();
  /** Moves the clock and runs a round that began after it moved (a round a wake-up timer began earlier may still be running). */
  const at = async (instant: number) => {
    h.clock.set(instant);
    await h.tick();
    await h.tick();
  };

  it('runs a whole sprint: start, join, counts, go, time is up, late counts in the window, ranked results with ties, logs', async () => {
    const started = await h.send('Bo', '/sprint start 20');
    expect(started).toMatchObject({ visibility: 'private', text: `You're in with a starting count of 0 (send /sprint words <total> as you go). It starts <t:${unix(T0 + 2 * MINUTE)}:R>.` });
    const post = announcement();
    expect(post.to.channelId).toBe('general');
    expect(post.reply.text).toBe(
      `🏃 Sprint! 20 minutes, started by Bo.\nStarts <t:${unix(T0 + 2 * MINUTE)}:R>, ends <t:${unix(T0 + 22 * MINUTE)}:R>.\nJoin with the button, or /sprint join [your word count now].`,
    );
    expect(post.reply.buttons!.map((b) => b.label)).toEqual(['Join', 'Leave']);

    expect(await h.press('Cy', button(post, 'Join'))).toMatchObject({ visibility: 'private', text: expect.stringMatching(/^You're in with a starting count of 0/) });
    expect((await h.text('Di', '/sprint join 1,000')).startsWith("You're in with a starting count of 1,000. It starts")).toBe(true);
    expect(await h.text('Ed', '/sprint join count:none')).toMatch(/^You're in for the minutes \(no word count\)/);

    await at(T0 + 2 * MINUTE);
    expect(posts().at(-1)).toBe(`🟢 Go! The sprint is on and ends <t:${unix(T0 + 22 * MINUTE)}:R>. <@bo> <@cy> <@di> <@ed>`);

    h.clock.set(T0 + 12 * MINUTE);
    expect(await h.text('Bo', '/sprint words 300')).toBe(`✅ 300 counted: 300 words this sprint. The sprint ends <t:${unix(T0 + 22 * MINUTE)}:R>.`);
    // "+250 words" would be a chat log; from someone in the sprint, in its channel, it is their sprint count.
    expect(await h.send('Cy', '+250 words')).toMatchObject({ reaction: '✅', visibility: 'private', text: expect.stringMatching(/^✅ 250 counted/) });
    expect(await h.text('Di', '/sprint words 1450')).toMatch(/^✅ 1,450 counted: 450 words this sprint/);
    expect(await h.text('Bo', '/sprint status')).toBe(
      `🏃 20 minutes sprint, ends <t:${unix(T0 + 22 * MINUTE)}:R>. 4 writers in:\n• Bo: 300 words\n• Cy: 250 words\n• Di: 450 words\n• Ed: minutes only`,
    );

    await at(T0 + 22 * MINUTE);
    expect(posts().at(-1)).toMatch(/^⏰ Time's up! Send your final count with \/sprint words <total>/);
    h.clock.set(T0 + 23 * MINUTE);
    expect(await h.text('Cy', '/sprint words +50')).toBe('✅ 300 counted: 300 words this sprint. Final counts are taken until the results.');

    await at(T0 + 24 * MINUTE);
    expect(posts().at(-1)).toBe(
      [
        '🏆 Sprint results (20 minutes)',
        '1. Di: 450 words, 22.5 wpm',
        '2. Bo: 300 words, 15 wpm',
        '2. Cy: 300 words, 15 wpm',
        'Also sprinted (minutes only): Ed',
        "Everyone's words are in their log for the day.",
      ].join('\n'),
    );
    expect(await sprintLogs()).toEqual([
      { user_id: 'bo', words: 300, minutes: 20, local_date: '2026-03-10', source: 'sprint', note: expect.stringMatching(/^Sprint #\d+$/) },
      { user_id: 'cy', words: 300, minutes: 20, local_date: '2026-03-10', source: 'sprint', note: expect.any(String) },
      { user_id: 'di', words: 450, minutes: 20, local_date: '2026-03-10', source: 'sprint', note: expect.any(String) },
      { user_id: 'ed', words: 0, minutes: 20, local_date: '2026-03-10', source: 'sprint', note: expect.any(String) },
    ]);
    // The chat count was a sprint count only, never a chat log of its own.
    expect(await h.db.selectFrom('logs').select('source').where('source', '=', 'chat').execute()).toEqual([]);
    const streak = await h.text('Bo', '/streak');
    expect(streak).toMatch(/Current streak: 1 day/);
    expect(streak).toContain('Latest sprint: 300 words in 20 minutes, logged for Tue 10 Mar.');
    // The words board counts sprint words like any other log.
    expect(await h.text('Bo', '/leaderboard words')).toMatch(/\n1\. Di: 450 words\n2\. Bo: 300 words\n2\. Cy: 300 words/);

    // One result post, however many more rounds run; and the channel is free for the next sprint.
    await at(T0 + 30 * MINUTE);
    expect(posts().filter((t) => t.startsWith('🏆')).length).toBe(1);
    expect(await h.text('Bo', '/sprint words 400')).toBe('There is no sprint in this channel right now. Start one with /sprint start [minutes].');
    expect(await h.text('Bo', '/sprint start 10 0')).toMatch(/^You're in/);
  });

  it('shows a writer whose name tries to ping or carries control characters plainly, pings nobody for them, and refuses a huge count', async () => {
    const actor = { ...h.actor({ name: 'Trick' }), displayName: '@everyone <@bo>\u0007\u202e' };
    const command = (text: string, key: string) => h.deliver({ kind: 'command', name: 'sprint', args: { text }, actor, conversation: h.conversation({ name: 'Trick' }), idempotencyKey: key });
    await command('start 5 in:0', 't1');
    await command('words 100', 't2');
    const huge = await command(`words ${'9'.repeat(20)}`, 't3');
    expect(huge).toMatchObject({ visibility: 'private', text: 'A count is your total now, like 1200, or the words you added, like +250 (at most 10,000,000).' });
    await at(T0 + 5 * MINUTE);
    await at(T0 + 7 * MINUTE);
    const results = h.adapter.posts.find((p) => p.reply.text.startsWith('🏆'))!;
    expect(results.reply.text.split('\n')[1]).toBe('1. @\u200beveryone ‹@bo›: 100 words, 20 wpm');
    for (const post of h.adapter.posts) {
      expect(post.reply.text).not.toMatch(/[\u0007\u202e]/);
      expect(post.reply.pings?.users ?? []).not.toContain('bo');
    }
  });

  it('posts the results at the end instant without waiting for the next tick', async () => {
    await h.send('Bo', '/sprint start 5 in:0');
    await h.send('Bo', '/sprint words 100');
    h.clock.set(T0 + 7 * MINUTE + 20);
    await expect.poll(() => posts().find((t) => t.startsWith('🏆'))).toBe(
      ['🏆 Sprint results (5 minutes)', '1. Bo: 100 words, 20 wpm', "Everyone's words are in their log for the day."].join('\n'),
    );
    expect(h.adapter.posts.find((p) => p.reply.text.startsWith('🏆'))!.at - (T0 + 7 * MINUTE)).toBeLessThan(1000);
  });

  it('logs sprint words on the day the sprint ended in each member own zone', async () => {
    h.clock.set('2026-03-10T23:50:00Z');
    await h.send('Bo', '/timezone Asia/Kolkata');
    await h.send('Cy', '/timezone America/New_York');
    await h.send('Bo', '/sprint start 15 0');
    await h.send('Cy', '/sprint join 0');
    h.clock.set('2026-03-11T00:00:00Z');
    await h.send('Bo', '/sprint words 200');
    await h.send('Cy', '/sprint words 100');
    await at(Date.parse('2026-03-11T00:07:00Z'));
    expect((await sprintLogs()).map((l) => [l.user_id, l.local_date, l.words])).toEqual([
      ['bo', '2026-03-11', 200],
      ['cy', '2026-03-10', 100],
    ]);
  });

  it('asks before taking a count at an implausible rate, and takes it once confirmed', async () => {
    await h.send('Bo', '/sprint start 20 0');
    h.clock.set(T0 + 2 * MINUTE);
    const asked = await h.send('Bo', '/sprint words 1000');
    expect(asked!.text).toBe("That is 500 words a minute, above this group's 150. If 1,000 really is your total now, press Count it; otherwise send the right total (or +<words added>).");
    expect(await h.db.selectFrom('sprint_participants').select('final_count').execute()).toEqual([{ final_count: null }]);
    expect(await h.text('Bo', '/sprint status')).toMatch(/Bo: 0 words/);
    expect(await h.press('Bo', asked!.buttons!.find((b) => b.label === 'Count it')!)).toMatchObject({ text: expect.stringMatching(/^✅ 1,000 counted/) });
    expect(await h.db.selectFrom('sprint_participants').select('final_count').execute()).toEqual([{ final_count: 1000 }]);
  });

  it('counts a re-delivered count once, and +n adds to the latest count', async () => {
    await h.send('Bo', '/sprint start 20 0');
    h.clock.set(T0 + 10 * MINUTE);
    await h.send('Bo', '+250', 'delivery-1');
    expect(await h.send('Bo', '+250', 'delivery-1')).toBeUndefined();
    // An edit of the chat count is neither a second count nor a chat log.
    const edited = await h.deliver({ kind: 'message-edited', messageId: 'delivery-1', text: '+300 words', actor: h.actor({ name: 'Bo' }), conversation: h.conversation({ name: 'Bo' }), idempotencyKey: 'edit-1' });
    expect(edited).toBeUndefined();
    await h.send('Bo', '/sprint words +100');
    expect(await h.db.selectFrom('logs').select('id').execute()).toEqual([]);
    expect(await h.db.selectFrom('sprint_participants').select('final_count').execute()).toEqual([{ final_count: 350 }]);
  });

  it('answers each mistake with one private line and writes nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['Bo', '/sprint start 500', /^A sprint lasts 1 to 180 minutes \(got "500"\)\.$/],
      ['Bo', '/sprint start minutes:0', /^Bad value for minutes: "0"\. Expected/],
      ['Bo', '/sprint start 20 in:2000', /^Bad value for in: "2000"/],
      ['Bo', '/sprint start 20 at:11:00', /^11:00 has already passed in Europe\/London/],
      ['Bo', '/sprint words 10', /^There is no sprint in this channel right now\./],
      ['Bo', '/sprint join', /^There is no sprint in this channel right now\./],
      ['Bo', '/sprint status', /^There is no sprint in this channel right now\./],
      ['Bo', '/sprint notify maybe', /^\/sprint notify takes on/],
    ];
    for (const [who, line, expected] of cases) {
      const before = await rowCounts(h.db);
      const reply = await h.send(who, line);
      expect(reply?.visibility, line).toBe('private');
      expect(reply?.text, line).toMatch(expected);
      expect(reply?.text.includes('\n'), line).toBe(false);
      expect(await rowCounts(h.db), line).toEqual(before);
    }

    await h.send('Bo', '/sprint start 20');
    await h.send('Di', '/sprint join 1000');
    const stale = button(announcement(), 'Join');
    h.clock.set(T0 + 5 * MINUTE);
    const inSprint: [string, string, RegExp][] = [
      ['Cy', '/sprint start 10', new RegExp(`^A sprint is already under way here: it ends <t:${unix(T0 + 22 * MINUTE)}:R>\\.`)],
      ['Bo', '/sprint join 5', /^You're already in this sprint\./],
      ['Cy', '/sprint words 100', /^You haven't joined this sprint/],
      ['Di', '/sprint words 900', /^900 is below your starting count of 1,000/],
      ['Di', '/sprint words lots', /^A count is your total now, like 1200/],
      ['Di', '/sprint join abc', /^You're already in this sprint|^A starting count is/],
      ['Cy', '/sprint join abc', /^A starting count is your word count now/],
      ['Cy', '/sprint join same', /^You have no earlier sprint to continue from/],
      ['Cy', '/sprint cancel', /^Only the one who started this sprint, or a group admin, can cancel it\.$/],
      ['Cy', '/sprint leave', /^You're not in this sprint/],
    ];
    for (const [who, line, expected] of inSprint) {
      const before = await rowCounts(h.db);
      const reply = await h.send(who, line);
      expect(reply?.visibility, line).toBe('private');
      expect(reply?.text, line).toMatch(expected);
      expect(await rowCounts(h.db), line).toEqual(before);
    }

    expect(await h.send('Bo', '/sprint cancel')).toMatchObject({ visibility: 'channel', text: 'The sprint was cancelled by Bo. Nothing from it is counted.' });
    const before = await rowCounts(h.db);
    expect(await h.press('Cy', stale)).toMatchObject({ visibility: 'private', text: 'That sprint is over, so its buttons no longer work. Start another with /sprint start.' });
    expect(await rowCounts(h.db)).toEqual(before);
    // A cancelled sprint posts nothing more, ever.
    const count = h.adapter.posts.length;
    await at(T0 + 60 * MINUTE);
    expect(h.adapter.posts.length).toBe(count);
    expect(await sprintLogs()).toEqual([]);
  });

  it('takes a start back, and the starter\'s first join with it, when the channel refuses the announcement', async () => {
    const before = await rowCounts(h.db);
    h.adapter.brokenChannels.add('general');
    expect(await h.send('Bo', '/sprint start 20')).toMatchObject({ visibility: 'private', text: expect.stringMatching(/^I couldn't post the sprint in this channel \(Missing Access\), so it did not start\./) });
    expect(await rowCounts(h.db)).toEqual(before);
    h.adapter.brokenChannels.delete('general');
    expect(await h.text('Bo', '/sprint start 20')).toMatch(/^You're in/);
  });

  it('refuses counts after the window closed, with the reason, while the results are still to come', async () => {
    await h.send('Bo', '/sprint start 5 0');
    h.clock.set(T0 + 7 * MINUTE);
    expect(await h.text('Bo', '/sprint words 100')).toBe(`The submission window closed <t:${unix(T0 + 7 * MINUTE)}:R>, so counts are no longer taken.`);
  });

  it('ends the sprint with a note when everyone leaves', async () => {
    await h.send('Bo', '/sprint start 20');
    await h.send('Cy', '/sprint join');
    expect(await h.text('Bo', '/sprint leave')).toBe("You left the sprint: your words from it won't be counted.");
    expect(await h.press('Cy', button(announcement(), 'Leave'))).toMatchObject({ text: 'You left, and nobody is left in the sprint, so it is over.' });
    expect(posts().at(-1)).toBe('Everyone left the sprint, so it is over. Start another with /sprint start.');
    expect(await h.text('Bo', '/sprint status')).toMatch(/^There is no sprint in this channel/);
  });

  it('pings only the members on the sprint list when a sprint is announced', async () => {
    await h.send('Cy', '/sprint notify on');
    await h.send('Di', '/sprint notify on');
    await h.send('Di', '/sprint notify off');
    await h.send('Bo', '/sprint start');
    expect(announcement().reply.pings).toEqual({ users: ['cy'] });
  });

  it('never takes counts or button presses for a sprint from another group', async () => {
    await h.send({ name: 'Ada', admin: true, workspace: 'w2' }, '/setup America/New_York');
    await h.send('Bo', '/sprint start 20 0');
    const join = button(announcement(), 'Join');
    h.clock.set(T0 + 5 * MINUTE);
    // Bo of the other workspace posts a count in their own group's channel: it is theirs, not this sprint's.
    const other = { name: 'Bo', workspace: 'w2' };
    await h.send(other, '+250 words');
    expect(await h.db.selectFrom('logs').select(['source', 'words']).execute()).toEqual([{ source: 'chat', words: 250 }]);
    expect(await h.text(other, '/sprint words 100')).toMatch(/^There is no sprint in this channel/);
    expect(await h.press(other, join)).toMatchObject({ text: 'That sprint is over, so its buttons no longer work. Start another with /sprint start.' });
    expect(await h.db.selectFrom('sprint_participants').select(['member_id', 'final_count']).execute()).toEqual([{ member_id: expect.any(Number), final_count: null }]);
    // Nor does another group's channel in the same workspace: there, Bo's "+250 words" is that group's chat log.
    await h.send({ name: 'Ada', admin: true, channel: 'other' }, '/setup Asia/Kolkata');
    expect(await h.send({ name: 'Bo', channel: 'other' }, '+250 words')).toMatchObject({ reaction: '✅', text: expect.stringMatching(/Bo logged: 250 words/) });
    // And this group's own sprint still answers.
    expect(await h.text('Bo', '/sprint words 100')).toMatch(/^✅ 100 counted/);
  });

  it('still posts the results once, with the true times, after a restart in the middle', async () => {
    await h.send('Bo', '/sprint start 20 0');
    await h.send('Cy', '/sprint join 0');
    h.clock.set(T0 + 10 * MINUTE);
    await h.send('Bo', '/sprint words 400');
    await h.send('Cy', '+200');
    await h.app.close();
    // Back the next day: the results go out at once, WPM over the real 20 minutes, logs on the day it ended.
    h.clock.set(T0 + 26 * 3_600_000);
    const restarted = await h.anotherProcess();
    try {
      await restarted.app.scheduler.tick();
      await restarted.app.scheduler.tick();
      expect(posts(restarted.adapter)).toEqual([
        ['🏆 Sprint results (20 minutes)', '1. Bo: 400 words, 20 wpm', '2. Cy: 200 words, 10 wpm', "Everyone's words are in their log for the day."].join('\n'),
      ]);
      expect((await restarted.app.database.db.selectFrom('logs').select(['words', 'local_date']).orderBy('words', 'desc').execute())).toEqual([
        { words: 400, local_date: '2026-03-10' },
        { words: 200, local_date: '2026-03-10' },
      ]);
    } finally {
      await restarted.app.close();
    }
  });

  it('reads /sprint chain <count> [minutes] [gap] in that order, while /sprint start [minutes] [in] keeps its own', async () => {
    const chainOf = (length: number, minutes: number, gap: number, startsAt: number) =>
      `You're in a chain of ${length} sprints of ${minutes} minutes, ${gap} minutes apart. The first starts <t:${unix(startsAt)}:R>.`;
    const lastSprint = () => h.db.selectFrom('sprints').select(['minutes', 'start_at', 'chain_length', 'chain_gap_minutes']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(await h.text('Bo', '/sprint chain 3 25 5')).toBe(chainOf(3, 25, 5, T0 + 2 * MINUTE));
    expect(await lastSprint()).toEqual({ minutes: 25, start_at: T0 + 2 * MINUTE, chain_length: 3, chain_gap_minutes: 5 });
    await h.send('Bo', '/sprint cancel');
    expect(await h.text('Bo', '/sprint chain 2 30')).toBe(chainOf(2, 30, 5, T0 + 2 * MINUTE));
    await h.send('Bo', '/sprint cancel');
    // A named value takes its own slot; the rest follow in order. in: is the delay, as for start.
    expect(await h.text('Bo', '/sprint chain 2 minutes:15 8 in:10')).toBe(chainOf(2, 15, 8, T0 + 10 * MINUTE));
    await h.send('Bo', '/sprint cancel');
    expect(await h.text('Bo', '/sprint chain 3 25 5 7')).toBe('Too many values for /sprint: "7". It takes: action, value, minutes, gap.');
    expect(await h.text('Bo', '/sprint chain 3 200')).toBe('Bad value for minutes: "200". Expected a whole number from 1 to 180.');
    expect(await h.text('Bo', '/sprint start 30 5')).toMatch(new RegExp(`It starts <t:${unix(T0 + 5 * MINUTE)}:R>\\.$`));
    expect(await lastSprint()).toEqual({ minutes: 30, start_at: T0 + 5 * MINUTE, chain_length: 1, chain_gap_minutes: 0 });
  });

  it('runs a chain of three with gaps, every sprint happening though the process restarts during a break', async () => {
    expect(await h.text('Bo', '/sprint chain 3 10 5')).toBe(`You're in a chain of 3 sprints of 10 minutes, 5 minutes apart. The first starts <t:${unix(T0 + 2 * MINUTE)}:R>.`);
    expect(announcement().reply.text.split('\n')[0]).toBe('🏃 Sprint! 10 minutes (a chain of 3, 5 minutes apart), started by Bo.');
    await h.send('Cy', '/sprint join 1000');
    await at(T0 + 2 * MINUTE);
    h.clock.set(T0 + 8 * MINUTE);
    await h.send('Bo', '/sprint words 200');
    await h.send('Cy', '/sprint words 1100');
    await at(T0 + 12 * MINUTE);
    await at(T0 + 14 * MINUTE);
    const first = h.adapter.posts.at(-1)!;
    expect(first.reply.text).toBe(
      [
        '🏆 Sprint results (10 minutes, 1 of 3)',
        '1. Bo: 200 words, 20 wpm',
        '2. Cy: 100 words, 10 wpm',
        "Everyone's words are in their log for the day.",
        `Next in the chain (2 of 3): starts <t:${unix(T0 + 17 * MINUTE)}:R>, ends <t:${unix(T0 + 27 * MINUTE)}:R>. Everyone carries on from their count; Leave to step out.`,
      ].join('\n'),
    );
    expect(first.reply.buttons!.map((b) => b.label)).toEqual(['Join', 'Leave']);

    // The process stops in the break; a new one on the same database runs the rest of the chain.
    await h.app.close();
    const restarted = await h.anotherProcess();
    try {
      const step = async (minutes: number) => {
        h.clock.set(T0 + minutes * MINUTE);
        await restarted.app.scheduler.tick();
        await restarted.app.scheduler.tick();
      };
      await step(17);
      h.clock.set(T0 + 22 * MINUTE);
      await restarted.adapter.deliver({ kind: 'command', name: 'sprint', args: { text: 'words +300' }, actor: h.actor({ name: 'Cy' }), conversation: h.conversation({ name: 'Cy' }), idempotencyKey: 'cy-2' });
      for (const minutes of [27, 29, 32, 42, 44, 60]) await step(minutes);
      const texts = restarted.adapter.posts.map((p) => p.reply.text.split('\n')[0]!.split('!')[0]);
      expect(texts).toEqual(['🟢 Go', "⏰ Time's up", '🏆 Sprint results (10 minutes, 2 of 3)', '🟢 Go', "⏰ Time's up", '🏆 Sprint results (10 minutes, 3 of 3)']);
      expect(restarted.adapter.posts[2]!.reply.text.split('\n').slice(1, 3)).toEqual(['1. Cy: 300 words, 30 wpm ⭐ personal best', '2. Bo: 0 words, 0 wpm']);
      expect(restarted.adapter.posts.at(-1)!.reply.text).not.toMatch(/Next in the chain/);
      const logs = await restarted.app.database.db.selectFrom('logs').select(['words']).where('source', '=', 'sprint').orderBy('id').execute();
      expect(logs.map((l) => l.words).sort((a, b) => a - b)).toEqual([0, 0, 0, 100, 200, 300]);
    } finally {
      await restarted.app.close();
    }
  });

  it('ranks words written in sprints and sprints joined on /leaderboard sprints', async () => {
    for (const [i, [bo, cy]] of [[300, 200], [100, 250]].entries()) {
      await h.send('Bo', '/sprint start 10 0');
      await h.send('Cy', '/sprint join 1000');
      h.clock.set(T0 + (i * 20 + 5) * MINUTE);
      await h.send('Bo', `/sprint words ${bo}`);
      await h.send('Cy', `/sprint words ${1000 + cy!}`);
      await at(T0 + (i * 20 + 10) * MINUTE);
      await at(T0 + (i * 20 + 12) * MINUTE);
      h.clock.set(T0 + (i + 1) * 20 * MINUTE);
    }
    expect(await h.text('Bo', '/leaderboard sprints')).toMatch(/\n1\. Cy: 450 words in 2 sprints\n2\. Bo: 400 words in 2 sprints$/);
    expect(await h.text('Bo', '/leaderboard sprints all')).toMatch(/^🏆 Sprints: all time\n1\. Cy: 450 words in 2 sprints/);
  });

  it('says in the weekly digest how many sprints the group ran and who wrote most in them', async () => {
    await h.send('Bo', '/sprint start 10 0');
    await h.send('Cy', '/sprint join 0');
    h.clock.set(T0 + 5 * MINUTE);
    await h.send('Bo', '/sprint words 300');
    await h.send('Cy', '/sprint words 200');
    await at(T0 + 10 * MINUTE);
    await at(T0 + 12 * MINUTE);
    await at(Date.parse('2026-03-16T09:00:30Z'));
    const digest = posts().find((t) => t.startsWith('📬'))!;
    expect(digest.split('\n')).toContain('🏃 Sprints: 1 run. Most words: 1. Bo 300 · 2. Cy 200');
  });

  it('finishes a sprint whose channel refuses posts, its logs still counted, and posts the results once the channel works', async () => {
    await h.send('Bo', '/sprint start 10 0');
    h.clock.set(T0 + 5 * MINUTE);
    await h.send('Bo', '/sprint words 250');
    h.adapter.brokenChannels.add('general');
    await at(T0 + 10 * MINUTE);
    await at(T0 + 12 * MINUTE);
    expect(await sprintLogs()).toEqual([expect.objectContaining({ user_id: 'bo', words: 250, minutes: 10 })]);
    expect(await h.text('Bo', '/sprint status')).toMatch(/^There is no sprint in this channel/);
    expect(posts().some((t) => t.startsWith('🏆'))).toBe(false);
    h.adapter.brokenChannels.delete('general');
    await at(T0 + 20 * MINUTE);
    expect(posts().filter((t) => t.startsWith('🏆'))).toEqual(['🏆 Sprint results (10 minutes)\n1. Bo: 250 words, 25 wpm\nEveryone\'s words are in their log for the day.']);
    expect(await sprintLogs()).toHaveLength(1);
  });

  it('takes the submission window and the rate that asks for confirmation from the group settings', async () => {
    expect(await h.text(admin, '/config sprint_window 5')).toBe('Updated sprint_window: 5 minutes');
    expect(await h.text(admin, '/config sprint_max_wpm 600')).toBe('Updated sprint_max_wpm: 600 words a minute');
    expect(await h.text(admin, '/config sprint_window 90')).toMatch(/sprint_window must be a whole number from 1 to 30/);
    await h.send('Bo', '/sprint start 10 0');
    h.clock.set(T0 + MINUTE);
    expect(await h.text('Bo', '/sprint words 500')).toMatch(/^✅ 500 counted/);
    h.clock.set(T0 + 14 * MINUTE);
    expect(await h.text('Bo', '/sprint words 900')).toBe('✅ 900 counted: 900 words this sprint. Final counts are taken until the results.');
    await at(T0 + 15 * MINUTE);
    expect(posts().at(-1)).toMatch(/^🏆 Sprint results \(10 minutes\)\n1\. Bo: 900 words, 90 wpm/);
  });

  it('makes one sprint of a re-delivered start, continues a count with join same, and lets an admin cancel', async () => {
    await h.send('Bo', '/sprint start 5 0', 'start-1');
    expect(await h.text('Bo', '/sprint start 5 0', 'start-1')).toMatch(/^You're in/);
    expect(await h.db.selectFrom('sprints').select('id').execute()).toHaveLength(1);
    expect(h.adapter.posts.filter((p) => p.reply.text.startsWith('🏃'))).toHaveLength(1);
    h.clock.set(T0 + 3 * MINUTE);
    await h.send('Bo', '/sprint words 240');
    await at(T0 + 5 * MINUTE);
    await at(T0 + 7 * MINUTE);
    await h.send('Cy', '/sprint start 10 0');
    expect(await h.text('Bo', '/sprint join same')).toMatch(/^You're in with a starting count of 240\./);
    expect(await h.send(admin, '/sprint cancel')).toMatchObject({ visibility: 'channel', text: 'The sprint was cancelled by Ada. Nothing from it is counted.' });
  });

  it('starts on the group clock across the spring-forward change, and tells a time already passed', async () => {
    await h.send(admin, '/config timezone America/New_York');
    h.clock.set('2026-03-08T06:50:00Z'); // 01:50 EST; clocks jump from 02:00 to 03:00
    expect(await h.text('Bo', '/sprint start 15 at:03:15')).toBe(`You're in with a starting count of 0 (send /sprint words <total> as you go). It starts <t:${unix(Date.parse('2026-03-08T07:15:00Z'))}:R>.`);
    expect(announcement().reply.text.split('\n')[1]).toBe(`Starts <t:${unix(Date.parse('2026-03-08T07:15:00Z'))}:R>, ends <t:${unix(Date.parse('2026-03-08T07:30:00Z'))}:R>.`);
    await h.send('Bo', '/sprint cancel');
    expect(await h.text('Bo', '/sprint start 15 at:01:00')).toBe('01:00 has already passed in America/New_York (it is 01:50 now). Pick a time within the next 12 hours, or use in:<minutes>.');
  });
});
