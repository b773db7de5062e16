import pino from 'pino';
import { type RunningBot, startBot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import type { Clock } from '../../src/core/clock';
import { createTestDatabase, type TestDatabase } from './databases';

export interface TestBot extends RunningBot {
  /** Everything the bot logged at warn level or above. */
  logs: { level: number; msg: string; err?: { message: string } }[];
  /** Stops the bot and drops its database. */
  close(): Promise<void>;
}

/** The real bot wiring (config -> database -> services -> adapters) with a fresh SQLite database. */
export async function startTestBot(env: Record<string, string>, options: { clock?: Clock } = {}): Promise<TestBot> {
  const database: TestDatabase = await createTestDatabase('sqlite');
  const sqlitePath = 'sqlitePath' in database.config ? database.config.sqlitePath : '';
  const config = loadConfig({ SQLITE_PATH: sqlitePath, ...env });
  const logs: TestBot['logs'] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const bot = await startBot(config, logger, options);
  return {
    ...bot,
    logs,
    async close() {
      await bot.stop();
      await database.drop();
    },
  };
}
