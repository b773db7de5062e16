import type { Conversation, Platform } from '../core/invocation';

/** An accountability group: one chat channel where /setup was run. */
export interface Group {
  id: number;
  platform: Platform;
  workspaceId: string;
  channelId: string;
  /** Where announcements go (the group's own channel unless set otherwise). */
  announceChannelId: string;
  timezone: string;
  /** How many days back a log may be dated. */
  backfillDays: number;
  /** Custom chat-log trigger (regular expression source), or null for the default triggers. */
  logPattern: string | null;
  /** User ids the group treats as admins, besides the platform's own admins. */
  admins: string[];
  /** Minutes after an announcement during which reads count as first-hour. */
  readWindowMinutes: number;
  /** Reads of others' recent announcements needed before one's own is announced; 0 turns the rule off. */
  fairReads: number;
  /** How many recent announcements by others the fairness rule looks at. */
  fairWindow: number;
  /** On Discord, a role pinged for announcements instead of the list of opted-in readers. */
  readersRoleId: string | null;
}

export const DEFAULT_BACKFILL_DAYS = 2;
export const MAX_BACKFILL_DAYS = 14;

export function announceConversation(group: Group): Conversation {
  return { platform: group.platform, workspaceId: group.workspaceId, channelId: group.announceChannelId };
}
