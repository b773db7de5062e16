import { platformAdapters } from './adapters/platforms';
import { type App, createApp } from './app';
import type { Config } from './config';
import type { ChatAdapter } from './core/chat-adapter';
import type { Clock } from './core/clock';
import type { Logger } from './logger';

export interface RunningBot {
  app: App;
  adapters: ChatAdapter[];
  /** Stops the adapters and closes the database. */
  stop(): Promise<void>;
}

/**
 * The whole bot as configured: database, services, router, and an adapter per configured platform
 * (or `fallback`, the terminal console, when none is). main.ts and the end-to-end tests both start it here.
 */
export async function startBot(
  config: Config,
  logger: Logger,
  options: { clock?: Clock; fallback?: () => ChatAdapter; schedule?: boolean } = {},
): Promise<RunningBot> {
  const app = await createApp({ database: config.database, logger, clock: options.clock, settings: config.services });
  const adapters = await platformAdapters(config, logger);
  if (adapters.length === 0 && options.fallback) adapters.push(options.fallback());
  try {
    for (const adapter of adapters) await app.attach(adapter);
  } catch (error) {
    await app.close();
    throw error;
  }
  if (options.schedule !== false) {
    app.scheduler.start();
    // What a process before this one acknowledged and left unanswered; later ticks take up the rest.
    app.inbox.recover().catch((error: unknown) => logger.error({ err: error }, 'recovering stored commands failed'));
  }
  return { app, adapters, stop: () => app.close() };
}
