import { platformAdapters } from './adapters/platforms';
import { type App, createApp } from './app';
import type { Config } from './config';
import type { ChatAdapter } from './core/chat-adapter';
import { type Clock, systemClock } from './core/clock';
import { HttpServer } from './http/http-server';
import { webPageListener } from './http/web-page';
import type { Logger } from './logger';

export interface RunningBot {
  app: App;
  adapters: ChatAdapter[];
  /** The one HTTP server on PORT: Slack's /slack/* and the group's web page. */
  http: HttpServer;
  /** Stops the HTTP server and the adapters, and closes the database. */
  stop(): Promise<void>;
}

/**
 * The whole bot as configured: database, services, router, the HTTP server, and an adapter per
 * configured platform (or `fallback`, the terminal console, when none is). main.ts and the end-to-end
 * tests both start it here.
 */
export async function startBot(
  config: Config,
  logger: Logger,
  options: { clock?: Clock; fallback?: () => ChatAdapter; schedule?: boolean } = {},
): Promise<RunningBot> {
  const app = await createApp({ database: config.database, logger, clock: options.clock, settings: config.services });
  const http = new HttpServer(logger);
  http.serveRest(webPageListener({ pages: app.services.pages, clock: options.clock ?? systemClock, logger: logger.child({ part: 'web page' }) }));
  const stop = async () => {
    await http.close();
    await app.close();
  };
  const adapters = await platformAdapters(config, logger, http, app.database.db);
  if (adapters.length === 0 && options.fallback) adapters.push(options.fallback());
  try {
    await http.listen(config.http.port);
    app.services.pages.useAddress(http.localUrl);
    for (const adapter of adapters) await app.attach(adapter);
  } catch (error) {
    await stop();
    throw error;
  }
  if (options.schedule !== false) {
    app.scheduler.start();
    // What a process before this one acknowledged and left unanswered; later ticks take up the rest.
    app.inbox.recover().catch((error: unknown) => logger.error({ err: error }, 'recovering stored commands failed'));
  }
  return { app, adapters, http, stop };
}
