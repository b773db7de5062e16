import { platformAdapters } from './adapters/platforms';
import { type App, createApp } from './app';
import type { Config } from './config';
import type { ChatAdapter } from './core/chat-adapter';
import { type Clock, systemClock } from './core/clock';
import { HttpServer } from './http/http-server';
import { OPERATOR_PATHS, operatorEndpoints, sharedCheck } from './http/operator-endpoints';
import { webPageListener } from './http/web-page';
import type { Logger } from './logger';

/** How long a drain waits for requests, commands and jobs under way. */
export const DRAIN_GRACE_MS = 10_000;
/** A database slower than this to answer `select 1` makes the bot not ready. */
const READINESS_QUERY_TIMEOUT_MS = 2_000;

export interface RunningBot {
  app: App;
  adapters: ChatAdapter[];
  /** The one HTTP server on PORT: Slack's /slack/*, the group's web page, the operator endpoints. */
  http: HttpServer;
  /** Why the bot is not ready (as /readyz says), or undefined when it is. */
  readiness(): Promise<string | undefined>;
  /**
   * The drain: not ready at once, the HTTP server stops listening, requests, commands and jobs under
   * way get `graceMs` to finish, claimed jobs are given back, then the adapters stop and the database
   * closes. Later calls share the first.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The whole bot as configured: the HTTP server (listening first, so /healthz answers while the
 * database migrates), database, services, router, and an adapter per configured platform (or
 * `fallback`, the terminal console, when none is). main.ts and the end-to-end tests both start it here.
 */
export async function startBot(
  config: Config,
  logger: Logger,
  options: { clock?: Clock; fallback?: () => ChatAdapter; schedule?: boolean } = {},
): Promise<RunningBot> {
  const http = new HttpServer(logger);
  let app: App | undefined;
  let adapters: ChatAdapter[] = [];
  let attached = false;
  let draining = false;
  const databaseAnswers = sharedCheck(() => app!.databaseAnswers(READINESS_QUERY_TIMEOUT_MS));
  const readiness = async (): Promise<string | undefined> => {
    if (draining) return 'shutting down';
    if (!app) return 'migrating the database';
    if (!attached) return 'connecting to the platforms';
    const down = adapters.find((adapter) => adapter.connected?.() === false);
    if (down) return `${down.platform} is not connected`;
    if (!(await databaseAnswers())) return 'the database does not answer';
    // The answer may have taken a while: a drain that began meanwhile wins.
    return draining ? 'shutting down' : undefined;
  };
  const endpoints = operatorEndpoints({
    readiness,
    metrics: async () => (config.metrics ? app?.metrics.exposition() : undefined),
  });
  for (const path of OPERATOR_PATHS) http.mount(path, endpoints);
  await http.listen(config.http.port);

  try {
    app = await createApp({ database: config.database, logger, clock: options.clock, settings: config.services, metrics: config.metrics });
  } catch (error) {
    await http.close();
    throw error;
  }
  const running = app;
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = DRAIN_GRACE_MS) => {
    stopping ??= (async () => {
      draining = true;
      // Both at once: the server takes no new request and the scheduler claims no new job.
      await Promise.all([http.close(graceMs), running.scheduler.stop(graceMs)]);
      await running.close(graceMs);
    })();
    return stopping;
  };
  http.serveRest(webPageListener({ pages: running.services.pages, clock: options.clock ?? systemClock, logger: logger.child({ part: 'web page' }) }));
  try {
    adapters = await platformAdapters(config, logger, http, running.database.db);
    if (adapters.length === 0 && options.fallback) adapters.push(options.fallback());
    running.services.pages.useAddress(http.localUrl);
    for (const adapter of adapters) await running.attach(adapter);
    attached = true;
  } catch (error) {
    await stop();
    throw error;
  }
  if (options.schedule !== false) {
    running.scheduler.start();
    // What a process before this one acknowledged and left unanswered; later ticks take up the rest.
    running.inbox.recover().catch((error: unknown) => logger.error({ err: error }, 'recovering stored commands failed'));
  }
  return { app: running, adapters, http, readiness, stop };
}
