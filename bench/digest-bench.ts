import type { Dialect } from '../src/db/database';
import { digestWeek } from '../src/services/digest-service';
import { BenchApp } from './bench-app';
import type { Figure } from './figure';
import { now, percentile } from './measure';
import { copyTable } from './raw';
import { seed } from './seed';

const NOW = '2026-06-29T09:00:00Z'; // a Monday: the digest for the week of 22 June goes out
const MEMBERS = 10_000;
const ROUNDS = 5;
/** Places a digest shows on each board. */
const TOP = 5;

/**
 * The weekly digest of one 10,000-member group with a year of logs, against the physical floor of its
 * main board: one query that returns the week's top writers with how many wrote and their words in
 * all, on an analysed copy of `logs` (the bot's own tables are left as the bot keeps them). On
 * Postgres the same data is measured again with synchronous_commit=off on both sides.
 */
export async function digestBench(dialect: Dialect): Promise<Figure[]> {
  const bench = await BenchApp.create(dialect, NOW);
  try {
    const seeded = await seed(bench.db, { groups: 1, membersPerGroup: MEMBERS, days: 365, today: '2026-06-29', zone: 'UTC', followers: true }, Date.parse(NOW));
    await copyTable(bench.raw, 'logs', 'bench_logs');
    await bench.raw.exec('ANALYZE bench_logs');
    const figures = [await measureDigest(bench, seeded.groupIds[0]!, `digest (${dialect})`, '')];
    if (dialect === 'postgres') {
      const noFsync = await bench.sibling({ noFsync: true });
      try {
        figures.push(await measureDigest(noFsync, seeded.groupIds[0]!, `digest (${dialect}, no fsync)`, '; synchronous_commit=off on both'));
      } finally {
        await noFsync.close();
      }
    }
    return figures;
  } finally {
    await bench.close();
  }
}

async function measureDigest(bench: BenchApp, groupId: number, name: string, note: string): Promise<Figure> {
  const group = await bench.app.services.groups.get(groupId);
  const occurrence = '2026-06-29T09:00';
  const week = digestWeek(group, occurrence);
  const topPlaces = `SELECT member_id, SUM(words) AS score, COUNT(*) OVER () AS size, SUM(SUM(words)) OVER () AS total
    FROM bench_logs WHERE group_id = ? AND local_date >= ? AND local_date <= ?
    GROUP BY member_id ORDER BY score DESC, member_id LIMIT ${TOP}`;
  const baselineRun = () => bench.raw.all(topPlaces, [group.id, week.from, week.to]);
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
    name,
    value,
    unit: 'ms',
    baseline,
    ratio: value / baseline,
    target: '<= 3 x baseline',
    met: value / baseline <= 3,
    notes: `median of ${ROUNDS}; ${MEMBERS} members, 365 days of logs, weekly follower counts, pictures included; baseline: one query for the week's top ${TOP} writers with their count and total, on an analysed copy of the logs${note}`,
  };
}
