import type { Conversation } from '../core/invocation';
import type { Group } from './group';

/** An announced article and its first-hour window. */
export interface Publication {
  id: number;
  groupId: number;
  memberId: number;
  authorName: string;
  authorUserId: string;
  url: string;
  canonicalUrl: string;
  title: string;
  source: 'command' | 'feed';
  announcedAt: number;
  windowEndsAt: number;
  /** Where the announcement was posted, once it was. */
  announcement: { channelId: string; messageId: string } | null;
  closedAt: number | null;
}

/**
 * Whether a press of an announcement's button comes from where the announcement lives: its group's
 * workspace, and the group's channel, its announcement channel or the announcement's own. A payload
 * carrying another group's article is refused wherever it is forged.
 */
export function isPressedInItsGroup(conversation: Conversation, group: Group, publication: Pick<Publication, 'announcement'>): boolean {
  const channels = [group.channelId, group.announceChannelId, publication.announcement?.channelId];
  return conversation.platform === group.platform && conversation.workspaceId === group.workspaceId && channels.includes(conversation.channelId);
}

/** A read counts for the first hour up to and including the instant the window closes. */
export function isFirstHourRead(readAt: number, publication: Pick<Publication, 'windowEndsAt'>): boolean {
  return readAt <= publication.windowEndsAt;
}

export interface ReadingDebt {
  /** Reads the rule asks for here: the group's setting, or every recent article by others if there are fewer. */
  asked: number;
  /** Reads still needed before the member's own article is announced. */
  needed: number;
  /** The recent announcements by others they have not read yet, newest first. */
  unread: Pick<Publication, 'id' | 'title' | 'url' | 'authorName'>[];
}

/**
 * The fairness rule: before their own article is announced, a member must have read at least
 * `required` of the last announcements by others (the caller passes those, newest first).
 */
export function readingDebt(
  recentByOthers: Pick<Publication, 'id' | 'title' | 'url' | 'authorName'>[],
  readIds: ReadonlySet<number>,
  required: number,
): ReadingDebt {
  const read = recentByOthers.filter((p) => readIds.has(p.id)).length;
  // Nobody can be asked to read more than the group has published.
  const asked = Math.min(required, recentByOthers.length);
  return { asked, needed: Math.max(0, asked - read), unread: recentByOthers.filter((p) => !readIds.has(p.id)) };
}

/** An article announced in a span, with how many first-hour reads it got. */
export interface PublicationReads {
  id: number;
  title: string;
  url: string;
  authorName: string;
  firstHourReads: number;
}
