import pino from 'pino';
import { type RunningBot, startBot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import type { ChatAdapter } from '../../src/core/chat-adapter';
import type { Clock } from '../../src/core/clock';
import { createTestDatabase, type TestDatabase } from './databases';

export interface TestBot extends RunningBot {
  /** Everything the bot logged at warn level or above. */
  logs: { level: number; msg: string; err?: { message: string } }[];
  database: TestDatabase;
  /** Stops the bot and drops its database (unless it was another bot's). */
  close(): Promise<void>;
}

/**
 * The real bot wiring (config -> database -> services -> adapters) with a fresh SQLite database, or
 * another bot's (a second process on the same database). `schedule: false` leaves ticking to the test.
 * `fallback` is the adapter used when the environment configures no platform (the console, as in main.ts).
 */
export async function startTestBot(
  env: Record<string, string>,
  options: { clock?: Clock; schedule?: boolean; sameDatabaseAs?: TestBot; fallback?: () => ChatAdapter } = {},
): Promise<TestBot> {
  const database: TestDatabase = options.sameDatabaseAs?.database ?? (await createTestDatabase('sqlite'));
  const sqlitePath = 'sqlitePath' in database.config ? database.config.sqlitePath : '';
  const config = loadConfig({ SQLITE_PATH: sqlitePath, PORT: '0', ...env });
  const logs: TestBot['logs'] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const bot = await startBot(config, logger, { clock: options.clock, schedule: options.schedule, fallback: options.fallback });
  return {
    ...bot,
    logs,
    database,
    async close() {
      await bot.stop();
      if (!options.sameDatabaseAs) await database.drop();
    },
  };
}
