import type { Selectable } from 'kysely';

/** The cached StreakState of a member (see src/domain/streak.ts), so lookups need no history. */
export interface StreakTable {
  member_id: number;
  /** The member's group: boards read a group's streaks by it. */
  group_id: number;
  current: number;
  longest: number;
  freezes: number;
  run: number;
  start_date: string | null;
  last_date: string | null;
  covered_until: number | null;
  last_start: number | null;
  updated_at: number;
}

export type StreakRow = Selectable<StreakTable>;
