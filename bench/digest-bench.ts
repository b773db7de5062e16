import type { Dialect } from '../src/db/database';
import { digestWeek } from '../src/services/digest-service';
import { BenchApp } from './bench-app';
import type { Figure } from './figure';
import { now, percentile } from './measure';
import { seed } from './seed';

const NOW = '2026-06-29T09:00:00Z'; // a Monday: the digest for the week of 22 June goes out
const MEMBERS = 10_000;
const ROUNDS = 5;

/** The weekly digest of one 10,000-member group with a year of logs, against one raw aggregate over the week's logs. */
export async function digestBench(dialect: Dialect): Promise<Figure> {
  const bench = await BenchApp.create(dialect, NOW);
  try {
    const seeded = await seed(bench.db, { groups: 1, membersPerGroup: MEMBERS, days: 365, today: '2026-06-29', zone: 'UTC', followers: true }, Date.parse(NOW));
    const group = await bench.app.services.groups.get(seeded.groupIds[0]!);
    const occurrence = '2026-06-29T09:00';
    const week = digestWeek(group, occurrence);
    const aggregate = 'SELECT member_id, SUM(words) AS words FROM logs WHERE group_id = ? AND local_date >= ? AND local_date <= ? GROUP BY member_id';
    const baselineRun = () => bench.raw.all(aggregate, [group.id, week.from, week.to]);
    const digestRun = () => bench.app.services.digests.weekly(group, occurrence);
    // One unmeasured run of each warms the caches of both alike; then they alternate.
    await digestRun();
    await baselineRun();
    const baselineTimes: number[] = [];
    const digestTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = now();
      await baselineRun();
      baselineTimes.push(now() - start);
      start = now();
      await digestRun();
      digestTimes.push(now() - start);
    }
    const value = percentile(digestTimes, 50);
    const baseline = percentile(baselineTimes, 50);
    return {
      name: `digest (${dialect})`,
      value,
      unit: 'ms',
      baseline,
      ratio: value / baseline,
      target: '<= 3 x baseline',
      met: value / baseline <= 3,
      notes: `median of ${ROUNDS}; ${MEMBERS} members, 365 days of logs, weekly follower counts, pictures included; baseline: one aggregate over the week's logs`,
    };
  } finally {
    await bench.close();
  }
}
