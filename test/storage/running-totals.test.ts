import { afterEach, describe, expect, it } from 'vitest';
import type { Invocation } from '../../src/core/invocation';
import { APOLOGY, type Reply, type ReplyButton } from '../../src/core/reply';
import { insertInboxEntry } from '../../src/db/command-inbox.repository';
import type { Db } from '../../src/db/database';
import { abandonInboxRun, runForInboxEntry } from '../../src/db/inbox-scope';
import { localDateOf } from '../../src/domain/local-date';
import { monthOf, periodKeysOf, yearOf } from '../../src/domain/periods';
import { addDays } from '../../src/domain/local-date';
import * as runningTotals from '../../migrations/20261201000000_running_totals';
import * as followerPeriods from '../../migrations/20261201000350_follower_periods';
import * as responses from '../../migrations/20261201000400_responses';
import * as calendarKeptWithLogs from '../../migrations/20261201000650_calendar_kept_with_logs';
import { DIALECTS } from '../support/databases';
import { Harness, type Speaker } from '../support/harness';

/** A small seeded random source (mulberry32), so a failing sequence can be replayed from its seed. */
function randomFrom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

type Totals = { words: number; minutes: number; days: number; reads: number };
const ZERO: Totals = { words: 0, minutes: 0, days: 0, reads: 0 };

/** The dates a period key stands for, worked out from the key alone. */
function spanOfKey(key: string): { from: string; to: string } {
  if (key === 'all') return { from: '0000-01-01', to: '9999-12-31' };
  const [kind, value] = key.split(':') as [string, string];
  if (kind === 'week') return { from: value, to: addDays(value, 6) };
  if (kind === 'month') return monthOf(`${value}-01`);
  return yearOf(`${value}-01-01`);
}

/**
 * Every kept total against its rows: for each member and period, the words, minutes, distinct dates
 * and first-hour reads summed from logs and reads. Returns the differences (none when all agree).
 */
async function differences(db: Db): Promise<string[]> {
  const groups = await db.selectFrom('groups').select(['id', 'timezone', 'week_start']).execute();
  const logs = await db.selectFrom('logs').select(['member_id', 'group_id', 'local_date', 'words', 'minutes']).execute();
  const reads = await db
    .selectFrom('reads')
    .innerJoin('publications', 'publications.id', 'reads.publication_id')
    .select(['reads.member_id', 'publications.group_id', 'reads.read_at'])
    .where('reads.first_hour', '=', 1)
    .execute();
  const kept = await db.selectFrom('member_totals').selectAll().execute();
  const settings = new Map(groups.map((g) => [g.id, g]));
  const expected = new Map<string, Totals>();
  const dates = new Map<string, Set<string>>();
  const add = (memberId: number, period: string, delta: Partial<Totals>, date?: string) => {
    const key = `${memberId}|${period}`;
    const totals = expected.get(key) ?? { ...ZERO };
    totals.words += delta.words ?? 0;
    totals.minutes += delta.minutes ?? 0;
    totals.reads += delta.reads ?? 0;
    if (date) dates.set(key, (dates.get(key) ?? new Set()).add(date));
    totals.days = dates.get(key)?.size ?? totals.days;
    expected.set(key, totals);
  };
  for (const log of logs) {
    for (const period of periodKeysOf(log.local_date, settings.get(log.group_id)!.week_start)) add(log.member_id, period, { words: log.words, minutes: log.minutes }, log.local_date);
  }
  for (const read of reads) {
    const group = settings.get(read.group_id)!;
    const date = localDateOf(Number(read.read_at), { zone: group.timezone, rolloverHour: 0 });
    for (const period of periodKeysOf(date, group.week_start)) add(read.member_id, period, { reads: 1 });
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of kept) {
    const key = `${row.member_id}|${row.period}`;
    seen.add(key);
    const actual = { words: Number(row.words), minutes: Number(row.minutes), days: Number(row.days), reads: Number(row.reads) };
    const want = expected.get(key) ?? ZERO;
    if (JSON.stringify(actual) !== JSON.stringify(want)) problems.push(`${key}: kept ${JSON.stringify(actual)}, rows say ${JSON.stringify(want)}`);
    // The key means the dates it says: its logs, summed over those dates directly, agree.
    const span = spanOfKey(row.period);
    const direct = logs.filter((l) => l.member_id === row.member_id && l.local_date >= span.from && l.local_date <= span.to).reduce((sum, l) => sum + l.words, 0);
    if (direct !== actual.words) problems.push(`${key}: kept ${actual.words} words, its dates hold ${direct}`);
  }
  for (const [key, want] of expected) if (!seen.has(key) && JSON.stringify(want) !== JSON.stringify(ZERO)) problems.push(`${key}: missing, rows say ${JSON.stringify(want)}`);
  return problems;
}

