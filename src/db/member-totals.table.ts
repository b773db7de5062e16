import type { Generated } from 'kysely';

/**
 * A member's running totals over one period (key as `periodKeysOf` in domain/periods.ts makes it),
 * kept in the transaction of every change to the rows they add up. One row per member and period;
 * each board ranks one column, and later kinds of score (sprints, goals) are further columns.
 */
export interface MemberTotalTable {
  member_id: number;
  group_id: number;
  period: string;
  /** Words of the member's logs dated in the period. */
  words: number;
  minutes: number;
  /** Distinct dates of the period the member logged. */
  days: number;
  /** First-hour reads the member gave, by the group's date of the read. */
  reads: number;
  /** Responses the member gave, by the group's date of the first sending. */
  responses_given: Generated<number>;
  /** Responses the member's articles received, by the group's date of the first sending. */
  responses_received: Generated<number>;
}
