/**
 * `npm run bench`: every figure the README's Performance section quotes, each measured side by side
 * with its baseline in this one run; prints a table and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import Database from 'better-sqlite3';
import type { Dialect } from '../src/db/database';
import { acksBench } from './acks-bench';
import { boardsBench } from './boards-bench';
import { digestBench } from './digest-bench';
import type { Figure } from './figure';
import { logBench } from './log-bench';
import { goalsBench } from './goals-bench';
import { growthBench } from './growth-bench';
import { memoryBench } from './memory-bench';
import { patternsBench } from './patterns-bench';
import { readsBench } from './reads-bench';
import { sprintBench } from './sprint-bench';
import { stormBench } from './storm-bench';
import { streakBench } from './streak-bench';

const RESULTS = 'bench/results.json';
const postgres = Boolean(process.env.TEST_POSTGRES_URL);
const dialects: Dialect[] = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

/** Each bench, by the names of the figures it measures (a filter picks a bench by any of them). */
type Bench = [names: string, measure: () => Promise<Figure | Figure[]>];
const postgresLogs: Bench[] = [
  ['log (postgres)', () => logBench('postgres')],
  ['log (postgres, no fsync)', () => logBench('postgres', { noFsync: true })],
];
const benches: Bench[] = [
  ['log (sqlite)', () => logBench('sqlite')],
  ...(postgres ? postgresLogs : []),
  ['reads, loop (reads)', readsBench],
  ...dialects.map((d): Bench => [d === 'postgres' ? 'digest (postgres), digest (postgres, no fsync)' : 'digest (sqlite)', () => digestBench(d)]),
  ['boards (sqlite)', () => boardsBench('sqlite')],
  ['growth', growthBench],
  ['acks, loop (acks)', acksBench],
  ['storm, loop (storm)', stormBench],
  ['streak', streakBench],
  ['sprint', sprintBench],
  ['goals /log, goals challenge board', goalsBench],
  ['patterns', patternsBench],
  ['memory', memoryBench],
];

function format(n: number | null): string {
  if (n === null) return '-';
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function table(figures: Figure[]): string {
  const rows = [
    ['figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'],
    ...figures.map((f) => [f.name, format(f.value), f.unit, format(f.baseline), format(f.ratio), f.target, f.met ? 'yes' : 'NO']),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

// `npm run bench -- digest` measures only the benches whose figures' names contain "digest", and writes no results.
const only = process.argv[2];
const chosen = benches.filter(([name]) => !only || name.includes(only));
const started = Date.now();
const figures: Figure[] = [];
for (const [name, bench] of chosen) {
  const start = Date.now();
  figures.push(...[await bench()].flat());
  process.stderr.write(`${name}: measured in ${Math.round((Date.now() - start) / 1000)} s\n`);
}
const sqliteVersion = (new Database(':memory:').prepare('select sqlite_version() as v').get() as { v: string }).v;
const machine = { node: process.version, sqlite: sqliteVersion, cpus: cpus().length, platform: `${process.platform}-${process.arch}` };
const seconds = Math.round((Date.now() - started) / 1000);
if (!only) writeFileSync(RESULTS, `${JSON.stringify({ measuredAt: new Date().toISOString(), seconds, machine, figures }, null, 2)}\n`);
console.log(table(figures));
console.log(`\n${figures.map((f) => `${f.name}: ${f.notes ?? ''}`).join('\n')}`);
console.log(`\nNode ${machine.node}, SQLite ${machine.sqlite}, ${machine.cpus} CPUs; ${seconds} s${only ? '' : `; written to ${RESULTS}`}`);
process.exitCode = figures.every((f) => f.met) ? 0 : 1;