/**
 * Every kept follower period against the reports: for each member and period, the reports dated in it
 * (on the group's dates) add up to its gain, one of them is the member's first or none is, and the
 * last one's total is its end. Returns the differences (none when all agree).
 */
async function followerDifferences(db: Db): Promise<string[]> {
  const groups = new Map((await db.selectFrom('groups').select(['id', 'timezone', 'week_start']).execute()).map((g) => [g.id, g]));
  const reports = await db.selectFrom('follower_snapshots').select(['member_id', 'group_id', 'total', 'previous_total', 'recorded_at']).orderBy('recorded_at').orderBy('id').execute();
  const kept = await db.selectFrom('follower_periods').selectAll().execute();
  const problems: string[] = [];
  const dated = reports.map((r) => ({ ...r, date: localDateOf(Number(r.recorded_at), { zone: groups.get(r.group_id)!.timezone, rolloverHour: 0 }) }));
  for (const row of kept) {
    const span = spanOfKey(row.period);
    const inPeriod = dated.filter((r) => r.member_id === row.member_id && r.date >= span.from && r.date <= span.to);
    const want = {
      gain: inPeriod.reduce((sum, r) => sum + r.total - (r.previous_total ?? 0), 0),
      first_report: inPeriod.some((r) => r.previous_total === null) ? 1 : 0,
      end_total: inPeriod.at(-1)?.total,
    };
    const actual = { gain: Number(row.gain), first_report: Number(row.first_report), end_total: Number(row.end_total) };
    if (JSON.stringify(actual) !== JSON.stringify(want)) problems.push(`${row.member_id}|${row.period}: kept ${JSON.stringify(actual)}, reports say ${JSON.stringify(want)}`);
  }
  // Every report is counted in each of its periods.
  const keys = new Set(kept.map((row) => `${row.member_id}|${row.period}`));
  for (const report of dated)
    for (const period of periodKeysOf(report.date, groups.get(report.group_id)!.week_start))
      if (!keys.has(`${report.member_id}|${period}`)) problems.push(`${report.member_id}|${period}: missing, a report is dated ${report.date}`);
  return problems;
}

/**
 * Every kept day of the groups' calendars against the logs: the members who logged on it and their
 * words. Days that went back to nothing may stay as zero. Returns the differences (none when all agree).
 */
async function calendarDifferences(db: Db): Promise<string[]> {
  const logs = await db.selectFrom('logs').select(['member_id', 'group_id', 'local_date', 'words']).execute();
  const expected = new Map<string, { writers: Set<number>; words: number }>();
  for (const log of logs) {
    const key = `${log.group_id}|${log.local_date}`;
    const day = expected.get(key) ?? { writers: new Set(), words: 0 };
    day.writers.add(log.member_id);
    day.words += log.words;
    expected.set(key, day);
  }
  const kept = new Map((await db.selectFrom('group_calendar_days').selectAll().execute()).map((r) => [`${r.group_id}|${r.local_date}`, { writers: Number(r.writers), words: Number(r.words) }]));
  const problems: string[] = [];
  for (const key of new Set([...expected.keys(), ...kept.keys()])) {
    const want = expected.get(key);
    const actual = kept.get(key) ?? { writers: 0, words: 0 };
    const wanted = { writers: want?.writers.size ?? 0, words: want?.words ?? 0 };
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`calendar ${key}: kept ${JSON.stringify(actual)}, logs say ${JSON.stringify(wanted)}`);
  }
  return problems;
}

const admin: Speaker = { name: 'Ada', admin: true };
const WRITERS: Speaker[] = [{ name: 'Bo' }, { name: 'Cy' }, { name: 'Di' }, { name: 'Ed', channel: 'poetry' }, { name: 'Bo', channel: 'poetry' }];
const SEEDS = [1, 2, 3];
const STEPS = 80;

/** A group with an article announced by its admin: the announcement's "I read it" button. */
async function announcement(h: Harness, publish: string): Promise<ReplyButton> {
  await h.send(admin, '/setup Europe/London');
  await h.send(admin, '/config fair_reads 0');
  await h.send(admin, `/publish ${publish}`);
  return h.adapter.posts.at(-1)!.reply.buttons!.find((b) => b.action === 'read')!;
}

