import type { Generated, Selectable } from 'kysely';

/** A member's goal of one kind (words, days, publish, followers, streak); at most one per kind. */
export interface GoalTable {
  id: Generated<number>;
  member_id: number;
  group_id: number;
  kind: string;
  /** day, week, month or year for period goals; null for followers and streak. */
  period: string | null;
  target: number;
  /** The date a followers goal is due by. */
  by_date: string | null;
  /** The member's date when the goal was set. */
  start_date: string;
  /** The key of the last period whose target was acknowledged ('day:2026-03-10', 'week:2026-03-09'), or 'done' for a long goal. */
  achieved_key: string | null;
  /** When a long goal (followers, streak) was celebrated in the group. */
  celebrated_at: number | null;
  created_at: number;
}

export type GoalRow = Selectable<GoalTable>;
