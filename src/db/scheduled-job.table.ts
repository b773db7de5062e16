import type { Generated, Selectable } from 'kysely';

export type JobState = 'pending' | 'claimed' | 'sent' | 'done' | 'skipped';

/**
 * One scheduled piece of work (a first-hour wrap-up, a digest for a period), unique by
 * (job, subject, period): claiming the row is what makes it run once, whatever the number of processes.
 */
export interface ScheduledJobTable {
  id: Generated<number>;
  job: string;
  subject: string;
  period: string;
  /**
   * The group the job works for, so that due jobs are claimed and run fairly between groups. Null
   * only on rows finished before it was kept.
   */
  group_id: number | null;
  due_at: number;
  state: JobState;
  claimed_by: string | null;
  claimed_at: number | null;
  /** The platform message it posted, once it has. */
  message_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** 1 once the group's admins were told that this job keeps failing. */
  failure_notified: Generated<number>;
  updated_at: number;
}

export type ScheduledJobRow = Selectable<ScheduledJobTable>;
