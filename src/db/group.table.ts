import type { Generated, Selectable, Updateable } from 'kysely';

export interface GroupTable {
  id: Generated<number>;
  platform: string;
  workspace_id: string;
  /** The chat channel the group lives in: commands and chat logs there belong to this group. */
  channel_id: string;
  /** Where announcements and digests go; the group's own channel unless set otherwise. */
  announce_channel_id: string;
  timezone: string;
  backfill_days: Generated<number>;
  /** A custom chat-log trigger (regular expression source); null means the default triggers. */
  log_pattern: string | null;
  /** Minutes after an announcement during which a read counts as first-hour. */
  read_window_minutes: Generated<number>;
  /** The fairness rule: reads of others' recent announcements needed before one's own (0 = off). */
  fair_reads: Generated<number>;
  /** How many recent announcements the fairness rule looks at. */
  fair_window: Generated<number>;
  /** A Discord role to ping for announcements instead of listing opted-in readers. */
  readers_role_id: string | null;
  /** When the weekly digest goes out: a cron expression read in the group's zone. */
  digest_cron: Generated<string>;
  /** The optional daily digest's cron expression, or null when it is off. */
  daily_digest_cron: string | null;
  /** First day of the week for leaderboards and digests: 1 = Monday ... 7 = Sunday. */
  week_start: Generated<number>;
  sprint_window_minutes: Generated<number>;
  sprint_max_wpm: Generated<number>;
  sprint_role_id: string | null;
  /** Who may open the group's web page: public, private (link holders, the default) or off. */
  dashboard: Generated<string>;
  /** 0 when an admin turned responses off for the group. */
  responses_enabled: Generated<number>;
  /** Who ran /setup first: told when scheduled posts keep failing. */
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface GroupAdminTable {
  group_id: number;
  user_id: string;
  added_at: number;
}

export type GroupRow = Selectable<GroupTable>;
export type GroupUpdate = Updateable<GroupTable>;
