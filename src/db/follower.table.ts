import type { Generated, Selectable } from 'kysely';

/** A follower count as reported at one moment; counts may go down. */
export interface FollowerSnapshotTable {
  id: Generated<number>;
  member_id: number;
  platform: string;
  count: number;
  /** The member's latest counts on all platforms added up, this one included. */
  total: number;
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
