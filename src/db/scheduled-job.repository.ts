import { sql } from 'kysely';
import type { Db } from './database';
import type { JobState, ScheduledJobRow } from './scheduled-job.table';

export interface JobKey {
  job: string;
  subject: string;
  /** The local period it is for ('2026-W12', '2026-03-16'), or '' for one-off work. */
  period: string;
}

/** Adds a job unless one with the same key exists; true when added. */
export async function scheduleJob(db: Db, key: JobKey, dueAt: number, now: number, state: JobState = 'pending'): Promise<boolean> {
  const row = await db
    .insertInto('scheduled_jobs')
    .values({ ...key, due_at: dueAt, state, claimed_by: null, claimed_at: null, message_id: null, last_error: null, updated_at: now })
    .onConflict((oc) => oc.columns(['job', 'subject', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims due work for `owner`: jobs whose time has come and that nobody holds (pending, or released
 * for retry after they posted), and jobs whose claim went stale (their process died). A row is only
 * ever claimed once due, so waiting for `due_at` costs a stale claim nothing and makes a released
 * job, posted or not, wait out its backoff. Each claim is a conditional update, so when processes
 * race for a row, exactly one wins it.
 */
export async function claimDueJobs(
  db: Db,
  options: { now: number; staleBefore: number; owner: string; limit: number; jobs?: string[] },
): Promise<ScheduledJobRow[]> {
  const { now, staleBefore, owner, limit } = options;
  let candidates = db
    .selectFrom('scheduled_jobs')
    .select(['id', 'state', 'claimed_at'])
    .where('state', 'in', ['pending', 'claimed', 'sent'])
    .where('due_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', staleBefore)]))
    .orderBy('due_at')
    .limit(limit);
  if (options.jobs) candidates = candidates.where('job', 'in', options.jobs);
  const claimed: ScheduledJobRow[] = [];
  for (const candidate of await candidates.execute()) {
    const result = await db
      .updateTable('scheduled_jobs')
      .set({ state: candidate.state === 'sent' ? 'sent' : 'claimed', claimed_by: owner, claimed_at: now, attempts: sql<number>`attempts + 1`, updated_at: now })
      .where('id', '=', candidate.id)
      .where('state', '=', candidate.state)
      .where((eb) => (candidate.claimed_at === null ? eb('claimed_at', 'is', null) : eb('claimed_at', '=', candidate.claimed_at)))
      .returningAll()
      .executeTakeFirst();
    if (result) claimed.push(result);
  }
  return claimed;
}

/** The job posted its message: a retry after a crash must not post again. */
export async function markJobSent(db: Db, id: number, owner: string, messageId: string, now: number): Promise<void> {
  await db
    .updateTable('scheduled_jobs')
    .set({ state: 'sent', message_id: messageId, updated_at: now })
    .where('id', '=', id)
    .where('claimed_by', '=', owner)
    .execute();
}

export async function finishJob(db: Db, id: number, owner: string, state: 'done' | 'skipped', now: number): Promise<void> {
  await db.updateTable('scheduled_jobs').set({ state, updated_at: now }).where('id', '=', id).where('claimed_by', '=', owner).execute();
}

/**
 * Gives a failed job back, unclaimed, to be tried again at `retryAt`. A job that already posted stays
 * 'sent', so the retry finishes its remaining steps without posting twice.
 */
export async function releaseJob(db: Db, job: ScheduledJobRow, owner: string, error: string, retryAt: number, now: number): Promise<void> {
  const sent = job.message_id !== null;
  await db
    .updateTable('scheduled_jobs')
    .set({ state: sent ? 'sent' : 'pending', due_at: retryAt, claimed_at: null, last_error: error.slice(0, 500), updated_at: now })
    .where('id', '=', job.id)
    .where('claimed_by', '=', owner)
    .execute();
}

export async function markFailureNotified(db: Db, id: number): Promise<void> {
  await db.updateTable('scheduled_jobs').set({ failure_notified: 1 }).where('id', '=', id).execute();
}
