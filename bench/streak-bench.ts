import { StreakService } from '../src/services/streak-service';
import { BenchApp } from './bench-app';
import { one } from './raw';
import type { Figure } from './figure';
import { interleavedRates } from './measure';
import { seed } from './seed';

const NOW = '2026-06-30T12:00:00Z';

/** Recomputing one member's streak from a year of logged days, against reading those rows raw. */
export async function streakBench(): Promise<Figure> {
  const bench = await BenchApp.create('sqlite', NOW);
  try {
    const seeded = await seed(bench.db, { groups: 1, membersPerGroup: 20, days: 365, today: '2026-06-30', zone: 'Europe/London' }, Date.parse(NOW));
    const memberId = seeded.members[0]![0]!;
    const { n: days } = await one<{ n: number }>(bench.raw, 'SELECT COUNT(DISTINCT local_date) AS n FROM logs WHERE member_id = ?', [memberId]);
    const streaks: StreakService = bench.app.services.streaks;
    const rates = await interleavedRates(
      10,
      200,
      () => bench.raw.all('SELECT local_date, zone, rollover_hour FROM logs WHERE member_id = ?', [memberId]),
      () => streaks.recompute(bench.db, { id: memberId, groupId: seeded.groupIds[0]! }),
    );
    const value = 1000 / rates.subject;
    const baseline = 1000 / rates.baseline;
    const ratio = value / baseline;
    return { name: 'streak', value, unit: 'ms', baseline, ratio, target: '<= 2 x baseline', met: ratio <= 2, notes: `${days} logged days` };
  } finally {
    await bench.close();
  }
}
