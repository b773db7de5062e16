import type { Generated } from 'kysely';

/** A milestone announced once: unique per member, kind, value and period (for streaks, the streak's first day). */
export interface MilestoneTable {
  id: Generated<number>;
  member_id: number;
  group_id: number;
  kind: string;
  value: number;
  period_key: string;
  reached_at: number;
}
