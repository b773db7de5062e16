import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { WorkspaceNotInstalledError } from '../core/chat-adapter';
import type { Clock } from '../core/clock';
import { DeadlinePassed, withinDeadline } from '../core/deadline';
import type { Db } from '../db/database';
import { type ClaimedJob, claimDueJobs, finishJob, markFailureNotified, markJobSent, releaseClaim, releaseJob, renewClaim } from '../db/scheduled-job.repository';
import type { ScheduledJobRow } from '../db/scheduled-job.table';
import type { Logger } from '../logger';
import { type JobMetrics, NO_METRICS } from '../observability/metrics';
import { WakeTimers } from './wake-timers';
import { yieldToLoop } from './yield-to-loop';

/**
 * Runs one claimed job. `markSent` records the platform message it posted, so that a retry after a
 * crash finishes the remaining steps without posting again. `signal` fires at the job's deadline:
 * the scheduler has stopped waiting by then, so a handler that can stop (a fetch) should.
 */
export type JobHandler = (
  job: ScheduledJobRow,
  markSent: (messageId: string) => Promise<void>,
  signal: AbortSignal,
) => Promise<'done' | 'skipped'>;

/** A kind of job the scheduler claims and runs: rows of scheduled_jobs whose `job` is `name`. */
export interface SchedulerJob {
  name: string;
  run: JobHandler;
}

/** Work that runs on every tick besides claimed jobs: feed polls, planning the next digests. `signal` fires at its deadline. */
export type TickTask = (now: number, signal: AbortSignal) => Promise<unknown>;

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** The jobs this process runs (src/scheduler/jobs.ts); rows of other jobs are left alone. */
  jobs: readonly SchedulerJob[];
  /** Run one after another at the start of each round, before its due jobs (planning makes jobs due). */
  tasks?: Record<string, TickTask>;
  /**
   * Tasks that may take long for reasons one group controls (feed polls post at the pace of a group's
   * channel): each round starts those not still running from an earlier round and does not wait for
   * them, so due jobs are never behind them. Each has the task deadline, after which a later round
   * may start it again.
   */
  backgroundTasks?: Record<string, TickTask>;
  /**
   * A claim older than this belongs to a process that died: the job is taken over. A live process
   * renews its claim just before it runs a job and gives it up at the job's deadline, so the default
   * is that deadline and a minute: short enough that a post taken over repeats its Discord nonce
   * while Discord still remembers it (a few minutes).
   */
  staleClaimMs?: number;
  /** Called once for a job that failed this many times (default 3): tell someone who can fix it. */
  onRepeatedFailure?: (job: ScheduledJobRow, error: string) => Promise<void>;
  repeatedFailureAttempts?: number;
  /** How long one job may run (default 2 minutes) before it is logged and released for retry. */
  jobDeadlineMs?: number;
  /** How long one tick task may run (default 2 minutes) before the round goes on without it. */
  taskDeadlineMs?: number;
  /**
   * How long one round may hold up the next tick (default 5 minutes). Past it, the next tick starts
   * a new round; the old one finishes the jobs it holds and claims no more.
   */
  roundDeadlineMs?: number;
  /**
   * How many jobs run at once (default 8), so their network round trips overlap. Small, to stay well
   * inside the platforms' limits (Discord: about 50 requests a second per bot; Slack: about one
   * message a second per channel, which the send queue keeps to) and to keep the digests in hand
   * within the memory budget. The app runs `JOBS_PER_PICTURE_THREAD` for each picture thread: a
   * digest waits about as long for its post as for its pictures, so fewer would leave threads idle.
   */
  concurrency?: number;
  /**
   * How many jobs of one group run at once (default 2, at most `concurrency`). A group's jobs post
   * mostly in one channel, where the send queue lets out about one post a second: more of them at
   * once would only wait in that queue, holding runners that other groups' jobs need.
   */
  jobsPerGroup?: number;
  /** Told when each job starts (how late) and how it ended; nothing by default. */
  metrics?: JobMetrics;
}

