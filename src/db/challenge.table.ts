import type { Generated, Selectable } from 'kysely';

/** A group's challenge: a words total, days written or articles, over dates of the group's calendar. */
export interface ChallengeTable {
  id: Generated<number>;
  group_id: number;
  name: string;
  /** The name in lower case: unique per group. */
  name_key: string;
  kind: string;
  /** Each member's target. */
  target: number;
  start_date: string;
  end_date: string;
  created_by: string;
  created_at: number;
}

/** A member in a challenge, and the date (theirs) they joined: their par starts there. */
export interface ChallengeMemberTable {
  challenge_id: number;
  member_id: number;
  joined_on: string;
  joined_at: number;
}

export type ChallengeRow = Selectable<ChallengeTable>;
