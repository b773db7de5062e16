import type { Selectable } from 'kysely';

/**
 * What the digest planner last planned for one schedule (a group's weekly digest, daily digest or
 * followers reminder), and when it next has anything to plan: a tick reads only the rows whose
 * `next_at` has come, off their index.
 */
export interface PlannedScheduleTable {
  job: string;
  subject: string;
  /** The schedule it was planned for (cron expression and zone): a different one means it changed. */
  schedule: string;
  /** The latest occurrence planned (its period key), or '' for none yet. */
  planned_key: string;
  next_at: number;
}

export type PlannedScheduleRow = Selectable<PlannedScheduleTable>;