/** Jobs run at once per picture thread: eight keep one thread drawing through a storm of digests. */
export const JOBS_PER_PICTURE_THREAD = 8;
const DEFAULT_JOB_CONCURRENCY = JOBS_PER_PICTURE_THREAD;
const DEFAULT_JOBS_PER_GROUP = 2;
/** Jobs claimed at once, per job that may run at once: a process takes no more than it is about to run. */
const CLAIMS_PER_RUNNER = 5;
const MAX_RETRY_MS = 3_600_000;
const DEFAULT_JOB_DEADLINE_MS = 2 * 60_000;
const DEFAULT_TASK_DEADLINE_MS = 2 * 60_000;
const DEFAULT_ROUND_DEADLINE_MS = 5 * 60_000;
/** How long stopping waits for the jobs under way before it gives their claims back anyway. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/** A promise opened from outside. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * node-cron only ticks; the database decides. Each tick claims due jobs (a conditional update per
 * row, so several processes never run one twice), runs them, and records the outcome; a failure is
 * logged, recorded on the job and retried later, without holding up the others. Every job, tick task
 * and round has a deadline, so one that hangs costs the others no more than that.
 */
export class Scheduler {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  /** How many jobs this scheduler runs at once. */
  get concurrency(): number {
    return Math.max(1, Math.floor(this.options.concurrency ?? DEFAULT_JOB_CONCURRENCY));
  }

  /** How many jobs of one group this scheduler runs at once. */
  get jobsPerGroup(): number {
    return Math.min(this.concurrency, Math.max(1, Math.floor(this.options.jobsPerGroup ?? DEFAULT_JOBS_PER_GROUP)));
  }
  private task?: ScheduledTask;
  private ticking?: Promise<void>;
  private stopping = false;
  private stopped?: Promise<void>;
  /** Background tasks under way, by name. */
  private readonly background = new Map<string, Promise<void>>();
  /** Jobs this process holds a claim on, and whether each has started running. */
  private readonly held = new Map<number, { job: ClaimedJob; started: boolean }>();
  private readonly wakeTimers: WakeTimers;

  constructor(private readonly options: SchedulerOptions) {
    this.wakeTimers = new WakeTimers(options.clock, () => this.wake());
  }

  /** Runs a due-job round at `instant` (a job due between ticks); the round already running finishes first. */
  wakeAt(instant: number): void {
    if (!this.stopping) this.wakeTimers.at(instant);
  }

  private wake(): void {
    if (this.stopping) return;
    if (this.ticking) void this.ticking.then(() => this.tick());
    else void this.tick();
  }

  /** Ticks on a cron schedule (default every 15 seconds) until stopped. */
  start(expression = '*/15 * * * * *'): void {
    this.task = cron.schedule(expression, () => this.tick(), { noOverlap: true, name: 'scheduler' });
  }

