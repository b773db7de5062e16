import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { afterEach } from 'vitest';
import type { TestDatabase } from './databases';
import { PROJECT_ROOT } from './processes';

/** A line the bot logged (pino JSON on stderr). */
export interface LoggedLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** The real entry point (src/main.ts) as a child process, with what it logs. */
export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  logs: LoggedLine[];
  /** What the bot printed on stdout (the console's conversation), line by line. */
  printed: string[];
  /** Resolves with the first logged line matching `msg` (already logged ones count). */
  waitForLog(msg: string, timeoutMs?: number): Promise<LoggedLine>;
  /** SIGKILL: no shutdown, no flush; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, the clean way out. */
  stop(): Promise<void>;
}

/** The environment that points the bot at a test database. */
export function databaseEnv(database: TestDatabase): Record<string, string> {
  return 'sqlitePath' in database.config ? { SQLITE_PATH: database.config.sqlitePath } : { DATABASE_URL: database.config.postgresUrl };
}

/** Preloaded into the process to move its wall clock (Date.now) by CLOCK_SHIFT_MS, as `faketime` would. */
const SHIFTED_CLOCK = './test/support/shifted-clock.ts';

/** `clockShiftMs` starts the process with its wall clock that far ahead of the real one. */
export function spawnBot(env: Record<string, string>, options: { clockShiftMs?: number } = {}): BotProcess {
  const shift = options.clockShiftMs ? ['--import', SHIFTED_CLOCK] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', ...shift, 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', PORT: '0', ...env, ...(options.clockShiftMs && { CLOCK_SHIFT_MS: String(options.clockShiftMs) }) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: LoggedLine[] = [];
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LoggedLine);
      } catch {
        logs.push({ level: 60, msg: line });
      }
    }
  });
  const printed: string[] = [];
  let printing = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (printing + chunk.toString()).split('\n');
    printing = lines.pop()!;
    printed.push(...lines);
  });
  child.stdin.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const end = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return closed;
  };
  return {
    child,
    logs,
    printed,
    async waitForLog(msg, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = logs.find((l) => l.msg === msg);
        if (line) return line;
        if (child.exitCode !== null) throw new Error(`the bot exited before logging "${msg}": ${logs.map((l) => l.msg).join(' | ')}`);
        if (Date.now() > deadline) throw new Error(`the bot did not log "${msg}" within ${timeoutMs} ms: ${logs.map((l) => l.msg).join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

/** Polls `condition` until it holds, or fails naming `what`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * What a test of bot processes leaves behind, undone after each test, last first: `later` takes any
 * cleanup (a fake to stop, a database to drop), `started` a bot process to kill.
 */
export function cleanUpAfterEach(): { later(cleanup: () => Promise<void>): void; started(bot: BotProcess): BotProcess } {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    later: (cleanup) => void cleanups.push(cleanup),
    started: (bot) => {
      cleanups.push(() => bot.kill());
      return bot;
    },
  };
}
