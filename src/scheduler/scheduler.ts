import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../core/clock';
import type { Db } from '../db/database';
import { claimDueJobs, finishJob, markFailureNotified, markJobSent, releaseJob } from '../db/scheduled-job.repository';
import type { ScheduledJobRow } from '../db/scheduled-job.table';
import type { Logger } from '../logger';

/**
 * Runs one claimed job. `markSent` records the platform message it posted, so that a retry after a
 * crash finishes the remaining steps without posting again.
 */
export type JobHandler = (job: ScheduledJobRow, markSent: (messageId: string) => Promise<void>) => Promise<'done' | 'skipped'>;

/** Work that runs on every tick besides claimed jobs: feed polls, planning the next digests. */
export type TickTask = (now: number) => Promise<unknown>;

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  handlers: Record<string, JobHandler>;
  tasks?: Record<string, TickTask>;
  /** A claim older than this belongs to a process that died: the job is taken over. */
  staleClaimMs?: number;
  /** Called once for a job that failed this many times (default 3): tell someone who can fix it. */
  onRepeatedFailure?: (job: ScheduledJobRow, error: string) => Promise<void>;
  repeatedFailureAttempts?: number;
}

/** Jobs claimed at once: a process takes no more than it is about to run. */
const JOBS_PER_CLAIM = 50;
const MAX_RETRY_MS = 3_600_000;

/**
 * node-cron only ticks; the database decides. Each tick claims due jobs (a conditional update per
 * row, so several processes never run one twice), runs them, and records the outcome; a failure is
 * logged, recorded on the job and retried later, without holding up the others.
 */
export class Scheduler {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private task?: ScheduledTask;
  private ticking?: Promise<void>;
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {}

  /** Ticks on a cron schedule (default every 15 seconds) until stopped. */
  start(expression = '*/15 * * * * *'): void {
    this.task = cron.schedule(expression, () => this.tick(), { noOverlap: true, name: 'scheduler' });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.task?.stop();
    this.task = undefined;
    await this.ticking;
  }

  /** One round of scheduled work; overlapping calls share the round already running. */
  tick(): Promise<void> {
    this.ticking ??= this.round().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async round(): Promise<void> {
    const { clock, logger, tasks = {} } = this.options;
    for (const [name, task] of Object.entries(tasks)) {
      await task(clock.now()).catch((error: unknown) => logger.error({ err: error, task: name }, 'scheduled task failed'));
    }
    await this.runDueJobs().catch((error: unknown) => logger.error({ err: error }, 'claiming scheduled jobs failed'));
  }

  /** Claims and runs due jobs a batch at a time until none is left, so a thousand digests need not wait for more ticks. */
  private async runDueJobs(): Promise<void> {
    const { db, clock, handlers, staleClaimMs = 10 * 60_000 } = this.options;
    for (;;) {
      const now = clock.now();
      const jobs = await claimDueJobs(db, { now, staleBefore: now - staleClaimMs, owner: this.owner, limit: JOBS_PER_CLAIM, jobs: Object.keys(handlers) });
      for (const job of jobs) await this.run(job, handlers[job.job]!);
      if (jobs.length < JOBS_PER_CLAIM || this.stopping) return;
    }
  }

  private async run(job: ScheduledJobRow, handler: JobHandler): Promise<void> {
    const { db, clock, logger } = this.options;
    const markSent = async (messageId: string) => {
      await markJobSent(db, job.id, this.owner, messageId, clock.now());
      job.message_id = messageId;
    };
    try {
      const outcome = await handler(job, markSent);
      await finishJob(db, job.id, this.owner, outcome, clock.now());
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const retryIn = Math.min(60_000 * 2 ** Math.max(0, job.attempts - 1), MAX_RETRY_MS);
      logger.warn({ err: error, job: job.job, subject: job.subject, period: job.period, attempt: job.attempts }, 'scheduled job failed; will retry');
      await releaseJob(db, job, this.owner, message, clock.now() + retryIn, clock.now());
      const { onRepeatedFailure, repeatedFailureAttempts = 3 } = this.options;
      if (onRepeatedFailure && job.attempts >= repeatedFailureAttempts && !job.failure_notified) {
        await markFailureNotified(db, job.id);
        await onRepeatedFailure(job, message).catch((notifyError: unknown) => logger.error({ err: notifyError }, 'could not report a failing job'));
      }
    }
  }
}
