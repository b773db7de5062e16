import type { Generated, Selectable } from 'kysely';

/** One writing sprint in a group's channel; its start, end and results are scheduled jobs. */
export interface SprintTable {
  id: Generated<number>;
  group_id: number;
  channel_id: string;
  /** The channel's key while the sprint is under way, null once it is over: unique, so one sprint at a time per channel. */
  open_in_channel: string | null;
  starter_user_id: string;
  minutes: number;
  start_at: number;
  end_at: number;
  window_closes_at: number;
  announcement_message_id: string | null;
  chain_position: Generated<number>;
  chain_length: Generated<number>;
  chain_gap_minutes: Generated<number>;
  /** The delivery that started it: a re-delivered start finds this sprint instead of making another. */
  event_key: string;
  created_at: number;
  cancelled_at: number | null;
  /** When the results were recorded (logs written, channel free again). */
  finished_at: number | null;
}

/** A member in a sprint, with the counts they gave. A null start count is a minutes-only join (count:none). */
export interface SprintParticipantTable {
  sprint_id: number;
  member_id: number;
  start_count: number | null;
  final_count: number | null;
  joined_at: number;
  counted_at: number | null;
}

/** Members who want to be pinged when a sprint is announced in their group. */
export interface SprintWatcherTable {
  member_id: number;
  group_id: number;
}

export type SprintRow = Selectable<SprintTable>;
export type SprintParticipantRow = Selectable<SprintParticipantTable>;