  /**
   * Stops ticking and claims nothing more. Jobs claimed but not started are given back at once; those
   * running get `graceMs` to finish, and are given back after it. Later calls share the first one.
   */
  stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    this.stopped ??= this.drain(graceMs);
    return this.stopped;
  }

  private async drain(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wakeTimers.cancelAll();
    await this.task?.stop();
    this.task = undefined;
    await this.giveBack([...this.held.values()].filter((claim) => !claim.started));
    const underWay = [this.ticking, ...this.background.values()].filter((work) => work !== undefined);
    if (underWay.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(underWay), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    // Still running after the grace: their late writes no longer match the claim (a late post is still recorded).
    await this.giveBack([...this.held.values()]);
  }

  private async giveBack(claims: { job: ClaimedJob; started: boolean }[]): Promise<void> {
    const { db, clock, logger } = this.options;
    for (const claim of claims) this.held.delete(claim.job.id);
    await Promise.all(
      claims.map((claim) =>
        releaseClaim(db, claim.job, claim.started, clock.now()).catch((error: unknown) =>
          logger.error({ err: error, job: claim.job.job, subject: claim.job.subject, period: claim.job.period }, 'could not give back a scheduled job'),
        ),
      ),
    );
    if (claims.length) logger.info({ jobs: claims.length, running: claims.filter((claim) => claim.started).length }, 'scheduled jobs given back');
  }

  /**
   * One round of scheduled work; overlapping calls share the round already running. It settles by
   * the round's deadline at the latest, so a round that hangs never makes node-cron skip every tick.
   */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    const { logger, roundDeadlineMs = DEFAULT_ROUND_DEADLINE_MS } = this.options;
    const ticking = withinDeadline(roundDeadlineMs, (signal) => this.round(signal))
      .catch((error: unknown) => {
        if (error instanceof DeadlinePassed) logger.error({ deadlineMs: roundDeadlineMs }, 'scheduler round passed its deadline; the next tick starts a new one');
        else logger.error({ err: error }, 'scheduler round failed');
      })
      .finally(() => {
        if (this.ticking === ticking) this.ticking = undefined;
      });
    this.ticking = ticking;
    return ticking;
  }

  /**
   * Resolves once the round under way and the background tasks started so far have finished (or
   * passed their deadlines): for tests and tools that need all a tick started to be done.
   */
  async settled(): Promise<void> {
    await this.ticking;
    while (this.background.size > 0) await Promise.all(this.background.values());
  }

  /** `abandoned` fires when the round passed its deadline: a newer round does the rest. */
  private async round(abandoned: AbortSignal): Promise<void> {
    const { logger, tasks = {} } = this.options;
    this.startBackgroundTasks();
    for (const [name, task] of Object.entries(tasks)) {
      if (abandoned.aborted || this.stopping) return;
      await yieldToLoop();
      await this.runTask(name, task);
    }
    await this.runDueJobs(abandoned).catch((error: unknown) => logger.error({ err: error }, 'claiming scheduled jobs failed'));
  }

  private startBackgroundTasks(): void {
    for (const [name, task] of Object.entries(this.options.backgroundTasks ?? {})) {
      if (this.stopping || this.background.has(name)) continue;
      const running = this.runTask(name, task).finally(() => {
        if (this.background.get(name) === running) this.background.delete(name);
      });
      this.background.set(name, running);
    }
  }

  /** Runs a tick task within its deadline; a failure or a passed deadline is logged, never thrown. */
  private async runTask(name: string, task: TickTask): Promise<void> {
    const { clock, logger, taskDeadlineMs = DEFAULT_TASK_DEADLINE_MS } = this.options;
    await withinDeadline(taskDeadlineMs, (signal) => task(clock.now(), signal)).catch((error: unknown) => {
      if (error instanceof DeadlinePassed) logger.error({ task: name, deadlineMs: taskDeadlineMs }, 'scheduled task passed its deadline; the round goes on without it');
      else logger.error({ err: error, task: name }, 'scheduled task failed');
    });
  }

  /**
   * Claims and runs due jobs until none is left, so a thousand digests need not wait for more ticks.
   * `concurrency` runners take jobs from what was claimed, in the order claimed, passing over a job
   * whose group already runs `jobsPerGroup`; a runner that finds nothing to take claims more while
   * fewer than a claim's worth are in hand. A job that hangs holds up only its own runner, until its
   * deadline, and one group's jobs waiting on their channel hold only their group's runners. Each
   * runner lets the event loop turn before its next job.
   */
  private async runDueJobs(abandoned: AbortSignal): Promise<void> {
    const { db, clock, logger, jobDeadlineMs = DEFAULT_JOB_DEADLINE_MS } = this.options;
    const runners = this.concurrency;
    const perGroup = this.jobsPerGroup;
    const handlers = new Map(this.options.jobs.map((job) => [job.name, job.run]));
    const staleClaimMs = this.options.staleClaimMs ?? jobDeadlineMs + 60_000;
    const limit = runners * CLAIMS_PER_RUNNER;
    const waiting: ClaimedJob[] = [];
    const runningInGroup = new Map<number | null, number>();
    let jobEnded = gate();
    let exhausted = false;
    let claimFailed: unknown;
    let claiming: Promise<void> | undefined;
    const claimMore = async (room: number) => {
      const now = clock.now();
      try {
        const jobs = await claimDueJobs(db, { now, staleBefore: now - staleClaimMs, owner: this.owner, limit: room, jobs: [...handlers.keys()] });
        const claims = jobs.map((job) => ({ job, started: false }));
        for (const claim of claims) this.held.set(claim.job.id, claim);
        // Claimed while the process began stopping: another process may have them at once.
        if (this.stopping) await this.giveBack(claims);
        else waiting.push(...jobs);
        if (jobs.length < room) exhausted = true;
      } catch (error) {
        claimFailed = error;
        exhausted = true;
      }
    };
    const nextToRun = (): ClaimedJob | undefined => {
      const index = waiting.findIndex((job) => (runningInGroup.get(job.group_id) ?? 0) < perGroup);
      return index < 0 ? undefined : waiting.splice(index, 1)[0];
    };
    const runner = async () => {
      for (;;) {
        // A stopping process starts none: stop() gave them back.
        const job = this.stopping ? undefined : nextToRun();
        if (job) {
          const claim = this.held.get(job.id);
          if (claim) claim.started = true;
          runningInGroup.set(job.group_id, (runningInGroup.get(job.group_id) ?? 0) + 1);
          await this.run(job, handlers.get(job.job)!)
            .catch((error: unknown) => logger.error({ err: error, job: job.job, subject: job.subject, period: job.period }, 'recording a scheduled job failed'))
            .finally(() => {
              if (this.held.get(job.id) === claim) this.held.delete(job.id);
              runningInGroup.set(job.group_id, runningInGroup.get(job.group_id)! - 1);
              jobEnded.open();
              jobEnded = gate();
            });
          await yieldToLoop();
          continue;
        }
        if (this.stopping) return;
        // The jobs claimed are run even by a round past its deadline; it only claims no more.
        const room = limit - waiting.length;
        if (!exhausted && !abandoned.aborted && room > 0) {
          claiming ??= claimMore(room).finally(() => (claiming = undefined));
          await claiming;
          continue;
        }
        if (waiting.length === 0 || abandoned.aborted) return;
        // What is in hand belongs to groups running all the jobs they may: wait until one of those
        // ends, then look again, for their next job or for other groups' jobs that fell due meanwhile.
        await jobEnded.promise;
        if (claimFailed === undefined) exhausted = false;
      }
    };
    await Promise.all(Array.from({ length: runners }, runner));
    if (claimFailed !== undefined) throw claimFailed;
  }

  private async run(job: ClaimedJob, handler: JobHandler): Promise<void> {
    const { db, clock, jobDeadlineMs = DEFAULT_JOB_DEADLINE_MS } = this.options;
    const markSent = async (messageId: string) => {
      await markJobSent(db, job, messageId, clock.now());
      job.message_id = messageId;
    };
    // Jobs are claimed a batch at a time: one whose claim went stale while it waited is another process's now.
    if (!(await renewClaim(db, job, clock.now()))) return;
    const metrics = this.options.metrics ?? NO_METRICS;
    metrics.jobStarted(job.job, (job.claimed_at - job.due_at) / 1000);
    try {
      const outcome = await withinDeadline(jobDeadlineMs, (signal) => handler(job, markSent, signal));
      metrics.jobFinished(job.job, outcome);
      await finishJob(db, job, outcome, clock.now());
    } catch (error) {
      // A workspace that removed the app has no one to post to until it installs it again: no retries.
      if (error instanceof WorkspaceNotInstalledError) {
        this.options.logger.info({ job: job.job, subject: job.subject, period: job.period, workspace: error.where.workspaceId }, 'scheduled job skipped: the bot is no longer installed in its workspace');
        metrics.jobFinished(job.job, 'skipped');
        await finishJob(db, job, 'skipped', clock.now());
        return;
      }
      metrics.jobFinished(job.job, 'failed');
      await this.retryLater(job, error);
    }
  }

  private async retryLater(job: ClaimedJob, error: unknown): Promise<void> {
    const { db, clock, logger, jobDeadlineMs = DEFAULT_JOB_DEADLINE_MS } = this.options;
    const message = error instanceof Error ? error.message : String(error);
    const retryAt = clock.now() + Math.min(60_000 * 2 ** Math.max(0, job.attempts - 1), MAX_RETRY_MS);
    const which = { job: job.job, subject: job.subject, period: job.period, attempt: job.attempts };
    if (error instanceof DeadlinePassed) logger.error({ ...which, deadlineMs: jobDeadlineMs, retryAt }, 'scheduled job passed its deadline; released for retry');
    else logger.warn({ err: error, ...which }, 'scheduled job failed; will retry');
    await releaseJob(db, job, message, retryAt, clock.now());
    const { onRepeatedFailure, repeatedFailureAttempts = 3 } = this.options;
    if (onRepeatedFailure && job.attempts >= repeatedFailureAttempts && !job.failure_notified) {
      await markFailureNotified(db, job.id);
      // Telling someone is network work too: it gets the job's deadline.
      await withinDeadline(jobDeadlineMs, () => onRepeatedFailure(job, message)).catch((notifyError: unknown) =>
        logger.error({ err: notifyError, ...which }, 'could not report a failing job'),
      );
    }
  }
}
