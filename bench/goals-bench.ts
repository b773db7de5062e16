import { sql } from 'kysely';
import { BenchApp } from './bench-app';
import type { Figure } from './figure';
import { interleavedRates, now, percentile, timed } from './measure';
import { seed } from './seed';

const LOG_NOW = '2026-06-30T08:00:00Z';
const ROUNDS = 10;
const PER_ROUND = 300;
const BOARD_NOW = '2026-06-25T12:00:00Z';
const BOARD_MEMBERS = 10_000;
const BOARD_DAYS = 90;
const BOARD_RUNS = 30;

/**
 * `goals`: what goals and projects cost a /log, and what a challenge board of 10,000 members costs.
 * The first figure is /log by members with three goals (words a week, days a week, a streak length)
 * and a current project against /log by members with none, interleaved, in one run (SQLite). The
 * second is `/challenge` through the router over a span that is not a whole month (so it adds up
 * logs, the dearer way) against one raw aggregate of the same members' logs over the same dates.
 */
export async function goalsBench(): Promise<Figure[]> {
  return [await logWithGoals(), await challengeBoard()];
}

async function logWithGoals(): Promise<Figure> {
  const bench = await BenchApp.create('sqlite', LOG_NOW);
  try {
    const seeded = await seed(bench.db, { groups: 10, membersPerGroup: 100, days: 180, today: '2026-06-30', zone: 'UTC' }, Date.parse(LOG_NOW));
    const speakers = seeded.members.flatMap((ids, g) => ids.map((_, j) => ({ actor: bench.actor('bench', `m${g}-${j}`), conversation: bench.conversation('bench', `g${g}`), goals: j % 2 === 0 })));
    const withGoals = speakers.filter((s) => s.goals);
    const without = speakers.filter((s) => !s.goals);
    for (const { actor, conversation } of withGoals)
      for (const line of ['/goal set words 5000 week', '/goal set days 5 week', '/goal set streak 180', '/project create Novel 80000 2026-09-30']) {
        const reply = await bench.command(actor, conversation, line);
        if (!reply || !/^(🎯|📚)/.test(reply.text)) throw new Error(`unexpected reply to ${line}: ${reply?.text}`);
      }
    const log = async (speaker: (typeof speakers)[number], expect: RegExp) => {
      bench.expireLookups();
      const reply = await bench.command(speaker.actor, speaker.conversation, '/log 250');
      if (!reply || !expect.test(reply.text)) throw new Error(`unexpected reply: ${reply?.text}`);
    };
    const rates = await interleavedRates(
      ROUNDS,
      PER_ROUND,
      (i) => log(without[i % without.length]!, /logged/),
      (i) => log(withGoals[i % withGoals.length]!, /🎯/),
    );
    const ratio = rates.subject / rates.baseline;
    const projectLogs = await sql<{ n: number }>`select count(*) as n from project_logs`.execute(bench.db);
    return {
      name: 'goals /log (sqlite)',
      value: rates.subject,
      unit: 'commands/s',
      baseline: rates.baseline,
      ratio,
      target: '>= 0.8 x baseline',
      met: ratio >= 0.8,
      notes: `${ROUNDS * PER_ROUND} /log commands each way in 10 groups of 100 members with 180 days of history, lookup caches expired before each; subject: members with three goals and a current project (${Number(projectLogs.rows[0]!.n)} logs went to projects); baseline: members with none`,
    };
  } finally {
    await bench.close();
  }
}

async function challengeBoard(): Promise<Figure> {
  const bench = await BenchApp.create('sqlite', BOARD_NOW);
  try {
    const seedStart = now();
    const seeded = await seed(bench.db, { groups: 1, membersPerGroup: BOARD_MEMBERS, days: BOARD_DAYS, today: '2026-06-25', zone: 'UTC' }, Date.parse(BOARD_NOW));
    const seedSeconds = (now() - seedStart) / 1000;
    const groupId = seeded.groupIds[0]!;
    const conversation = bench.conversation('bench', 'g0');
    const created = await bench.command(bench.actor('bench', 'admin', true), conversation, '/challenge create season 2026-05-10 2026-07-10 words 60000');
    if (!created || !created.text.startsWith('🏁')) throw new Error(`unexpected reply: ${created?.text}`);
    await sql`insert into challenge_members (challenge_id, member_id, joined_on, joined_at)
              select challenges.id, members.id, '2026-05-10', 0 from members, challenges where members.group_id = ${groupId} and challenges.group_id = ${groupId}`.execute(bench.db);
    const actor = bench.actor('bench', 'm0-0');
    const show = async () => {
      bench.expireLookups();
      const reply = await bench.command(actor, conversation, '/challenge');
      if (!reply || !reply.text.includes(`${BOARD_MEMBERS.toLocaleString('en-US')} writers`)) throw new Error(`unexpected reply: ${reply?.text}`);
    };
    const aggregate = () =>
      bench.raw.all(
        `SELECT member_id, SUM(words) AS words FROM logs WHERE group_id = ? AND local_date >= '2026-05-10' AND local_date <= '2026-07-10' GROUP BY member_id`,
        [groupId],
      );
    await show();
    await aggregate();
    const boardTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let i = 0; i < BOARD_RUNS; i++) {
      rawTimes.push(await timed(aggregate));
      boardTimes.push(await timed(show));
    }
    const p50 = percentile(boardTimes, 50);
    const baseline = percentile(rawTimes, 50);
    const ratio = p50 / baseline;
    return {
      name: 'goals challenge board (sqlite)',
      value: p50,
      unit: 'ms',
      baseline,
      ratio,
      target: '<= 3 x baseline',
      met: ratio <= 3,
      notes: `median of ${BOARD_RUNS} runs (p99 ${percentile(boardTimes, 99).toFixed(1)} ms); ${BOARD_MEMBERS.toLocaleString('en')} members in the challenge, ${BOARD_DAYS} days of logs (seeded in ${seedSeconds.toFixed(0)} s), a span of 62 days that is no whole month; baseline: one raw GROUP BY of the same members' logs over the same dates`,
    };
  } finally {
    await bench.close();
  }
}
