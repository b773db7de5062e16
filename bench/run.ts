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
import { httpBench } from './http-bench';
import { memoryBench } from './memory-bench';
import { pageBench } from './page-bench';
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
  ['page, page (one drawing)', pageBench],
  ['goals /log, goals challenge board', goalsBench],
  ['patterns', patternsBench],
  ['memory', memoryBench],
  // Several processes share one database only on Postgres.
  ...(postgres ? [['http /log, http p99', httpBench] as Bench] : []),
];

function format(n: number | null): string {
  if (n === null) return '-';
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** A figure measured in several runs: the run with the median value, and the lowest and highest of all. */
interface Measured extends Figure {
  runs: { value: number; ratio: number | null; met: boolean }[];
}

function spread(values: number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `${format(low)}-${format(high)}`;
}

function table(figures: Measured[]): string {
  const several = figures.some((f) => f.runs.length > 1);
  const head = ['figure', 'value', ...(several ? ['spread'] : []), 'unit', 'baseline', 'ratio', ...(several ? ['ratio spread'] : []), 'target', 'met'];
  const rows = [
    head,
    ...figures.map((f) => {
      const ratios = f.runs.flatMap((r) => (r.ratio === null ? [] : [r.ratio]));
      const met = f.runs.every((r) => r.met) ? 'yes' : f.runs.some((r) => r.met) ? 'some runs' : 'NO';
      return [f.name, format(f.value), ...(several ? [spread(f.runs.map((r) => r.value))] : []), f.unit, format(f.baseline), format(f.ratio), ...(several ? [ratios.length ? spread(ratios) : '-'] : []), f.target, met];
    }),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

/** Each figure's runs gathered: the median run stands for it (the middle of three). */
function gather(runs: Figure[][]): Measured[] {
  return runs[0]!.map((first) => {
    const all = runs.map((figures) => figures.find((f) => f.name === first.name)!).filter(Boolean);
    const median = [...all].sort((a, b) => a.value - b.value)[Math.floor((all.length - 1) / 2)]!;
    return { ...median, runs: all.map((f) => ({ value: f.value, ratio: f.ratio, met: f.met })) };
  });
}

// `npm run bench -- digest` measures only the benches whose figures' names contain "digest", and writes
// no results; `--runs 3` measures everything chosen three times and reports each figure's spread.
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runCount = runsAt >= 0 ? Math.max(1, Number(args.splice(runsAt, 2)[1]) || 1) : 1;
const only = args[0];
const chosen = benches.filter(([name]) => !only || name.includes(only));
const started = Date.now();
const runs: Figure[][] = [];
for (let run = 1; run <= runCount; run++) {
  const figures: Figure[] = [];
  for (const [name, bench] of chosen) {
    const start = Date.now();
    figures.push(...[await bench()].flat());
    process.stderr.write(`${name}${runCount > 1 ? ` (run ${run} of ${runCount})` : ''}: measured in ${Math.round((Date.now() - start) / 1000)} s\n`);
  }
  runs.push(figures);
}
const figures = gather(runs);
const sqliteVersion = (new Database(':memory:').prepare('select sqlite_version() as v').get() as { v: string }).v;
const machine = { node: process.version, sqlite: sqliteVersion, cpus: cpus().length, platform: `${process.platform}-${process.arch}` };
const seconds = Math.round((Date.now() - started) / 1000);
if (!only) writeFileSync(RESULTS, `${JSON.stringify({ measuredAt: new Date().toISOString(), seconds, machine, runs: runCount, figures }, null, 2)}\n`);
console.log(table(figures));
console.log(`\n${figures.map((f) => `${f.name}: ${f.notes ?? ''}`).join('\n')}`);
console.log(`\nNode ${machine.node}, SQLite ${machine.sqlite}, ${machine.cpus} CPUs; ${runCount > 1 ? `${runCount} runs, ` : ''}${seconds} s${only ? '' : `; written to ${RESULTS}`}`);
process.exitCode = figures.every((f) => f.runs.every((r) => r.met)) ? 0 : 1;
