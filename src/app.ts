import { sql } from 'kysely';
import { chatMessages, commands } from '../commands/index';
import { AdapterHub } from './adapters/adapter-hub';
import type { ChatAdapter } from './core/chat-adapter';
import { type Clock, systemClock } from './core/clock';
import { PicturePool } from './render/picture-pool';
import { Router } from './router/router';
import { CommandInbox } from './router/command-inbox';
import { type DatabaseConfig, type DatabaseHandle, openDatabase } from './db/database';
import { pruneHandledEvents } from './db/handled-event.repository';
import { migrateToLatest } from './db/migrate';
import { refreshStatistics } from './db/statistics';
import type { Logger } from './logger';
import { DigestPlanner } from './scheduler/digest-planner';
import { jobRegistry, reportRepeatedFailure } from './scheduler/jobs';
import { JOBS_PER_PICTURE_THREAD, Scheduler } from './scheduler/scheduler';
import { createServices, DEFAULT_SERVICE_SETTINGS, type ServiceSettings, type Services } from './services/index';
import { createMetrics, type Metrics, NO_METRICS } from './observability/metrics';

const HANDLED_EVENTS_KEPT_MS = 7 * 24 * 3_600_000;
const HANDLED_EVENTS_PRUNE_EVERY_MS = 3_600_000;
const STATISTICS_REFRESH_EVERY_MS = 24 * 3_600_000;
/** How long closing waits for commands and jobs under way before it closes the database anyway. */
export const DEFAULT_CLOSE_GRACE_MS = 10_000;

export interface App {
  database: DatabaseHandle;
  services: Services;
  router: Router;
  /** Commands stored before they are acknowledged, and the recovery of those a dead process left. */
  inbox: CommandInbox;
  hub: AdapterHub;
  /** Scheduled work (first-hour wrap-ups, feed polls); `startBot` starts its ticking. */
  scheduler: Scheduler;
  /** What the router and the scheduler count; `NO_METRICS` unless metrics were asked for. */
  metrics: Metrics;
  /** Starts an adapter with the router behind it, and lets services post through it. */
  attach(adapter: ChatAdapter): Promise<void>;
  /** Whether the database answers a trivial query within `timeoutMs`. */
  databaseAnswers(timeoutMs: number): Promise<boolean>;
  /**
   * Stops the scheduler (giving back the jobs it claimed), waits up to `graceMs` for the commands and
   * jobs under way, then stops the adapters and the picture threads and closes the database. Safe to
   * call more than once.
   */
  close(graceMs?: number): Promise<void>;
}

/** The bot without its platforms: database (migrated), services and router. */
export async function createApp(options: {
  database: DatabaseConfig;
  logger: Logger;
  clock?: Clock;
  settings?: Partial<ServiceSettings>;
  /** Count commands and jobs for /metrics (METRICS=true). */
  metrics?: boolean;
}): Promise<App> {
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
  // Its threads start with the first picture drawn.
  const pictures = new PicturePool(options.settings?.pictures ?? DEFAULT_SERVICE_SETTINGS.pictures, logger);
  const settings: ServiceSettings = { ...DEFAULT_SERVICE_SETTINGS, ...options.settings, svgToPng: options.settings?.svgToPng ?? pictures.draw };
  const services = createServices({ db: database.db, clock, outbound: hub, logger, settings });
  const jobs = jobRegistry({ db: database.db, outbound: hub, services });
  const metrics = options.metrics
    ? await createMetrics({ commandNames: commands.map((c) => c.name), jobNames: jobs.map((j) => j.name), databasePool: database.poolStats })
    : NO_METRICS;
  const router = new Router({ commands, messages: chatMessages, services, clock, logger, metrics });
  const planner = new DigestPlanner({ db: database.db, logger });
  const scheduler = new Scheduler({
    db: database.db,
    clock,
    logger,
    jobs,
    tasks: {
      'digest planning': (now) => planner.plan(now),
      'forgetting handled events': (now) => forgetHandledEvents(now),
      'refreshing planner statistics': (now) => refreshStatisticsDaily(now),
      'answering stored commands': (): Promise<number> => inbox.recover(),
    },
    // A group's feeds post at its channel's pace: other groups' due jobs never wait for them.
    backgroundTasks: { 'feed polls': () => services.feeds.pollDue() },
    onRepeatedFailure: reportRepeatedFailure(jobs, hub),
    metrics,
    concurrency: JOBS_PER_PICTURE_THREAD * settings.pictures.threads,
  });
  services.sprints.useWaker(scheduler);
  const inbox = new CommandInbox({ db: database.db, clock, logger, run: (invocation) => router.handle(invocation), answers: hub, owner: scheduler.owner });
  // Handled event keys only need to outlive the platforms' retries (minutes): keep a week, prune hourly;
  // stored commands are pruned with them, a day after they arrived.
  let prunedAt = Number.NEGATIVE_INFINITY;
  const forgetHandledEvents = async (now: number) => {
    if (now - prunedAt < HANDLED_EVENTS_PRUNE_EVERY_MS) return;
    prunedAt = now;
    await pruneHandledEvents(database.db, now - HANDLED_EVENTS_KEPT_MS);
    await inbox.prune(now);
  };
  // Migrating just refreshed them; after that, daily, as the tables grow.
  let statisticsAt = clock.now();
  const refreshStatisticsDaily = async (now: number) => {
    if (now - statisticsAt < STATISTICS_REFRESH_EVERY_MS) return;
    statisticsAt = now;
    await refreshStatistics(database);
  };
  // Invocations under way, so that closing lets them finish (within its grace) before the database goes.
  const underWay = new Set<Promise<unknown>>();
  const handle: typeof inbox.handle = (invocation, delivery) => {
    const handling = inbox.handle(invocation, delivery);
    underWay.add(handling);
    void handling.then(
      () => underWay.delete(handling),
      () => underWay.delete(handling),
    );
    return handling;
  };
  let closing: Promise<void> | undefined;
  return {
    database,
    services,
    router,
    inbox,
    hub,
    scheduler,
    metrics,
    async attach(adapter) {
      hub.add(adapter);
      await adapter.start(handle);
    },
    async databaseAnswers(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const answered = sql`select 1`.execute(database.db).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([answered, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    close(graceMs = DEFAULT_CLOSE_GRACE_MS) {
      closing ??= (async () => {
        const deadline = Date.now() + graceMs;
        await scheduler.stop(graceMs);
        if (underWay.size) await settledBy([...underWay], deadline);
        await services.publications.flushEdits();
        for (const adapter of hub.all) {
          await adapter.stop().catch((error: unknown) => logger.error({ err: error, platform: adapter.platform }, 'adapter did not stop cleanly'));
        }
        await pictures.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/** Waits for `work` to settle, or until `deadline` (epoch ms, real time), whichever comes first. */
async function settledBy(work: Promise<unknown>[], deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  await Promise.race([Promise.allSettled(work), late]);
  clearTimeout(timer);
}
