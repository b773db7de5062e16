import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FormValues } from '../../src/core/invocation';
import type { Reply } from '../../src/core/reply';
import { findTotals } from '../../src/db/member-totals.repository';
import { Harness, type Speaker } from '../support/harness';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('responses', () => {
  let h: Harness;
  let sequence = 0;
  beforeEach(async () => {
    sequence = 0;
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup Europe/London channel:#reading');
  });
  afterEach(() => h.close());

  const announcement = () => h.adapter.posts.find((p) => p.reply.text.startsWith('📣 New from'))!;
  const button = (action: string) => announcement().reply.buttons!.find((b) => b.action === action)!;
  const publish = (who = 'Bo', title = 'Why I Write') => h.send(who, `/publish https://medium.com/@${who.toLowerCase()}/why-i-write-${++sequence} ${title}`);
  const reading = (name: string): Speaker => ({ name, channel: 'reading' });
  const respond = (speaker: Speaker | string, values: FormValues, payload = button('respond').payload!, key?: string): Promise<Reply | void> => {
    const who = typeof speaker === 'string' ? reading(speaker) : speaker;
    return h.deliver({ kind: 'form', action: 'respond', payload, values, actor: h.actor(who), conversation: h.conversation(who), idempotencyKey: key ?? `form${++sequence}` });
  };
  const memberId = async (name: string) =>
    (await h.db.selectFrom('members').innerJoin('people', 'people.id', 'members.person_id').select('members.id').where('people.user_id', '=', name.toLowerCase()).executeTakeFirstOrThrow()).id;
  const allTime = async (name: string) => (await findTotals(h.db, await memberId(name))).get('all');
  const totalsOf = async (name: string) => {
    const row = await h.db.selectFrom('member_totals').select(['reads', 'responses_given', 'responses_received']).where('member_id', '=', await memberId(name)).where('period', '=', 'all').executeTakeFirst();
    return row && { reads: Number(row.reads), given: Number(row.responses_given), received: Number(row.responses_received) };
  };

  it('GIVEN an announcement THEN it has a Respond button next to I read it, which opens a form of one text field and a choice', async () => {
    await publish();
    expect(announcement().reply.buttons!.map((b) => b.label)).toEqual(['Read it', 'I read it', 'Respond']);
    const opened = await h.press(reading('Cy'), button('respond'));
    expect(opened).toMatchObject({ visibility: 'private', form: { action: 'respond', payload: button('respond').payload, text: { minLength: 10, maxLength: 1000 } } });
    expect(opened!.form!.choice.options.map((o) => o.value)).toEqual(['private', 'thread']);
    expect(opened!.text).toMatch(/on the next line/);
  });

  it('GIVEN a private response in the first hour THEN the author gets it by DM with the name and a link, and it counts as a first-hour read once', async () => {
    await publish();
    const reply = await respond('Cy', { text: 'The ending stayed with me all day.', choice: 'private' });
    expect(reply).toEqual({ visibility: 'private', text: '💬 Response: sent privately to Bo. It also counts as your first-hour read. Thank you!' });
    const [dm] = h.adapter.directMessages;
    expect(dm!.to.userId).toBe('bo');
    expect(dm!.reply.text).toBe(`💬 Cy responded to your article "Why I Write":\nThe ending stayed with me all day.\nThe article: https://medium.com/@bo/why-i-write-1 (announced in <#reading>)`);
    expect(dm!.reply.buttons).toEqual([{ action: '', label: 'Open the article', url: 'https://medium.com/@bo/why-i-write-1' }]);
    // The click after the response counts nothing more.
    expect((await h.press(reading('Cy'), button('read')))!.text).toBe('You already counted this one: each read counts once.');
    expect(await totalsOf('Cy')).toEqual({ reads: 1, given: 1, received: 0 });
    expect(await totalsOf('Bo')).toMatchObject({ given: 0, received: 1 });
    await h.app.services.publications.flushEdits();
    expect(h.adapter.edits.at(-1)!.reply.text).toMatch(/1 read so far/);
  });

  it('GIVEN I read it clicked first THEN the response adds no second read, and one in a later hour is a later read', async () => {
    await publish();
    await h.press(reading('Cy'), button('read'));
    expect((await respond('Cy', { text: 'Clicked first, responding now.', choice: 'private' }))!.text).toBe('💬 Response: sent privately to Bo.');
    h.clock.advance(2 * HOUR);
    expect((await respond('Di', { text: 'Late, but it was worth it.', choice: 'private' }))!.text).toMatch(/It also counts as your read\.$/);
    expect(await totalsOf('Cy')).toEqual({ reads: 1, given: 1, received: 0 });
    expect(await totalsOf('Di')).toEqual({ reads: 0, given: 1, received: 0 });
    const reads = await h.db.selectFrom('reads').select(['member_id', 'first_hour']).orderBy('id').execute();
    expect(reads.map((r) => r.first_hour)).toEqual([1, 0]);
  });

  it('GIVEN a response in the thread THEN it is posted there without pings, and sending again within a day edits it in place', async () => {
    await publish();
    const ann = announcement();
    expect((await respond('Cy', { text: 'Loved it, <@bo> @everyone <@&123> read this', choice: 'thread' }))!.text).toBe("💬 Response: posted in the announcement's thread. It also counts as your first-hour read. Thank you!");
    const post = h.adapter.posts.at(-1)!;
    expect(post.to).toMatchObject({ channelId: 'reading', threadId: ann.messageId });
    expect(post.reply.text).toBe('💬 Cy on "Why I Write":\nLoved it, ‹@bo› @\u200beveryone ‹@&123› read this');
    expect(post.reply.pings).toBeUndefined();
    h.clock.advance(5 * HOUR);
    const opened = await h.press(reading('Cy'), button('respond'));
    expect(opened!.form!.text.value).toBe('Loved it, <@bo> @everyone <@&123> read this');
    expect((await respond('Cy', { text: 'Changed my mind: the middle is the best part.', choice: 'thread' }))!.text).toBe("✏️ Response replaced: posted in the announcement's thread.");
    const edit = h.adapter.edits.find((e) => e.ref.messageId === post.messageId)!;
    expect(edit.reply.text).toBe('💬 Cy on "Why I Write":\nChanged my mind: the middle is the best part.');
    expect(h.adapter.posts.filter((p) => p.to.threadId)).toHaveLength(1);
    expect(await totalsOf('Cy')).toMatchObject({ given: 1 });
    h.clock.advance(20 * HOUR);
    expect((await respond('Cy', { text: 'A third try, too late now.', choice: 'thread' }))!.text).toBe(
      'You responded to this article on Tue 10 Mar; a response can be replaced only within 24 hours of sending it.',
    );
    expect((await h.press(reading('Cy'), button('respond')))!.text).toMatch(/only within 24 hours/);
  });

  it('GIVEN the author has closed DMs THEN they alone are mentioned in the group channel, and the words stay private', async () => {
    await publish();
    h.adapter.closedDirectMessages.add('bo');
    expect((await respond('Cy', { text: 'A quiet, private thank you.', choice: 'private' }))!.text).toMatch(/direct messages are closed: they were told in the group channel/);
    const mention = h.adapter.posts.at(-1)!;
    expect(mention.to.channelId).toBe('general');
    expect(mention.reply.pings).toEqual({ users: ['bo'] });
    expect(mention.reply.text).not.toContain('quiet');
    expect(await h.text('Bo', '/responses')).toBe(
      '💬 Responses to your articles, last 30 days\n\nWhy I Write (1 response): https://medium.com/@bo/why-i-write-1\n• Cy: A quiet, private thank you.',
    );
  });

  it.each([
    ['empty', { text: '   ', choice: 'private' }, 'Your response is empty: write 10 to 1000 characters.'],
    ['too short', { text: 'Nice one', choice: 'private' }, 'Your response is too short (8 characters): write 10 to 1000 characters.'],
    ['too long', { text: 'x'.repeat(1001), choice: 'private' }, 'Your response is too long (1001 characters): the limit is 1000.'],
    ['control characters', { text: 'Hidden \u202e reversed text', choice: 'private' }, 'Your response contains control characters; please use plain text (line breaks are fine).'],
    ['an unknown choice', { text: 'Where does this go?', choice: 'everyone' }, 'Choose where your response goes: private or thread.'],
  ])('GIVEN %s THEN it is refused privately in one line and nothing is kept', async (_, values, expected) => {
    await publish();
    const reply = await respond('Cy', values);
    expect(reply).toEqual({ visibility: 'private', text: expected });
    expect(await h.db.selectFrom('responses').selectAll().execute()).toEqual([]);
    expect(h.adapter.directMessages).toEqual([]);
    expect(await h.db.selectFrom('reads').selectAll().execute()).toEqual([]);
    expect((await h.send('Cy', '/reads'))!.text).toBe("You haven't joined this group yet. Use /join, or just /log some writing.");
  });

  it('GIVEN a response to one’s own article, a stale form or another group’s article THEN each is refused with the reason', async () => {
    await publish();
    const values = { text: 'Responding where I should not.', choice: 'private' };
    expect((await respond('Bo', values))!.text).toBe("That's your own article: responses are for the group's readers. 🙂");
    expect((await respond('Cy', values, '999999'))!.text).toBe('That announcement is gone, so there is nothing to respond to.');
    expect((await respond('Cy', values, 'not-a-number'))!.text).toBe('That announcement is gone, so there is nothing to respond to.');
    expect((await h.deliver({ kind: 'form', action: 'nothing', payload: '1', values, actor: h.actor({ name: 'Cy' }), conversation: h.conversation({ name: 'Cy' }), idempotencyKey: 'f-x' }))!.text).toBe(
      'That form no longer works. Press the button again for a fresh one.',
    );
    // Another workspace, and another group of the same workspace, cannot reach this article.
    expect((await respond({ name: 'Eve', workspace: 'w2', channel: 'reading' }, values))!.text).toBe('That article belongs to another group: respond from its own announcement.');
    await h.send({ name: 'Ola', admin: true, channel: 'other' }, '/setup UTC');
    expect((await respond({ name: 'Ola', channel: 'other' }, values))!.text).toBe('That article belongs to another group: respond from its own announcement.');
    expect(await h.db.selectFrom('responses').selectAll().execute()).toEqual([]);
    // The group still answers: a real response goes through afterwards.
    expect((await respond('Cy', values))!.text).toMatch(/^💬 Response: sent privately to Bo/);
  });

  it('GIVEN the author or the group turned responses off THEN the form is refused, and on again it works', async () => {
    await publish();
    expect(await h.text('Bo', '/privacy responses off')).toMatch(/^Responses to your articles are off/);
    expect((await h.press(reading('Cy'), button('respond')))!.text).toBe('Bo has turned responses to their articles off.');
    expect((await respond('Cy', { text: 'Trying anyway, politely.', choice: 'private' }))!.text).toBe('Bo has turned responses to their articles off.');
    await h.send('Bo', '/privacy responses on');
    expect(await h.text(admin, '/config responses off')).toMatch(/responses/);
    expect((await h.press(reading('Cy'), button('respond')))!.text).toBe("This group's admins have turned responses off.");
    await h.send(admin, '/config responses on');
    expect((await h.press(reading('Cy'), button('respond')))!.form).toBeDefined();
  });

  it('GIVEN responses off for the author or the group THEN their announcements carry no Respond button, and the next read takes it off an earlier one', async () => {
    const labels = (reply: Reply) => reply.buttons!.map((b) => b.label);
    const latest = () => h.adapter.posts.filter((p) => p.reply.text.startsWith('📣 New from')).at(-1)!.reply;
    await publish('Bo');
    await h.send('Bo', '/privacy responses off');
    await publish('Bo');
    expect(labels(latest())).toEqual(['Read it', 'I read it']);
    // The first announcement loses its button with its next edit.
    await h.press(reading('Cy'), button('read'));
    await vi.waitFor(() => expect(h.adapter.edits.length).toBeGreaterThan(0));
    expect(labels(h.adapter.edits.at(-1)!.reply)).toEqual(['Read it', 'I read it']);
    await h.send('Bo', '/privacy responses on');
    await h.send(admin, '/config responses off');
    await publish('Di');
    expect(labels(latest())).toEqual(['Read it', 'I read it']);
    await h.send(admin, '/config responses on');
    await publish('Di');
    expect(labels(latest())).toEqual(['Read it', 'I read it', 'Respond']);
  });

  it('GIVEN 20 responses within an hour THEN the 21st is rate-limited with the reason, and an hour later it goes', async () => {
    for (let i = 0; i < 21; i++) await publish(`Author${i}`, `Story ${i}`);
    const payloads = h.adapter.posts.filter((p) => p.reply.text.startsWith('📣')).map((p) => p.reply.buttons!.find((b) => b.action === 'respond')!.payload!);
    for (const payload of payloads.slice(0, 20)) expect((await respond('Cy', { text: 'Thank you for this one.', choice: 'private' }, payload))!.text).toMatch(/^💬/);
    expect((await respond('Cy', { text: 'Thank you for this one.', choice: 'private' }, payloads[20]))!.text).toBe(
      "You've sent 20 responses in the last hour, the most I take in an hour. Please send this one a little later.",
    );
    h.clock.advance(HOUR + MINUTE);
    expect((await respond('Cy', { text: 'Thank you for this one.', choice: 'private' }, payloads[20]))!.text).toMatch(/^💬/);
  });

  it('GIVEN a re-delivered form THEN it changes nothing and sends nothing twice', async () => {
    await publish();
    await respond('Cy', { text: 'Delivered twice by the platform.', choice: 'private' }, undefined, 'same-key');
    await respond('Cy', { text: 'Delivered twice by the platform.', choice: 'private' }, undefined, 'same-key');
    expect(h.adapter.directMessages).toHaveLength(1);
    expect(await totalsOf('Cy')).toMatchObject({ given: 1, reads: 1 });
  });

  it('GIVEN responses THEN the wrap-up, /reads, /leaderboard responses and the weekly digest count them', async () => {
    await publish();
    await respond('Cy', { text: 'First response of the group.', choice: 'private' });
    await h.press(reading('Di'), button('read'));
    h.clock.advance(61 * MINUTE);
    await h.tick();
    const wrapUp = h.adapter.posts.find((p) => p.reply.text.startsWith('⏱️'))!;
    expect(wrapUp.reply.text).toBe('⏱️ First hour over for "Why I Write" by Bo: 2 first-hour reads: Cy, Di\n💬 1 reader responded.');
    expect(await h.text('Cy', '/reads')).toContain('Responses given: 1\nResponses received: 0');
    expect(await h.text('Bo', '/reads')).toContain('Responses given: 0\nResponses received: 1');
    expect(await h.text('Cy', '/leaderboard responses week')).toMatch(/^🏆 Responses: this week, .*\n1\. Cy: 1 response$/);
    expect(await h.text('Cy', '/leaderboard responses all')).toBe('🏆 Responses: all time\n1. Cy: 1 response');
    const digest = await h.app.services.digests.weekly(await h.app.services.groups.get(1), '2026-03-16T09:00');
    expect(digest.text).toContain("💬 The group's most generous readers: 1. Cy 1 response");
  });

  it('GIVEN a week start change THEN the response totals are counted again from the rows', async () => {
    await publish();
    await respond('Cy', { text: 'Counted before and after.', choice: 'private' });
    const before = await findTotals(h.db, await memberId('Cy'));
    await h.send(admin, '/config week_start sunday');
    const after = await h.db.selectFrom('member_totals').select(['period', 'responses_given']).where('member_id', '=', await memberId('Cy')).orderBy('period').execute();
    expect(after.map((r) => [r.period.split(':')[0], Number(r.responses_given)])).toEqual([['all', 1], ['month', 1], ['week', 1], ['year', 1]]);
    expect(before.size).toBe(4);
  });

  it('GIVEN responses THEN /export has those written and received, and /forget removes those written from every total', async () => {
    await publish();
    await respond('Cy', { text: 'For the export, with thanks.', choice: 'thread' });
    const cy = JSON.parse(String((await h.send('Cy', '/export'))!.files![0]!.content));
    expect(cy.groups[0].responsesWritten).toEqual([expect.objectContaining({ url: 'https://medium.com/@bo/why-i-write-1', text: 'For the export, with thanks.', delivery: 'thread' })]);
    const bo = JSON.parse(String((await h.send('Bo', '/export'))!.files![0]!.content));
    expect(bo.groups[0].responsesReceived).toEqual([expect.objectContaining({ from: 'Cy', text: 'For the export, with thanks.' })]);
    const confirm = await h.send('Cy', '/forget');
    await h.press('Cy', confirm!.buttons!.find((b) => b.action !== '')!);
    expect(await h.db.selectFrom('responses').selectAll().execute()).toEqual([]);
    const threadPost = h.adapter.posts.find((p) => p.to.threadId)!;
    expect(h.adapter.edits.find((e) => e.ref.messageId === threadPost.messageId)!.reply.text).toBe('💬 This response was withdrawn by its writer.');
    expect(await totalsOf('Bo')).toMatchObject({ received: 0 });
    expect(await h.text('Bo', '/responses')).toBe('No responses to your articles of the last 30 days yet.');
  });

  it('GIVEN the author forgets THEN responses to their articles leave the readers’ totals', async () => {
    await publish();
    await respond('Cy', { text: 'To an author who leaves.', choice: 'private' });
    const confirm = await h.send('Bo', '/forget');
    await h.press('Bo', confirm!.buttons!.find((b) => b.action !== '')!);
    expect(await totalsOf('Cy')).toMatchObject({ given: 0, reads: 0 });
    expect(await allTime('Cy')).toBeDefined();
  });
});
