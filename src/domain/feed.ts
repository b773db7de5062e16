/** A member's feed as they see it: where it is and whether it is working. */
export interface MemberFeed {
  id: number;
  url: string;
  title: string;
  /** Failed polls in a row; 0 while the feed works. */
  failures: number;
  lastError: string | null;
}
