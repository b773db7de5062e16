import type { Dialect } from '../src/db/database';
import { BenchApp } from './bench-app';
import { one } from './raw';
import type { Figure } from './figure';
import { interleavedRates } from './measure';
import { seed } from './seed';

const NOW = '2026-06-30T12:00:00Z';
const ROUNDS = 10;
const PER_ROUND = 500;

/** /log through the router against raw single-row autocommit inserts into a table shaped like `logs`. */
export async function logBench(dialect: Dialect): Promise<Figure> {
  const bench = await BenchApp.create(dialect, NOW);
  try {
    const seeded = await seed(bench.db, { groups: 10, membersPerGroup: 100, days: 180, today: '2026-06-30', zone: 'UTC' }, Date.parse(NOW));
    const { raw } = bench;
    // The same table definition (columns, keys, constraints, indexes) and the same 180 days of history,
    // so a raw insert pays for the same B-trees and checks.
    if (dialect === 'sqlite') {
      const definitions = await raw.all<{ sql: string }>("SELECT sql FROM sqlite_master WHERE tbl_name = 'logs' AND sql IS NOT NULL");
      for (const { sql } of definitions) await raw.exec(sql.replace(/\blogs\b/g, 'bench_logs').replace(/\b(logs_[a-z_]+)\b/g, 'bench_$1'));
    } else {
      await raw.exec(`CREATE TABLE bench_logs (LIKE logs INCLUDING ALL);
        ALTER TABLE bench_logs ADD FOREIGN KEY (member_id) REFERENCES members (id) ON DELETE CASCADE,
                               ADD FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE`);
    }
    await raw.exec('INSERT INTO bench_logs SELECT * FROM logs');
    const { id: lastId } = await one<{ id: number }>(raw, 'SELECT MAX(id) AS id FROM bench_logs');
    const insert = `INSERT INTO bench_logs (id, member_id, group_id, local_date, zone, rollover_hour, words, minutes, url, note, source, event_key, message_id, logged_at)
                    VALUES (?, ?, ?, ?, 'UTC', 0, ?, 0, NULL, NULL, 'command', ?, NULL, ?)`;
    const members = seeded.members.flat();
    const speakers = seeded.members.flatMap((ids, g) => ids.map((_, j) => ({ actor: bench.actor('bench', `m${g}-${j}`), conversation: bench.conversation('bench', `g${g}`) })));
    const rates = await interleavedRates(
      ROUNDS,
      PER_ROUND,
      (i) => raw.run(insert, [Number(lastId) + 1 + i, members[i % members.length], seeded.groupIds[i % seeded.groupIds.length], '2026-06-30', 250, `raw:${i}`, Date.now()]),
      async (i) => {
        const { actor, conversation } = speakers[i % speakers.length]!;
        const reply = await bench.command(actor, conversation, '/log 250');
        if (!reply || !/logged/.test(reply.text)) throw new Error(`unexpected reply: ${reply?.text}`);
      },
    );
    const ratio = rates.subject / rates.baseline;
    return {
      name: `log (${dialect})`,
      value: rates.subject,
      unit: 'commands/s',
      baseline: rates.baseline,
      ratio,
      target: '>= 0.25 x baseline',
      met: ratio >= 0.25,
      notes: `${ROUNDS * PER_ROUND} /log commands into 10 groups of 100 members with 180 days of history; baseline: raw single-row inserts`,
    };
  } finally {
    await bench.close();
  }
}
