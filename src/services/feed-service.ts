import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { WorkspaceNotInstalledError } from '../core/chat-adapter';
import { DeadlinePassed, withinDeadline } from '../core/deadline';
import type { Actor } from '../core/invocation';
import { plain } from '../core/format';
import { privateReply } from '../core/reply';
import { UserError } from '../core/user-error';
import {
  deleteFeed,
  findSeenItemKeys,
  insertFeed,
  leaseDueFeeds,
  listMemberFeeds,
  markItemsSeen,
  recordFeedFailure,
  recordFeedSuccess,
} from '../db/feed.repository';
import type { FeedRow } from '../db/feed.table';
import { findMemberById } from '../db/member.repository';
import { canonicalUrl } from '../domain/canonical-url';
import type { MemberFeed } from '../domain/feed';
import { type FeedItem, FeedReadError, type FeedSnapshot, itemsToAnnounce, readFeed, seenKeysOf } from '../domain/feed-items';
import type { Group } from '../domain/group';
import { bodyText, FetchError, safeFetch } from '../net/safe-fetch';
import type { GroupService } from './group-service';
import type { MemberService } from './member-service';
import type { PublicationService } from './publication-service';
import type { ServiceDeps } from './service-deps';

export const MAX_FEEDS_PER_MEMBER = 5;
/** Real feeds are well under this; more is refused unread (only the first items would be read anyway). */
export const FEED_MAX_BYTES = 1024 * 1024;
const MAX_BACKOFF_MS = 6 * 3_600_000;
const TELL_AFTER_FAILING_MS = 24 * 3_600_000;
/** A lease outlasts its poll's deadline by this much, so no other process takes a feed while its poll may still write. */
const LEASE_MARGIN_MS = 60_000;

interface Fetched {
  snapshot?: FeedSnapshot;
  etag: string | null;
  lastModified: string | null;
}

