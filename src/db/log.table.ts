import type { Generated, Insertable, Selectable } from 'kysely';

/** 'sprint': a participant's words in a sprint, keyed per sprint and member. */
export type LogSource = 'command' | 'chat' | 'sprint';

/** One logged piece of writing. Its day is stored as the member saw it, with the calendar it was logged in. */
export interface LogTable {
  id: Generated<number>;
  member_id: number;
  group_id: number;
  local_date: string;
  zone: string;
  rollover_hour: number;
  words: Generated<number>;
  minutes: Generated<number>;
  url: string | null;
  note: string | null;
  source: LogSource;
  /** The delivery's idempotency key: a unique index makes a re-delivery log nothing. */
  event_key: string;
  /** For chat logs: the message, so an edit or delete can follow it. */
  message_id: string | null;
  logged_at: number;
}

export type LogRow = Selectable<LogTable>;
export type NewLogRow = Insertable<LogTable>;
