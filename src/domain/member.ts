import type { DayCalendar } from './local-date';

/** A person's membership of one group, with what the group needs to know about them. */
export interface Member {
  id: number;
  groupId: number;
  personId: number;
  userId: string;
  displayName: string;
  /** The member's own zone, or null to follow the group's. */
  timezone: string | null;
  rolloverHour: number;
  /** Left out of leaderboards and digests (/privacy leaderboard off). */
  hidden: boolean;
  /** Local 'HH:MM' of the streak-at-risk nudge, or null when off. */
  remindAt: string | null;
  /** Where they mostly write, for /followers without a platform. */
  mainPlatform: string | null;
}

export const MAX_ROLLOVER_HOUR = 5;

/** A member, and the group they are in: what a cached streak is kept under. */
export type Membership = Pick<Member, 'id' | 'groupId'>;

/** What leaderboards and digests need of a member: the name they are shown by, and their calendar. */
export type ListedMember = Pick<Member, 'id' | 'displayName' | 'timezone' | 'rolloverHour'>;

export function memberCalendar(member: Pick<Member, 'timezone' | 'rolloverHour'>, groupTimezone: string): DayCalendar {
  return { zone: member.timezone ?? groupTimezone, rolloverHour: member.rolloverHour };
}
