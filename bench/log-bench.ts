import type { Dialect } from '../src/db/database';
import { BenchApp, LOOKUP_CACHE_MS } from './bench-app';
import { copyTable, one } from './raw';
import type { Figure } from './figure';
import { interleavedRates } from './measure';
import { seed } from './seed';

const NOW = '2026-06-30T08:00:00Z';
const ROUNDS = 10;
const PER_ROUND = 500;

/**
 * /log through the router against raw single-row autocommit inserts into a copy of `logs`. Before each
 * /log the clock moves past the lookup caches: a member logs a few times a day, so in production the
 * group and member lookups of a /log are read from the database, not from a cache a second old.
 * `noFsync` (Postgres): both sides run with synchronous_commit=off, so the disk's flush per commit
 * weighs on neither.
 */
export async function logBench(dialect: Dialect, options: { noFsync?: boolean } = {}): Promise<Figure> {
  const bench = await BenchApp.create(dialect, NOW, options);
  try {
    const seeded = await seed(bench.db, { groups: 10, membersPerGroup: 100, days: 180, today: '2026-06-30', zone: 'UTC' }, Date.parse(NOW));
    const { raw } = bench;
    // The same table definition (columns, keys, constraints, indexes) and the same 180 days of history,
    // so a raw insert pays for the same B-trees and checks.
    await copyTable(raw, 'logs', 'bench_logs');
    const { id: lastId } = await one<{ id: number }>(raw, 'SELECT MAX(id) AS id FROM bench_logs');
    const insert = raw.runner(`INSERT INTO bench_logs (id, member_id, group_id, local_date, zone, rollover_hour, words, minutes, url, note, source, event_key, message_id, logged_at)
                    VALUES (?, ?, ?, ?, 'UTC', 0, ?, 0, NULL, NULL, 'command', ?, NULL, ?)`);
    const members = seeded.members.flat();
    const speakers = seeded.members.flatMap((ids, g) => ids.map((_, j) => ({ actor: bench.actor('bench', `m${g}-${j}`), conversation: bench.conversation('bench', `g${g}`) })));
    const rates = await interleavedRates(
      ROUNDS,
      PER_ROUND,
      (i) => insert([Number(lastId) + 1 + i, members[i % members.length], seeded.groupIds[i % seeded.groupIds.length], '2026-06-30', 250, `raw:${i}`, Date.now()]),
      async (i) => {
        const { actor, conversation } = speakers[i % speakers.length]!;
        bench.expireLookups();
        const reply = await bench.command(actor, conversation, '/log 250');
        if (!reply || !/logged/.test(reply.text)) throw new Error(`unexpected reply: ${reply?.text}`);
      },
    );
    const ratio = rates.subject / rates.baseline;
    const target = dialect === 'sqlite' ? 0.35 : 0.25;
    const baseline =
      dialect === 'sqlite' ? 'raw single-row inserts, a plain synchronous loop over one prepared statement' : 'raw single-row inserts over one connection, named prepared statement';
    return {
      name: `log (${dialect}${options.noFsync ? ', no fsync' : ''})`,
      value: rates.subject,
      unit: 'commands/s',
      baseline: rates.baseline,
      ratio,
      target: `>= ${target} x baseline`,
      met: ratio >= target,
      notes: `${ROUNDS * PER_ROUND} /log commands into 10 groups of 100 members with 180 days of history, the clock moved ${LOOKUP_CACHE_MS + 1} ms before each (lookup caches expired); baseline: ${baseline}${options.noFsync ? '; synchronous_commit=off on both' : ''}`,
    };
  } finally {
    await bench.close();
  }
}