/** Plays a seeded random sequence of everything that changes logs and reads, checking the totals after each step. */
async function playSequence(h: Harness, seed: number): Promise<void> {
  await h.send(admin, '/setup Europe/London');
  await h.send({ ...admin, channel: 'poetry' }, '/setup America/New_York');
  for (const channel of ['general', 'poetry']) await h.send({ ...admin, channel }, '/config fair_reads 0');
  const random = randomFrom(seed);
  const reporting = randomFrom(seed + 1000);
  const messages: { speaker: Speaker; id: string }[] = [];
  const announcements: { reply: Reply; channelId: string }[] = [];
  let n = 0;
  const message = (kind: Invocation['kind'], speaker: Speaker, messageId: string, text: string): Invocation =>
    ({ kind, messageId, text, actor: h.actor(speaker), conversation: h.conversation(speaker), idempotencyKey: `k${n++}` }) as Invocation;
  const actions = {
    log: async () => {
      const speaker = random.pick(WRITERS);
      const date = random.pick(['', ' date:yesterday', ` date:${localDateOf(h.clock.now() - 2 * 86_400_000, { zone: 'UTC', rolloverHour: 0 })}`]);
      await h.send(speaker, `/log ${random.int(1, 2000)} ${random.int(1, 90)}${date}`);
    },
    chat: async () => {
      const speaker = random.pick(WRITERS);
      const id = `m${n}`;
      messages.push({ speaker, id });
      await h.deliver(message('message', speaker, id, `+${random.int(1, 900)} words`));
    },
    edit: async () => {
      if (!messages.length) return;
      const { speaker, id } = random.pick(messages);
      await h.deliver(message('message-edited', speaker, id, random.next() < 0.3 ? 'never mind' : `+${random.int(1, 900)} words`));
    },
    delete: async () => {
      if (!messages.length) return;
      const { speaker, id } = random.pick(messages);
      await h.deliver(message('message-deleted', speaker, id, ''));
    },
    undo: async () => {
      await h.send(random.pick(WRITERS), '/undo');
    },
    publish: async () => {
      const speaker = random.pick(WRITERS);
      await h.send(speaker, `/publish https://example.com/${n++} Story ${n}`);
      const post = h.adapter.posts.at(-1);
      if (post?.reply.buttons?.some((b) => b.action === 'read')) announcements.push({ reply: post.reply, channelId: post.to.channelId });
    },
    read: async () => {
      if (!announcements.length) return;
      const announcement = random.pick(announcements);
      // Pressed on the announcement, by someone in its channel (a press from another group's channel is refused).
      const readers = WRITERS.filter((writer) => (writer.channel ?? 'general') === announcement.channelId);
      await h.press(random.pick(readers), announcement.reply.buttons!.find((b) => b.action === 'read')!);
    },
    time: async () => {
      // Mostly minutes (reads stay in their first hour), sometimes days (new dates, weeks, months).
      h.clock.advance(random.next() < 0.7 ? random.int(1, 30) * 60_000 : random.int(1, 72) * 3_600_000);
    },
    settings: async () => {
      const channel = random.pick(['general', 'poetry']);
      if (random.next() < 0.5) await h.send({ ...admin, channel }, `/config week_start ${random.pick(['monday', 'sunday', 'wednesday'])}`);
      else await h.send({ ...admin, channel }, `/config timezone ${random.pick(['Asia/Kolkata', 'Pacific/Kiritimati', 'Etc/GMT+12', 'Europe/London'])}`);
    },
    forget: async () => {
      const speaker = random.pick(WRITERS);
      const reply = await h.send(speaker, '/forget');
      const confirm = reply && 'buttons' in reply ? reply.buttons?.[0] : undefined;
      if (confirm) await h.press(speaker, confirm);
    },
  };
  const weights: [keyof typeof actions, number][] = [['log', 6], ['chat', 4], ['edit', 3], ['delete', 2], ['undo', 2], ['publish', 3], ['read', 6], ['time', 5], ['settings', 1], ['forget', 1]];
  const bag = weights.flatMap(([name, weight]) => Array<keyof typeof actions>(weight).fill(name));
  const done: string[] = [];
  for (let step = 0; step < STEPS; step++) {
    const name = random.pick(bag);
    done.push(name);
    await actions[name]();
    // Follower reports come from a source of their own, so the rest of each sequence stays as it was.
    if (reporting.next() < 0.15) {
      done.push('followers');
      await h.send(reporting.pick(WRITERS), `/followers ${reporting.int(0, 5000)} ${reporting.pick(['medium', 'substack'])}`);
    }
    const problems = [...(await differences(h.db)), ...(await followerDifferences(h.db)), ...(await calendarDifferences(h.db))];
    expect(problems, `seed ${seed} after ${done.join(', ')}`).toEqual([]);
  }
  expect(h.errors).toEqual([]);
  // The sequence did change things: some totals are kept.
  expect(await h.db.selectFrom('member_totals').select('member_id').where('words', '>', 0).execute()).not.toEqual([]);
  expect(await h.db.selectFrom('member_totals').select('member_id').where('reads', '>', 0).execute()).not.toEqual([]);
  expect(await h.db.selectFrom('follower_periods').select('member_id').where('gain', '<>', 0).execute()).not.toEqual([]);
  expect(await h.db.selectFrom('group_calendar_days').select('group_id').where('writers', '>', 0).execute()).not.toEqual([]);
}

