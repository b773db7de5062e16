import type { Invocation } from '../src/core/invocation';
import { BenchApp } from './bench-app';
import type { Figure } from './figure';
import { now, openLoop, percentile, randomSequence, sleep } from './measure';

const NOW = '2026-06-24T12:00:00Z';
const MINUTE = 60_000;
const MEMBERS = 200;
const COUNTS_PER_MEMBER = 5;
/** The counts arrive at random moments over this long, with the clock following real time. */
const OVER_MS = 10_000;
/** Every tenth count is delivered a second time with the same event id, as a platform retry would. */
const REDELIVER_EVERY = 10;
/** node-cron ticks the scheduler every 15 s. */
const TICK_MS = 15_000;
/** The clock is put this long before an instant, then follows real time across it. */
const LEAD_MS = 3000;
const GIVE_UP_MS = 60_000;

const WORKSPACE = 'bench';
const CHANNEL = 'sprints';

/**
 * One sprint in one channel: 200 members join it at once, then send 800 counts (words added, half
 * as `/sprint words +n`, half as a `+n` chat message) at random moments over about 8 s through the
 * router, then one more each all at the same moment; some are delivered twice. Measured: each count
 * from the moment it was due to its reply; whether the stored counts are exactly the words sent; and
 * how late the time's-up and results posts are after their instants, with the scheduler ticked as node-cron would (every 15 s) and the clock following
 * real time across each instant, so only the in-memory wake-up can make them prompt.
 */
