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
  /** When the weekly digest goes out: a cron expression read in the group's zone. */
  digestCron: string;
  /** The optional daily digest's schedule, or null when it is off. */
  dailyDigestCron: string | null;
  /** 1 = Monday ... 7 = Sunday. */
  weekStart: number;
  /** How long after a sprint's end final counts are still taken. */
  sprintWindowMinutes: number;
  /** Words per minute above which a sprint count asks for confirmation. */
  sprintMaxWpm: number;
  /** On Discord, a role pinged for sprints instead of the members on the sprint list. */
  sprintRoleId: string | null;
  /** Who may open the group's web page: anyone with the link (public, cacheable), link holders only (private), or nobody (off). */
  dashboard: DashboardMode;
  /** Whether readers may respond to the group's articles. */
  responsesEnabled: boolean;
  /** Who set the group up; told when scheduled posts keep failing. */
  createdBy: string | null;
  createdAt: number;
}

/** The settings of a group that /config changes (admins are a list of their own). */
export type GroupSettings = Pick<
  Group,
  'timezone' | 'announceChannelId' | 'backfillDays' | 'logPattern' | 'readWindowMinutes' | 'fairReads' | 'fairWindow' | 'readersRoleId' | 'digestCron' | 'dailyDigestCron' | 'weekStart' | 'sprintWindowMinutes' | 'sprintMaxWpm' | 'sprintRoleId' | 'dashboard' | 'responsesEnabled'
>;

export const DASHBOARD_MODES = ['public', 'private', 'off'] as const;
export type DashboardMode = (typeof DASHBOARD_MODES)[number];

export const DEFAULT_DIGEST_CRON = '0 9 * * 1';
export const DEFAULT_DAILY_DIGEST_CRON = '0 9 * * *';

export const MAX_BACKFILL_DAYS = 14;

export function announceConversation(group: Group): Conversation {
  return { platform: group.platform, workspaceId: group.workspaceId, channelId: group.announceChannelId };
}
