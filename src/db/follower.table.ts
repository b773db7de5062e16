import type { Generated, Selectable } from 'kysely';

/** A follower count as reported at one moment; counts may go down. */
export interface FollowerSnapshotTable {
  id: Generated<number>;
  member_id: number;
  platform: string;
  count: number;
  recorded_at: number;
  /** The report's idempotency key: a re-delivered /followers records nothing. */
  event_key: string;
}

export type FollowerSnapshotRow = Selectable<FollowerSnapshotTable>;
