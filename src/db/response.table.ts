import type { Generated, Selectable } from 'kysely';

/** A reader's response to an announced article: one per member and article, replaced in place within a day. */
export interface ResponseTable {
  id: Generated<number>;
  publication_id: number;
  member_id: number;
  text: string;
  /** 'private' (to the author) or 'thread' (in the announcement's thread). */
  delivery: string;
  /** When the response was first sent: it may be replaced for a day after. */
  first_sent_at: number;
  /** When it was last sent (first or replaced): the hourly limit counts these. */
  sent_at: number;
  /** Where it was posted, for a replacement to edit it in place; null while unposted or when sent privately. */
  message_channel_id: string | null;
  message_thread_id: string | null;
  message_id: string | null;
  /** The delivery that first sent it: a re-delivered form changes nothing. */
  event_key: string;
}

export type ResponseRow = Selectable<ResponseTable>;
