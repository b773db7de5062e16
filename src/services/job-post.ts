import type { PostOnce } from '../core/chat-adapter';
import type { ScheduledJobRow } from '../db/scheduled-job.table';

/**
 * The identity of the post a scheduled job makes: the same on every attempt (a job's id is never
 * reused) and different for every other job. From the second attempt on, an earlier one may have been
 * accepted by the platform and never recorded (its process died in between), so the adapter looks for
 * it first; a job runs only once due, so no attempt was posted before its due time.
 */
export function jobPost(job: Pick<ScheduledJobRow, 'id' | 'attempts' | 'due_at'>): PostOnce {
  return { key: `job:${job.id}`, ...(job.attempts > 1 && { earlierAttemptSince: job.due_at }) };
}
