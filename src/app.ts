import { chatLog, commands } from '../commands/index';
import { AdapterHub } from './adapters/adapter-hub';
import type { ChatAdapter } from './core/chat-adapter';
import { type Clock, systemClock } from './core/clock';
import { Router } from './core/router';
import { type DatabaseConfig, type DatabaseHandle, openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import type { Logger } from './logger';
import { createServices, type Services } from './services/index';

export interface App {
  database: DatabaseHandle;
  services: Services;
  router: Router;
  hub: AdapterHub;
  /** Starts an adapter with the router behind it, and lets services post through it. */
  attach(adapter: ChatAdapter): Promise<void>;
  /** Stops the adapters, then closes the database. Safe to call more than once. */
  close(): Promise<void>;
}

/** The bot without its platforms: database (migrated), services and router. */
export async function createApp(options: { database: DatabaseConfig; logger: Logger; clock?: Clock }): Promise<App> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const database = openDatabase(options.database);
  try {
    const applied = await migrateToLatest(database);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  } catch (error) {
    await database.close();
    throw error;
  }
  const hub = new AdapterHub(logger);
  const services = createServices({ db: database.db, clock, outbound: hub, logger });
  const router = new Router({ commands, messages: chatLog, services, clock, logger });
  let closing: Promise<void> | undefined;
  return {
    database,
    services,
    router,
    hub,
    async attach(adapter) {
      hub.add(adapter);
      await adapter.start((invocation) => router.handle(invocation));
    },
    close() {
      closing ??= (async () => {
        for (const adapter of hub.all) {
          await adapter.stop().catch((error: unknown) => logger.error({ err: error, platform: adapter.platform }, 'adapter did not stop cleanly'));
        }
        await database.close();
      })();
      return closing;
    },
  };
}