for (const dialect of DIALECTS) {
  describe(`running totals on ${dialect}`, () => {
    let h: Harness;
    afterEach(() => h.close());

    for (const seed of SEEDS) {
      it(`GIVEN seeded sequence ${seed} of logs, undos, edits, deletes, backfills, reads, follower reports, settings and forgets THEN every total equals the sum of its rows`, async () => {
        h = await Harness.create({ dialect, now: '2026-03-02T10:00:00Z' });
        await playSequence(h, seed);
      });
    }

    it('GIVEN 169 members pressing "I read it" at the same moment, and someone of another workspace among them, THEN each read is counted once in every period', async () => {
      h = await Harness.create({ dialect, now: '2026-03-02T10:00:00Z' });
      const read = await announcement(h, 'https://example.com/burst A story read by many');
      // 169 = 128 + 32 + 8 + 1: a burst of every statement size the readers are written in.
      const readers: Speaker[] = Array.from({ length: 169 }, (_, i) => ({ name: `Reader${i}` }));
      const mallory: Speaker = { name: 'Mallory', workspace: 'w2' };
      const replies = await Promise.all([...readers, mallory, readers[0]!].map((reader) => h.press(reader, read)));
      expect(replies.filter((r) => /Counted: a first-hour read/.test(r?.text ?? ''))).toHaveLength(169);
      expect(replies[169]?.text).toMatch(/belongs to another group: press I read it on its own announcement/);
      expect(await differences(h.db)).toEqual([]);
      const perPeriod = await h.db.selectFrom('member_totals').select(['period', (eb) => eb.fn.sum<number>('reads').as('reads')]).groupBy('period').execute();
      expect(perPeriod.map((p) => Number(p.reads))).toEqual([169, 169, 169, 169]);
    });

    it("GIVEN a burst of clicks, one of them a second run of an entry already done THEN the others are counted and their entries marked done, and that one's read is left out", async () => {
      h = await Harness.create({ dialect, now: '2026-03-02T10:00:00Z' });
      const read = await announcement(h, 'https://example.com/runs A story read twice over');
      const readers = ['Bo', 'Cy', 'Di'];
      const click = (name: string): Invocation => ({ kind: 'button', action: read.action, payload: read.payload ?? '', actor: h.actor({ name }), conversation: h.conversation({ name }), idempotencyKey: `click:${name}` });
      for (const name of readers) await insertInboxEntry(h.db, { invocation: click(name), receivedAt: h.clock.now(), claimedBy: 'this', claimedUntil: h.clock.now() + 60_000 });
      // Bo's entry was run and done by another process (its change made elsewhere; here only its mark).
      await h.db.updateTable('command_inbox').set({ done_at: h.clock.now() }).where('idempotency_key', '=', 'click:Bo').execute();
      const runs = await Promise.all(
        readers.map((name) => runForInboxEntry(`click:${name}`, () => h.clock.now(), async (scope) => ({ reply: await h.deliver(click(name)), scope }))),
      );
      expect(runs.map((r) => r.scope.takenByAnother)).toEqual([true, false, false]);
      expect(runs.slice(1).map((r) => r.reply?.text)).toEqual([expect.stringMatching(/Counted: a first-hour read/), expect.stringMatching(/Counted: a first-hour read/)]);
      const done = await h.db.selectFrom('command_inbox').select(['idempotency_key', 'done_at']).orderBy('idempotency_key').execute();
      expect(done.every((row) => row.done_at !== null)).toBe(true);
      const stored = await h.db.selectFrom('reads').innerJoin('members', 'members.id', 'reads.member_id').innerJoin('people', 'people.id', 'members.person_id').select('people.display_name').orderBy('people.display_name').execute();
      expect(stored.map((r) => r.display_name)).toEqual(['Cy', 'Di']);
      expect(await differences(h.db)).toEqual([]);
    });

    it("GIVEN a burst of clicks, one of them from a run given up at its deadline THEN the others are counted and that one's read is left out", async () => {
      h = await Harness.create({ dialect, now: '2026-03-02T10:00:00Z' });
      const read = await announcement(h, 'https://example.com/late A story read late');
      const readers = ['Bo', 'Cy', 'Di'];
      const click = (name: string): Invocation => ({ kind: 'button', action: read.action, payload: read.payload ?? '', actor: h.actor({ name }), conversation: h.conversation({ name }), idempotencyKey: `click:${name}` });
      for (const name of readers) await insertInboxEntry(h.db, { invocation: click(name), receivedAt: h.clock.now(), claimedBy: 'this', claimedUntil: h.clock.now() + 60_000 });
      const replies = await Promise.all(
        readers.map((name) =>
          runForInboxEntry(`click:${name}`, () => h.clock.now(), async (scope) => {
            // Bo's run passes its deadline as its click waits to be recorded with the others.
            if (name === 'Bo') void abandonInboxRun(scope);
            return h.deliver(click(name));
          }),
        ),
      );
      expect(replies.map((r) => r?.text)).toEqual([APOLOGY, expect.stringMatching(/Counted: a first-hour read/), expect.stringMatching(/Counted: a first-hour read/)]);
      const stored = await h.db.selectFrom('reads').innerJoin('members', 'members.id', 'reads.member_id').innerJoin('people', 'people.id', 'members.person_id').select('people.display_name').orderBy('people.display_name').execute();
      expect(stored.map((r) => r.display_name)).toEqual(['Cy', 'Di']);
      const done = await h.db.selectFrom('command_inbox').select(['idempotency_key', 'done_at']).orderBy('idempotency_key').execute();
      expect(done.map((row) => row.done_at !== null)).toEqual([false, true, true]);
      expect(await differences(h.db)).toEqual([]);
    });

    it('GIVEN logs and reads kept before running totals existed WHEN the migration runs THEN it fills in totals equal to the rows', async () => {
      h = await Harness.create({ dialect, now: '2026-03-02T10:00:00Z' });
      await playSequence(h, 4);
      const totals = () => h.db.selectFrom('member_totals').select(['member_id', 'period', 'words', 'minutes', 'days', 'reads']).orderBy('member_id').orderBy('period');
      // Rows that went back to 0 (a log undone) are kept incrementally but not made by the migration.
      const kept = await totals()
        .where((eb) => eb.or([eb('words', '!=', 0), eb('minutes', '!=', 0), eb('days', '!=', 0), eb('reads', '!=', 0)]))
        .execute();
      // The later migration that adds columns to the totals comes off first and goes back on after.
      await responses.down(h.db);
      await runningTotals.down(h.db);
      await runningTotals.up(h.db);
      await responses.up(h.db);
      expect(await differences(h.db)).toEqual([]);
      expect(await totals().execute()).toEqual(kept);
    });

    it('GIVEN follower reports kept before their periods were WHEN the migration runs THEN it fills in periods equal to the reports', async () => {
      h = await Harness.create({ dialect, now: '2026-03-02T10:00:00Z' });
      await playSequence(h, 5);
      const periods = () => h.db.selectFrom('follower_periods').selectAll().orderBy('member_id').orderBy('period').execute();
      const kept = await periods();
      expect(kept.length).toBeGreaterThan(0);
      await followerPeriods.down(h.db);
      await followerPeriods.up(h.db);
      expect(await followerDifferences(h.db)).toEqual([]);
      expect(await periods()).toEqual(kept);
    });

    it('GIVEN logs kept before the calendar was kept with them WHEN the migration runs THEN every day of it equals the logs', async () => {
      h = await Harness.create({ dialect, now: '2026-03-02T10:00:00Z' });
      await playSequence(h, 6);
      const days = () => h.db.selectFrom('group_calendar_days').selectAll().where('writers', '>', 0).orderBy('group_id').orderBy('local_date').execute();
      const kept = await days();
      expect(kept.length).toBeGreaterThan(3);
      await calendarKeptWithLogs.down(h.db);
      expect(await days()).toEqual([]);
      await calendarKeptWithLogs.up(h.db);
      expect(await calendarDifferences(h.db)).toEqual([]);
      expect((await days()).map((d) => ({ ...d, writers: Number(d.writers), words: Number(d.words) }))).toEqual(kept.map((d) => ({ ...d, writers: Number(d.writers), words: Number(d.words) })));
    });
  });
}
