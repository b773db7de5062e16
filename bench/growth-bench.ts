import { BenchApp } from './bench-app';
import type { Figure } from './figure';
import { now, percentile, timed } from './measure';
import { seed } from './seed';

const NOW = '2026-06-24T12:00:00Z';
const SIZES = [1_000, 10_000, 100_000];
const DAYS = 30;
const ROUNDS = 10;
const PER_ROUND = 3;
const COMMANDS = [
  { name: '/log', line: '/log 250', answer: /logged/ },
  { name: '/streak', line: '/streak', answer: /streak/ },
  { name: '/leaderboard', line: '/leaderboard', answer: /^🏆/ },
] as const;

/**
 * How the commands members use most slow down as a group grows: `/log`, `/streak` (with its calendar
 * picture) and `/leaderboard` (the default board: streaks this week) in one group of 1,000, 10,000 and
 * 100,000 members with 30 days of history each. The three groups are measured in alternating rounds,
 * each command from a member who has not spoken yet, with the lookup caches expired before it.
 */
export async function growthBench(): Promise<Figure[]> {
  const benches: BenchApp[] = [];
  try {
    const seedStart = now();
    for (const size of SIZES) {
      const bench = await BenchApp.create('sqlite', NOW);
      benches.push(bench);
      await seed(bench.db, { groups: 1, membersPerGroup: size, days: DAYS, today: '2026-06-24', zone: 'UTC' }, Date.parse(NOW));
    }
    const seedSeconds = (now() - seedStart) / 1000;
    // times[command][size]
    const times = COMMANDS.map(() => SIZES.map((): number[] => []));
    let speaker = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [c, command] of COMMANDS.entries()) {
        for (const [s, bench] of benches.entries()) {
          for (let k = 0; k < PER_ROUND; k++) {
            // Members spread over the whole group, each speaking once (7919 is prime to every size).
            const member = (++speaker * 7919) % SIZES[s]!;
            const actor = bench.actor('bench', `m0-${member}`);
            bench.expireLookups();
            let answer = '';
            times[c]![s]!.push(
              await timed(async () => {
                answer = (await bench.command(actor, bench.conversation('bench', 'g0'), command.line))?.text ?? '';
              }),
            );
            if (!command.answer.test(answer)) throw new Error(`unexpected answer to ${command.line}: ${answer}`);
          }
        }
      }
    }
    return COMMANDS.map((command, c) => {
      const p50s = times[c]!.map((t) => percentile(t, 50));
      const value = p50s.at(-1)!;
      const baseline = p50s[0]!;
      return {
        name: `growth ${command.name}`,
        value,
        unit: 'ms',
        baseline,
        ratio: value / baseline,
        target: '100k <= 2 x 1k',
        met: value / baseline <= 2,
        notes: `p50 of ${ROUNDS * PER_ROUND} in one group of ${SIZES.map((n) => n.toLocaleString('en')).join(' / ')} members: ${p50s.map((p) => p.toFixed(1)).join(' / ')} ms; baseline: the same at 1,000 members; ${DAYS} days of history, seeded in ${seedSeconds.toFixed(0)} s`,
      };
    });
  } finally {
    for (const bench of benches) await bench.close();
  }
}
