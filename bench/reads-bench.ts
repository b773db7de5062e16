import type { Figure } from './figure';
import { BenchApp } from './bench-app';
import { one } from './raw';
import { now, percentile, watchEventLoop } from './measure';
import { loopFigure } from './loop-figure';
import { seed } from './seed';

const NOW = '2026-06-30T12:00:00Z';
const READERS = 1000;

/** 1,000 members press "I read it" on one announcement at the same moment; latency of each through the router. */
export async function readsBench(): Promise<Figure[]> {
  const bench = await BenchApp.create('sqlite', NOW);
  try {
    await seed(bench.db, { groups: 1, membersPerGroup: READERS + 1, days: 30, today: '2026-06-30', zone: 'UTC' }, Date.parse(NOW));
    const conversation = bench.conversation('bench', 'g0');
    const author = bench.actor('bench', `m0-${READERS}`);
    const published = await bench.command(author, conversation, '/publish https://example.com/first-hour A story for the first hour');
    if (!published || !/Announced/.test(published.text)) throw new Error(`publish failed: ${published?.text}`);
    const button = bench.adapter.posts.at(-1)!.reply.buttons!.find((b) => b.action === 'read')!;
    const latencies: number[] = [];
    const clicks = () =>
      Promise.all(
        Array.from({ length: READERS }, async (_, i) => {
          const start = now();
          const reply = await bench.press(bench.actor('bench', `m0-${i}`), conversation, button.action, button.payload!);
          latencies.push(now() - start);
          return reply?.text ?? '';
        }),
      );
    const { result: replies, ...loop } = await watchEventLoop(clicks);
    const counted = replies.filter((text) => /Counted: a first-hour read/.test(text)).length;
    const { n: stored } = await one<{ n: number }>(bench.raw, 'SELECT COUNT(*) AS n FROM reads');
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const exact = counted === READERS && stored === READERS;
    return [
      { name: 'reads p50', value: p50, unit: 'ms', baseline: null, ratio: null, target: 'informational', met: true, notes: `${READERS} simultaneous clicks` },
      {
        name: 'reads p99',
        value: p99,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '< 30 ms, every click counted once',
        met: p99 < 30 && exact,
        notes: `${counted} answered "counted", ${stored} reads stored`,
      },
      loopFigure('reads', loop, `while ${READERS} simultaneous clicks are answered`),
    ];
  } finally {
    await bench.close();
  }
}
