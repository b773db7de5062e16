import type { Generated } from 'kysely';

export interface MemberTable {
  id: Generated<number>;
  group_id: number;
  person_id: number;
  joined_at: number;
  /** 1 when the member asked to be pinged for new announcements (/readers join). */
  first_hour_reader: Generated<number>;
  /** 1 when the member left the leaderboards (/privacy leaderboard off). */
  hidden: Generated<number>;
  /** 1 when the member left the group's web page only (/privacy dashboard off). */
  page_hidden: Generated<number>;
  /** Local 'HH:MM' of the streak-at-risk nudge, or null when it is off. */
  remind_at: string | null;
  /** Total followers at the latest report, or null before the first (kept with each report). */
  follower_total: number | null;
  /** 1 when the member turned responses to their articles off (/privacy responses off). */
  responses_off: Generated<number>;
}