/** Members' RSS and Atom feeds: registered once, polled politely, new articles announced once. */
export class FeedService {
  /** Names this process in feed leases. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly groups: GroupService,
    private readonly members: MemberService,
    private readonly publications: PublicationService,
  ) {}

  /**
   * Registers a feed after checking it answers with something parseable; what it holds already is never
   * announced. Someone not yet a member joins with the feed, after the fetch, so a refused feed leaves nothing.
   */
  async add(group: Group, actor: Actor, url: string): Promise<{ title: string; items: number }> {
    const { db, clock, settings } = this.deps;
    const feeds = await this.list(group, actor);
    if (feeds.some((f) => sameFeed(f.url, url))) throw new UserError('conflict', 'You already added that feed. /feed list shows your feeds.');
    if (feeds.length >= MAX_FEEDS_PER_MEMBER) throw new UserError('refused', `You can have up to ${MAX_FEEDS_PER_MEMBER} feeds; remove one with /feed remove first.`);
    let fetched: Fetched;
    try {
      fetched = await this.fetch(url, null);
    } catch (error) {
      throw new UserError('bad_argument', `I couldn't add that feed: ${describeFailure(error)}.`);
    }
    const snapshot = fetched.snapshot!;
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const { member } = await this.members.ensure(group, actor, trx);
      const id = await insertFeed(
        trx,
        { groupId: group.id, memberId: member.id, url, title: snapshot.title, etag: fetched.etag, lastModified: fetched.lastModified, nextPollAt: now + settings.feedPollMs },
        now,
      );
      if (id === undefined) throw new UserError('conflict', 'You already added that feed.');
      await markItemsSeen(trx, id, snapshot.items.flatMap(seenKeysOf), now);
    });
    return { title: snapshot.title, items: snapshot.items.length };
  }

  async list(group: Group, actor: Actor): Promise<MemberFeed[]> {
    const member = await this.members.find(group, actor);
    return member ? listMemberFeeds(this.deps.db, member.id) : [];
  }

  async remove(group: Group, actor: Actor, url: string): Promise<MemberFeed> {
    const feed = (await this.list(group, actor)).find((f) => sameFeed(f.url, url));
    if (!feed) throw new UserError('not_found', "You have no feed with that address. /feed list shows yours.");
    await deleteFeed(this.deps.db, feed.id);
    return feed;
  }

  /** Polls every feed that is due and not being polled by another process, each within its deadline. */
  async pollDue(): Promise<number> {
    const { db, clock, settings } = this.deps;
    const now = clock.now();
    const leased = await leaseDueFeeds(db, { now, owner: this.owner, leaseUntil: now + settings.feedPollDeadlineMs + LEASE_MARGIN_MS, limit: 25 });
    await Promise.all(leased.map((feed) => this.poll(feed)));
    return leased.length;
  }

  /**
   * Reads a feed and announces what is new in it, within `feedPollDeadlineMs`: past it the poll is a
   * failure (the feed backs off like one that does not answer) and what it has not announced yet stays
   * unseen. Work still under way then stops before its next announcement, and never records the poll.
   */
  private async poll(feed: FeedRow): Promise<void> {
    const { db, clock, settings, logger } = this.deps;
    try {
      const fetched = await withinDeadline(settings.feedPollDeadlineMs, (deadline) => this.fetchAndAnnounce(feed, deadline));
      await recordFeedSuccess(db, feed.id, {
        etag: fetched.etag,
        lastModified: fetched.lastModified,
        title: fetched.snapshot?.title,
        nextPollAt: clock.now() + settings.feedPollMs,
      });
    } catch (error) {
      if (error instanceof WorkspaceNotInstalledError) {
        // The feed is fine; its group's workspace removed the app. Its new items stay unseen (nor is the
        // feed's ETag kept), so whatever is still recent is announced once the workspace installs it again.
        logger.info({ feed: feed.id, workspace: error.where.workspaceId }, 'feed items not announced: the bot is no longer installed in the workspace');
        await recordFeedSuccess(db, feed.id, { etag: feed.etag, lastModified: feed.last_modified, nextPollAt: clock.now() + settings.feedPollMs });
        return;
      }
      const now = clock.now();
      const failures = feed.failures + 1;
      const firstFailureAt = feed.first_failure_at ?? now;
      const reason = describeFailure(error);
      const tell = !feed.failure_notified && now - firstFailureAt >= TELL_AFTER_FAILING_MS;
      logger.warn({ feed: feed.id, failures, reason }, 'feed poll failed');
      if (tell) await this.tellOwner(feed, reason);
      await recordFeedFailure(db, feed.id, {
        failures,
        firstFailureAt,
        error: reason,
        nextPollAt: now + Math.min(settings.feedPollMs * 2 ** failures, MAX_BACKOFF_MS),
        notified: Boolean(feed.failure_notified) || tell,
      });
    }
  }

  private async fetchAndAnnounce(feed: FeedRow, deadline: AbortSignal): Promise<Fetched> {
    const fetched = await this.fetch(feed.url, feed);
    if (fetched.snapshot) await this.announceNewItems(feed, fetched.snapshot.items, deadline);
    return fetched;
  }

  /**
   * Announces the few newest items never seen before (by guid or by canonical link) and recent
   * enough, each marked seen only after its announcement (a crash re-tries, the URL check dedupes);
   * the other new items are marked seen unannounced. After `deadline` nothing more is announced.
   */
  private async announceNewItems(feed: FeedRow, items: FeedItem[], deadline: AbortSignal): Promise<void> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const seen = await findSeenItemKeys(db, feed.id, items.flatMap(seenKeysOf));
    const isSeen = (item: FeedItem) => seenKeysOf(item).some((key) => seen.has(key));
    const fresh = items.filter((i) => !isSeen(i));
    // A seen item remembered by one key only (its guid, from before links were remembered) learns the other.
    const unremembered = items.filter(isSeen).flatMap(seenKeysOf).filter((key) => !seen.has(key));
    if (unremembered.length > 0) await markItemsSeen(db, feed.id, unremembered, now);
    if (fresh.length === 0) return;
    const group = await this.groups.get(feed.group_id);
    const member = await findMemberById(db, feed.member_id);
    if (!member) return;
    const announce = itemsToAnnounce(fresh, now);
    await markItemsSeen(db, feed.id, fresh.filter((i) => !announce.includes(i)).flatMap(seenKeysOf), now);
    for (const item of announce) {
      if (deadline.aborted) return;
      const outcome = await this.publications.publish(group, member, { url: item.link, title: item.title }, 'feed').catch((error: unknown) => {
        if (error instanceof WorkspaceNotInstalledError) throw error;
        this.deps.logger.warn({ err: error, feed: feed.id }, 'feed item not announced');
        return undefined;
      });
      if (outcome?.kind === 'needs-reads') {
        const list = outcome.debt.unread.slice(0, 5).map((p) => `• ${plain(p.title)} (${p.url})`).join('\n');
        await this.deps.outbound.directMessage(
          { platform: group.platform, workspaceId: group.workspaceId, userId: member.userId, displayName: member.displayName },
          privateReply(`Your new article "${plain(item.title)}" is waiting: read ${outcome.debt.needed} more of the group's recent articles, then share it with /publish.\n${list}`),
        );
      }
      await markItemsSeen(db, feed.id, seenKeysOf(item), now);
    }
  }

  private async tellOwner(feed: FeedRow, reason: string): Promise<void> {
    const group = await this.groups.get(feed.group_id);
    const member = await findMemberById(this.deps.db, feed.member_id);
    if (!member) return;
    await this.deps.outbound.directMessage(
      { platform: group.platform, workspaceId: group.workspaceId, userId: member.userId, displayName: member.displayName },
      privateReply(`Your feed ${feed.url} has not worked for a day (${reason}). I'll keep trying less often; fix it, or remove it with /feed remove.`),
    );
  }

  /** A conditional GET of a feed, parsed; `snapshot` is missing when the feed has not changed (304). */
  private async fetch(url: string, previous: Pick<FeedRow, 'etag' | 'last_modified'> | null): Promise<Fetched> {
    const headers: Record<string, string> = { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5' };
    if (previous?.etag) headers['if-none-match'] = previous.etag;
    if (previous?.last_modified) headers['if-modified-since'] = previous.last_modified;
    const { fetchPolicy } = this.deps.settings;
    const response = await safeFetch(url, { policy: { ...fetchPolicy, maxBytes: Math.min(fetchPolicy.maxBytes, FEED_MAX_BYTES) }, headers });
    const validators = { etag: header(response.headers.etag), lastModified: header(response.headers['last-modified']) };
    if (response.status === 304 && previous) return { etag: previous.etag, lastModified: previous.last_modified };
    if (response.status !== 200) throw new FetchError('http_status', `the server answered ${response.status}`, response.status);
    return { snapshot: await readFeed(bodyText(response)), ...validators };
  }
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function sameFeed(a: string, b: string): boolean {
  try {
    return a === b || canonicalUrl(a) === canonicalUrl(b);
  } catch {
    return false;
  }
}

/** A failure in words for the member: what went wrong, never a stack trace. */
function describeFailure(error: unknown): string {
  if (error instanceof FetchError) {
    switch (error.reason) {
      case 'blocked_address':
        return 'that address points inside a private network';
      case 'http_status':
        return error.status === 404 ? 'the address was not found (404)' : error.message;
      default:
        return error.message;
    }
  }
  if (error instanceof FeedReadError) return error.message;
  // A poll past its deadline counts as a failure, so the feed is polled less often.
  if (error instanceof DeadlinePassed) return `reading it and announcing its new articles took longer than ${error.deadlineMs / 1000} seconds`;
  throw error;
}
