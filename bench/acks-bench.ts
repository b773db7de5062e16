import { BenchApp } from './bench-app';
import type { Figure } from './figure';
import { loopFigure } from './loop-figure';
import { now, openLoop, percentile, randomSequence, watchEventLoop } from './measure';
import { seed } from './seed';

const NOW = '2026-06-24T12:00:00Z';
/** 500 members, in groups of 20: a group's picture allowance (30 at once, then 1 a second) covers its share, so every /streak is drawn. */
const GROUPS = 25;
const MEMBERS_PER_GROUP = 20;
const COMMANDS = 2000;
const OVER_MS = 20_000;
/**
 * Discord wants an interaction acknowledged within 3 s; the Discord adapter answers at once when the
 * handler is quick and otherwise defers 2 s after the interaction came in. A picture command is
 * acknowledged by whichever comes first.
 */
const DEFER_AFTER_MS = 2000;

/**
 * 500 members send 2,000 commands, half `/streak` (with its calendar picture) and half `/log`, at
 * random moments over 20 seconds, through the router, each sent when due whatever the others are doing.
 * Acknowledgement: for `/log` the moment the router's reply resolved; for `/streak` that moment or the
 * moment the Discord adapter would defer it (its 2 s timer firing), whichever is first. Each is timed
 * from the moment it was due to arrive, so time it waited behind a busy event loop counts.
 */
export async function acksBench(): Promise<Figure[]> {
  const bench = await BenchApp.create('sqlite', NOW);
  try {
    await seed(bench.db, { groups: GROUPS, membersPerGroup: MEMBERS_PER_GROUP, days: 90, today: '2026-06-24', zone: 'UTC' }, Date.parse(NOW));
    const random = randomSequence(17);
    const offsets = Array.from({ length: COMMANDS }, () => random() * OVER_MS).sort((a, b) => a - b);
    const plan = offsets.map(() => ({ streak: random() < 0.5, group: Math.floor(random() * GROUPS), member: Math.floor(random() * MEMBERS_PER_GROUP) }));
    let refused = 0;
    let deferred = 0;
    const stopClock = bench.followRealTime();
    const { result: latencies, ...loop } = await watchEventLoop(() =>
      openLoop(offsets, async (i) => {
        const { streak, group, member } = plan[i]!;
        const actor = bench.actor('bench', `m${group}-${member}`);
        const conversation = bench.conversation('bench', `g${group}`);
        if (!streak) {
          const reply = await bench.command(actor, conversation, '/log 250');
          if (!reply || !/logged/.test(reply.text)) throw new Error(`unexpected reply to /log: ${reply?.text}`);
          return now();
        }
        let deferredAt = Number.POSITIVE_INFINITY;
        const timer = setTimeout(() => (deferredAt = now()), DEFER_AFTER_MS);
        const reply = await bench.command(actor, conversation, '/streak');
        const answeredAt = now();
        clearTimeout(timer);
        if (!reply?.images?.length) refused++;
        if (deferredAt < answeredAt) deferred++;
        return Math.min(answeredAt, deferredAt);
      }),
    ).finally(stopClock);
    const logs = latencies.filter((_, i) => !plan[i]!.streak);
    const streaks = latencies.filter((_, i) => plan[i]!.streak);
    const p99 = percentile(latencies, 99);
    const logP99 = percentile(logs, 99);
    const load = `${COMMANDS} commands (${streaks.length} /streak, ${logs.length} /log) from ${GROUPS * MEMBERS_PER_GROUP} members in ${GROUPS} groups over ${OVER_MS / 1000} s`;
    return [
      {
        name: 'acks p99',
        value: p99,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '< 1000 ms',
        met: p99 < 1000,
        notes: `arrival to acknowledgement, ${load}; p50 ${percentile(latencies, 50).toFixed(0)} ms, /streak p99 ${percentile(streaks, 99).toFixed(0)} ms; ack = the router's reply resolved, or for /streak the Discord adapter's deferral ${DEFER_AFTER_MS / 1000} s after arrival if sooner (${deferred} deferred); ${refused} /streak answered without a picture`,
      },
      {
        name: 'acks /log p99',
        value: logP99,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '< 100 ms',
        met: logP99 < 100,
        notes: `arrival to the router's reply for the ${logs.length} /log among the ${load}; p50 ${percentile(logs, 50).toFixed(1)} ms`,
      },
      loopFigure('acks', loop, `while ${load} are answered`),
    ];
  } finally {
    await bench.close();
  }
}