export async function sprintBench(): Promise<Figure[]> {
  const bench = await BenchApp.create('sqlite', NOW);
  try {
    const here = bench.conversation(WORKSPACE, CHANNEL);
    const admin = bench.actor(WORKSPACE, 'Starter', true);
    await expectReply(bench.command(admin, here, '/setup UTC'), /./, '/setup');
    await expectReply(bench.command(admin, here, '/sprint start 20'), /^You're in/, '/sprint start');
    const sprint = await bench.db.selectFrom('sprints').select(['id', 'start_at', 'end_at', 'window_closes_at']).executeTakeFirstOrThrow();

    const members = Array.from({ length: MEMBERS }, (_, m) => bench.actor(WORKSPACE, `w${m}`));
    await Promise.all(members.map((actor) => expectReply(bench.command(actor, here, '/sprint join 0'), /^You're in/, '/sprint join')));

    // Five minutes into the sprint: the counts below are a plausible rate for everyone.
    bench.clock.set(sprint.start_at + 5 * MINUTE);
    await bench.app.scheduler.tick();

    const random = randomSequence(18);
    const offsets = Array.from({ length: MEMBERS * COUNTS_PER_MEMBER }, () => random() * OVER_MS).sort((a, b) => a - b);
    const plan = offsets.map((_, i) => ({ member: i % MEMBERS, added: 1 + Math.floor(random() * 100), chat: random() < 0.5 }));
    const sent = new Map<string, number>();
    for (const { member, added } of plan) sent.set(members[member]!.userId, (sent.get(members[member]!.userId) ?? 0) + added);

    let redelivered = 0;
    const send = async (i: number, dueAt: number) => {
      // A timer may fire a fraction of a millisecond early: nothing is sent before it is due.
      while (now() < dueAt) await sleep(0);
      const { member, added, chat } = plan[i]!;
      const actor = members[member]!;
      const key = `count:${i}`;
      const invocation: Invocation = chat
        ? { kind: 'message', messageId: key, text: `+${added}`, actor, conversation: here, idempotencyKey: key }
        : { kind: 'command', name: 'sprint', args: { text: `words +${added}` }, actor, conversation: here, idempotencyKey: key };
      const reply = await bench.adapter.deliver(invocation);
      const answeredAt = now();
      if (!reply || !/counted/.test(reply.text)) throw new Error(`unexpected reply to a count: ${reply?.text}`);
      if (i % REDELIVER_EVERY === 0) {
        redelivered++;
        await bench.adapter.deliver(invocation);
      }
      return answeredAt;
    };
    const stopClock = bench.followRealTime();
    const { latencies, burst } = await (async () => {
      const spread = await openLoop(offsets.slice(0, -MEMBERS), send);
      // The last count of every member, all due at the same moment.
      const together = await openLoop(offsets.slice(-MEMBERS).map(() => 0), (i, dueAt) => send(plan.length - MEMBERS + i, dueAt));
      return { latencies: spread, burst: together };
    })().finally(stopClock);

    const stored = await bench.db
      .selectFrom('sprint_participants')
      .innerJoin('members', 'members.id', 'sprint_participants.member_id')
      .innerJoin('people', 'people.id', 'members.person_id')
      .select(['people.user_id', 'sprint_participants.final_count'])
      .where('sprint_participants.sprint_id', '=', sprint.id)
      .execute();
    const storedBy = new Map(stored.map((row) => [row.user_id, row.final_count ?? 0]));
    const wrong = [...sent].filter(([userId, words]) => storedBy.get(userId) !== words).length;
    const sentWords = [...sent.values()].reduce((a, b) => a + b, 0);
    const storedWords = [...sent.keys()].reduce((a, userId) => a + (storedBy.get(userId) ?? 0), 0);

    const timeUp = await lateness(bench, sprint.end_at, (text) => text.startsWith("⏰ Time's up"));
    const results = await lateness(bench, sprint.window_closes_at, (text) => text.startsWith('🏆 Sprint results'));

    const p99 = percentile(latencies, 99);
    const load = `${latencies.length} counts (words added, half as a +n chat message, half /sprint words +n) from ${MEMBERS} members of one sprint at random moments over ${(offsets[latencies.length - 1]! / 1000).toFixed(1)} s`;
    const tick = `the scheduler ticked every ${TICK_MS / 1000} s as node-cron does, the clock following real time across the instant`;
    return [
      {
        name: 'sprint count p99',
        value: p99,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '< 30 ms',
        met: p99 < 30,
        notes: `due to reply, ${load}, after all ${MEMBERS} joined at once; p50 ${percentile(latencies, 50).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
      },
      {
        name: 'sprint count p99 (all at once)',
        value: percentile(burst, 99),
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '< 30 ms',
        met: percentile(burst, 99) < 30,
        notes: `due to reply, one count from each of the ${MEMBERS} members at the same moment, after the counts above; p50 ${percentile(burst, 50).toFixed(1)} ms`,
      },
      {
        name: 'sprint counts wrong',
        value: wrong,
        unit: 'members',
        baseline: null,
        ratio: null,
        target: '0 (each count once)',
        met: wrong === 0 && storedWords === sentWords,
        notes: `members whose stored count is not the sum of the words they sent; ${storedWords} words stored of ${sentWords} sent; ${redelivered} counts delivered twice with the same event id`,
      },
      {
        name: "sprint time's up delay",
        value: timeUp,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '< 1000 ms',
        met: timeUp < 1000,
        notes: `from the sprint's end instant to the time's-up post, ${tick}`,
      },
      {
        name: 'sprint results delay',
        value: results,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '< 1000 ms',
        met: results < 1000,
        notes: `from the instant the results are due (the end and the group's window for final counts) to the results post, the logs of all ${MEMBERS + 1} writers written first; ${tick}`,
      },
    ];
  } finally {
    await bench.close();
  }
}

async function expectReply(reply: Promise<{ text: string } | void>, expected: RegExp, what: string): Promise<void> {
  const got = await reply;
  if (!got || !expected.test(got.text)) throw new Error(`unexpected reply to ${what}: ${got?.text}`);
}

/**
 * Milliseconds from the moment the clock, following real time, passes `instant` until a post that
 * `matches` appears. The clock starts a little before the instant and the scheduler is ticked at
 * once and then every 15 s, so a tick cannot be what posts on time.
 */
async function lateness(bench: BenchApp, instant: number, matches: (text: string) => boolean): Promise<number> {
  const found = () => bench.adapter.posts.some((post) => matches(post.reply.text));
  if (found()) throw new Error('posted before its instant');
  bench.clock.set(instant - LEAD_MS);
  const base = bench.clock.now();
  const stopClock = bench.followRealTime();
  const start = now();
  const dueAt = start + (instant - base);
  try {
    let nextTick = start;
    while (!found()) {
      if (now() - start > GIVE_UP_MS) throw new Error(`nothing posted ${GIVE_UP_MS / 1000} s after its instant`);
      if (now() >= nextTick) {
        void bench.app.scheduler.tick();
        nextTick += TICK_MS;
      }
      await sleep(1);
    }
    return now() - dueAt;
  } finally {
    stopClock();
    await bench.app.scheduler.tick();
  }
}
