import type { Generated, Selectable } from 'kysely';

/** A member's RSS or Atom feed, polled for new articles. */
export interface FeedTable {
  id: Generated<number>;
  group_id: number;
  member_id: number;
  url: string;
  title: string;
  /** Validators from the last answer, for conditional GET. */
  etag: string | null;
  last_modified: string | null;
  added_at: number;
  next_poll_at: number;
  /** Failures in a row; they push next_poll_at back. */
  failures: Generated<number>;
  first_failure_at: number | null;
  last_error: string | null;
  /** 1 once the member was told that the feed keeps failing. */
  failure_notified: Generated<number>;
  /** Which process is polling it, until when: one poller per feed across processes. */
  lease_owner: string | null;
  lease_until: number | null;
}

/** Items already seen in a feed, by guid or Atom id and by canonical link (a row each): never announced twice. */
export interface FeedItemTable {
  feed_id: number;
  item_key: string;
  seen_at: number;
}

export type FeedRow = Selectable<FeedTable>;
