/**
 * What the bot counts for operators, behind small interfaces: the router reports each finished
 * invocation, the scheduler each job it runs. Neither knows about Prometheus; with METRICS off they
 * talk to `NO_METRICS`, and prom-client is never loaded.
 */

/** handled: answered; refused: a mistake the person can fix (a UserError); failed: a bug, answered with the apology. */
export type CommandOutcome = 'handled' | 'refused' | 'failed';
/** failed: the run threw or passed its deadline; the job is retried later. */
export type JobOutcome = 'done' | 'skipped' | 'failed';

export interface CommandMetrics {
  /** `name` is a known command's name (or `unknown`, `chat-message`): never what a person typed. */
  commandFinished(name: string, outcome: CommandOutcome, seconds: number): void;
}

export interface JobMetrics {
  /** A claimed job starts running `lagSeconds` after it was due. */
  jobStarted(job: string, lagSeconds: number): void;
  jobFinished(job: string, outcome: JobOutcome): void;
}

/** A database pool's connections, where the driver has a pool (Postgres). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Metrics extends CommandMetrics, JobMetrics {
  /** The Prometheus text exposition, or undefined when metrics are off. */
  exposition(): Promise<{ contentType: string; text: string } | undefined>;
}

export const NO_METRICS: Metrics = {
  commandFinished: () => undefined,
  jobStarted: () => undefined,
  jobFinished: () => undefined,
  exposition: async () => undefined,
};

/** The label of an invocation that is not a command of the catalogue. */
export const UNKNOWN_COMMAND = 'unknown';
/** The label of chat messages (and their edits and deletions) read by the bot. */
export const CHAT_MESSAGE = 'chat-message';

export interface MetricsOptions {
  /** Every name a command may be counted under; anything else is counted as `unknown`. */
  commandNames: readonly string[];
  /** Every scheduled job's name; anything else is counted as `unknown`. */
  jobNames: readonly string[];
  databasePool?: () => PoolStats | undefined;
}

const COMMAND_OUTCOMES: readonly CommandOutcome[] = ['handled', 'refused', 'failed'];
const JOB_OUTCOMES = ['done', 'skipped'] as const;
/** From a fast command to one drawing a picture on a busy machine. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A tick is every 15 s; a backlog after downtime is minutes or hours late. */
const LAG_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 900, 3600, 21_600, 86_400];

/**
 * Prometheus metrics in a registry of their own (not prom-client's global one), so several apps in
 * one process, as in tests, never collide. Label values come only from the fixed lists given here;
 * every series exists from the start at zero.
 */
export async function createMetrics(options: MetricsOptions): Promise<Metrics> {
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = await import('prom-client');
  const registry = new Registry();
  // Process and Node figures, event-loop delay among them (nodejs_eventloop_lag_*, from monitorEventLoopDelay).
  collectDefaultMetrics({ register: registry });
  const commandNames = new Set([...options.commandNames, UNKNOWN_COMMAND, CHAT_MESSAGE]);
  const jobNames = new Set([...options.jobNames, UNKNOWN_COMMAND]);
  const command = (name: string) => (commandNames.has(name) ? name : UNKNOWN_COMMAND);
  const job = (name: string) => (jobNames.has(name) ? name : UNKNOWN_COMMAND);

  const commands = new Counter({
    name: 'inkwell_commands_total',
    help: 'Commands, buttons and chat messages the router finished, by command name and outcome (handled, refused, failed).',
    labelNames: ['name', 'outcome'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'inkwell_command_duration_seconds',
    help: 'How long the router took over an invocation, by command name.',
    labelNames: ['name'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'inkwell_scheduled_job_lag_seconds',
    help: 'How late a scheduled job started against its due time, by job name.',
    labelNames: ['job'] as const,
    buckets: LAG_BUCKETS,
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'inkwell_scheduled_jobs_total',
    help: 'Scheduled jobs that ran to the end, by job name and outcome (done, or skipped: nothing to post).',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'inkwell_scheduled_job_failures_total',
    help: 'Scheduled job runs that failed or passed their deadline (each is retried later), by job name.',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  for (const name of commandNames) {
    for (const outcome of COMMAND_OUTCOMES) commands.labels(name, outcome).inc(0);
    durations.zero({ name });
  }
  for (const name of jobNames) {
    for (const outcome of JOB_OUTCOMES) jobs.labels(name, outcome).inc(0);
    failures.labels(name).inc(0);
    lag.zero({ job: name });
  }
  const pool = options.databasePool;
  if (pool) {
    const gauge = (name: string, help: string, read: (stats: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const stats = pool();
          if (stats) this.set(read(stats));
        },
      });
    gauge('inkwell_db_pool_connections', 'Connections the Postgres pool holds, in use or idle.', (s) => s.total);
    gauge('inkwell_db_pool_idle_connections', 'Connections the Postgres pool holds idle.', (s) => s.idle);
    gauge('inkwell_db_pool_waiting_queries', 'Queries waiting for a connection from the Postgres pool.', (s) => s.waiting);
  }

  return {
    commandFinished(name, outcome, seconds) {
      const label = command(name);
      commands.labels(label, outcome).inc();
      durations.labels(label).observe(seconds);
    },
    jobStarted(name, lagSeconds) {
      lag.labels(job(name)).observe(Math.max(0, lagSeconds));
    },
    jobFinished(name, outcome) {
      if (outcome === 'failed') failures.labels(job(name)).inc();
      else jobs.labels(job(name), outcome).inc();
    },
    async exposition() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
