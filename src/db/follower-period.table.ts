/**
 * A member's follower reports over one period (key as `periodKeysOf` in domain/periods.ts makes it, on
 * the group's date of each report), kept with every report: a period's followers board is one index
 * range, not a pass over the period's reports and every member.
 */
export interface FollowerPeriodTable {
  member_id: number;
  group_id: number;
  period: string;
  /** What the period's reports changed the member's total by (a first report counts from 0). */
  gain: number;
  /** 1 when the member's first report ever is in the period: they had no total when it began. */
  first_report: number;
  /** The member's total after the period's last report: their total when it ended. */
  end_total: number;
}
