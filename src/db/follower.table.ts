import type { Generated, Selectable } from 'kysely';

/** A follower count as reported at one moment; counts may go down. */
export interface FollowerSnapshotTable {
  id: Generated<number>;
  member_id: number;
  /** The member's group (a member never changes group): a group's counts in a span are one index range. */
  group_id: number;
  platform: string;
  count: number;
  /** The member's latest counts on all platforms added up, this one included. */
  total: number;
  /** The member's total just before this report, or null for their first: so any moment's total is one row away. */
  previous_total: number | null;
  recorded_at: number;
  /** The report's idempotency key: a re-delivered /followers records nothing. */
  event_key: string;
}

export type FollowerSnapshotRow = Selectable<FollowerSnapshotTable>;

/** A group's follower total at the end of a week that is over (the week's last date). */
export interface FollowerWeekTotalTable {
  group_id: number;
  week_end: string;
  total: number;
}
