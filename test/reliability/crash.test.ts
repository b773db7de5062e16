import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { PROJECT_ROOT } from '../support/processes';

const KILLS = 3;
const MIGRATION_KILLS = 8;

/** The real entry point on the console, reading commands from a pipe. */
function startBot(sqlitePath: string): { child: ChildProcessWithoutNullStreams; lines: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, PORT: '0', SQLITE_PATH: sqlitePath, CONSOLE_USER: 'Ada', LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stdin.on('error', () => undefined); // the pipe breaks when the process is killed
  return { child, lines };
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function killed(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    child.on('close', () => resolve());
    child.kill('SIGKILL');
  });
}

const schemaOf = (path: string) => {
  // Read-write: opening recovers what the dead process left in the write-ahead log.
  const db = new Database(path);
  try {
    return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
  } finally {
    db.close();
  }
};

describe('crashes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged log through ${KILLS} SIGKILLs of a bot logging continuously`, async () => {
    const sqlitePath = join(dir, 'logging.sqlite');
    let acknowledged = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const { child, lines } = startBot(sqlitePath);
      const acks = () => lines.filter((line) => / logged: /.test(line)).length;
      if (kill === 0) child.stdin.write('/setup timezone:UTC\n');
      // Far more than it can answer before the kill: it is busy logging when it dies.
      child.stdin.write('/log 1\n'.repeat(5000));
      await until(() => acks() >= 100 + 50 * kill, 'acknowledged logs');
      await killed(child);
      acknowledged += acks();
      const db = new Database(sqlitePath);
      const integrity = db.pragma('integrity_check', { simple: true });
      const { rows, words } = db.prepare('SELECT COUNT(*) AS rows, COALESCE(SUM(words), 0) AS words FROM logs').get() as { rows: number; words: number };
      db.close();
      console.log(`crash ${kill + 1}: ${acknowledged} logs acknowledged so far, ${rows} stored, integrity ${integrity}`);
      expect(integrity).toBe('ok');
      expect(rows).toBeGreaterThanOrEqual(acknowledged);
      expect(words).toBe(rows);
      // What was stored but not yet answered when the process died counts as acknowledged from now on.
      acknowledged = rows;
    }
    console.log(`crash: kills survived = ${KILLS}, acknowledged logs lost = 0`);
  }, 180_000);

  it(`leaves the schema before or after the migrations, never between, when killed while migrating (${MIGRATION_KILLS} kills)`, async () => {
    const complete = join(dir, 'complete.sqlite');
    const handle = openDatabase({ sqlitePath: complete });
    await migrateToLatest(handle);
    await handle.close();
    const after = JSON.stringify(schemaOf(complete));
    const outcomes: string[] = [];
    for (let i = 0; i < MIGRATION_KILLS; i++) {
      const sqlitePath = join(dir, `migrating-${i}.sqlite`);
      const { child } = startBot(sqlitePath);
      // The file appears when the bot opens the database, just before it migrates; the kill lands a little later each time.
      await until(() => existsSync(sqlitePath), 'the database file');
      await new Promise((resolve) => setTimeout(resolve, i * 6));
      await killed(child);
      const schema = schemaOf(sqlitePath);
      const state = schema.length === 0 ? 'before' : JSON.stringify(schema) === after ? 'after' : 'between';
      outcomes.push(state);
    }
    console.log(`crash during migrations: ${MIGRATION_KILLS} kills, left before: ${outcomes.filter((o) => o === 'before').length}, after: ${outcomes.filter((o) => o === 'after').length}, in between: ${outcomes.filter((o) => o === 'between').length}`);
    expect(outcomes).not.toContain('between');
  }, 120_000);
});
