import type { Generated, Selectable } from 'kysely';

/** An announced article; one per canonical URL per group. */
export interface PublicationTable {
  id: Generated<number>;
  group_id: number;
  member_id: number;
  /** As the author gave it, without tracking parameters (utm_*, Medium's source=). */
  url: string;
  canonical_url: string;
  title: string;
  source: 'command' | 'feed';
  announced_at: number;
  window_ends_at: number;
  message_channel_id: string | null;
  message_id: string | null;
  /** When the announcement was last edited: edits are throttled per message. */
  last_edit_at: number | null;
  closed_at: number | null;
  /** The thread responses are posted in, once one was opened on the announcement. */
  response_thread_id: Generated<string | null>;
}

/** One member's read of one publication. */
export interface ReadTable {
  id: Generated<number>;
  publication_id: number;
  member_id: number;
  read_at: number;
  first_hour: number;
}

export type PublicationRow = Selectable<PublicationTable>;
