import { WorkspaceNotInstalledError } from '../core/chat-adapter';
import type { Timer } from '../core/clock';
import type { Actor, Conversation } from '../core/invocation';
import type { MessageRef } from '../core/reply';
import { UserError } from '../core/user-error';
import {
  claimEditSlot,
  countReads,
  deletePublication,
  deleteReadsOf,
  findPublication,
  findPublicationByCanonicalUrl,
  firstHourReaderNames,
  insertPublication,
  insertReads,
  listFirstHourReaders,
  markPublicationClosed,
  readBalance,
  readPublicationIds,
  recentPublicationsByOthers,
  retitleOpenPublication,
  setAnnouncementMessage,
  setFirstHourReader,
  type ReadTally,
} from '../db/publication.repository';
import { currentInboxScopes, InboxEntryAlreadyDone, InboxRunAbandoned, type InboxScope, runForInboxScopes } from '../db/inbox-scope';
import { countResponses } from '../db/response.repository';
import { deleteJob, type JobKey, scheduleJob } from '../db/scheduled-job.repository';
import type { ScheduledJobRow } from '../db/scheduled-job.table';
import { canonicalUrl, displayUrl } from '../domain/canonical-url';
import { announceConversation, type Group } from '../domain/group';
import { JOB_NAMES } from '../domain/job-names';
import type { Member } from '../domain/member';
import { CATCH_UP_MS } from '../domain/schedule';
import { isFirstHourRead, isPressedInItsGroup, type Publication, type ReadingDebt, readingDebt } from '../domain/publication';
import { slugTitle } from '../domain/slug-title';
import { readPageTitle } from '../net/page-title';
import { jobPost } from './job-post';
import type { GroupService } from './group-service';
import type { Joining, MemberService } from './member-service';
import { responsesOff } from '../db/response.repository';
import { announcementReply, wrapUpReply } from './publication-messages';
import { countReadsGiven, countReadsWithdrawn } from './running-totals';
import type { ServiceDeps } from './service-deps';

const READ_BALANCE_DAYS = 30;

const closeJobOf = (publicationId: number): JobKey => ({ job: JOB_NAMES.firstHourClose, subject: String(publicationId), period: '' });

/** A feed's owner is already a member; the actor of /publish may not be yet. */
const isMember = (author: Member | Actor): author is Member => 'personId' in author;

export type PublishOutcome =
  /** `unreadPage` says why the page's own title could not be had, when the link's words stood in for it. */
  | { kind: 'announced'; publication: Publication; where: MessageRef; unreadPage?: string }
  | { kind: 'duplicate'; existing: Publication }
  /** The author gave the title again while the first hour is open; `edited` is false when the post itself could not be changed. */
  | { kind: 'retitled'; publication: Publication; edited: boolean }
  | { kind: 'needs-reads'; debt: ReadingDebt };

export type ReadOutcome = { kind: 'counted'; firstHour: boolean; publication: Publication } | { kind: 'already' } | { kind: 'own' };

export interface ReadsSummary {
  member: Member;
  days: number;
  given: ReadTally;
  received: ReadTally;
  /** Reads given minus reads received: above zero, they read others more than they are read. */
  balance: number;
}

/**
 * Announcing articles for their first hour, counting "I read it" clicks, and closing the window.
 * Network calls (the page title, the post) happen outside transactions.
 */
interface PendingRead {
  actor: Actor;
  conversation: Conversation;
  /** The click's inbox run, whose entry the batch's transaction marks done. */
  scopes: readonly InboxScope[];
  resolve: (outcome: ReadOutcome) => void;
  reject: (error: unknown) => void;
}

export class PublicationService {
  private readonly trailingEdits = new Map<number, Timer>();
  /** Clicks waiting to be recorded together, by publication. */
  private readonly pendingReads = new Map<number, PendingRead[]>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly groups: GroupService,
    private readonly members: MemberService,
  ) {}

  /**
   * Announces an article in the group's announcement channel, once per canonical URL. The author is a
   * member (a feed's owner), or the actor of /publish, who joins only when the article is announced:
   * a duplicate, a reading debt or a refused post leaves no trace of them. An author who publishes the
   * same link again with a title while its first hour is open renames the announcement.
   */
  async publish(group: Group, author: Member | Actor, input: { url: string; title?: string }, source: 'command' | 'feed'): Promise<PublishOutcome> {
    const { db, clock, settings } = this.deps;
    const canonical = canonicalUrl(input.url);
    const existing = await findPublicationByCanonicalUrl(db, group.id, canonical);
    if (existing) return (await this.retitle(group, author, existing, input.title, source)) ?? { kind: 'duplicate', existing };
    const known = isMember(author) ? author : await this.members.find(group, author);
    if (group.fairReads > 0) {
      const recent = await recentPublicationsByOthers(db, group.id, known?.id, group.fairWindow);
      const read = known ? await readPublicationIds(db, known.id, recent.map((p) => p.id)) : new Set<number>();
      const debt = readingDebt(recent, read, group.fairReads);
      if (debt.needed > 0) return { kind: 'needs-reads', debt };
    }
    let title = input.title?.trim();
    let unreadPage: string | undefined;
    if (!title) {
      const page = await readPageTitle(input.url, settings.fetchPolicy);
      // An unreadable page is still announced, under the words of its link rather than the link twice.
      title = page.title ?? slugTitle(input.url);
      unreadPage = page.title === undefined ? page.problem : undefined;
    }

    const now = clock.now();
    const windowEndsAt = now + group.readWindowMinutes * 60_000;
    const { id, joining } = await db.transaction().execute(async (trx) => {
      const joining: Joining = isMember(author) ? { member: author, joined: false, newPerson: false } : await this.members.ensure(group, author, trx);
      const inserted = await insertPublication(trx, {
        group_id: group.id,
        member_id: joining.member.id,
        url: displayUrl(input.url),
        canonical_url: canonical,
        title: title.slice(0, 300),
        source,
        announced_at: now,
        window_ends_at: windowEndsAt,
      });
      if (inserted === undefined) await this.members.undoJoin(joining, trx);
      else await scheduleJob(trx, { ...closeJobOf(inserted), groupId: group.id }, windowEndsAt, now);
      return { id: inserted, joining };
    });
    if (id === undefined) return { kind: 'duplicate', existing: (await findPublicationByCanonicalUrl(db, group.id, canonical))! };

    const publication = (await findPublication(db, id))!;
    const where = announceConversation(group);
    let ref: MessageRef;
    try {
      ref = await this.deps.outbound.post(where, announcementReply(publication, { firstHour: 0, late: 0 }, { closed: false, pings: await this.pings(group, joining.member), respond: await this.takesResponses(group, publication) }));
    } catch (error) {
      // Not announced means not published: take it back (and the author's first join with it) so it can be announced again once the channel works.
      await db.transaction().execute(async (trx) => {
        await countReadsWithdrawn(trx, await deleteReadsOf(trx, [id]), new Map([[group.id, group]]));
        await deletePublication(trx, id);
        await deleteJob(trx, closeJobOf(id));
        await this.members.undoJoin(joining, trx);
      });
      // Nothing to tell a workspace that removed the app; its caller decides (a feed keeps the item for later).
      if (error instanceof WorkspaceNotInstalledError) throw error;
      this.deps.logger.warn({ err: error, group: group.id }, 'announcement not posted');
      throw new UserError('refused', `I couldn't post in the announcement channel (${(error as Error).message}). An admin can check my permissions there, or pick another channel with /config channel.`);
    }
    await setAnnouncementMessage(db, id, ref.conversation.channelId, ref.messageId);
    const announced = { ...publication, announcement: { channelId: ref.conversation.channelId, messageId: ref.messageId } };
    return { kind: 'announced', publication: announced, where: ref, ...(unreadPage && { unreadPage }) };
  }

  /** A correction of the title by the article's author, while its first hour is open; undefined when it is no such thing. */
  private async retitle(group: Group, author: Member | Actor, existing: Publication, title: string | undefined, source: 'command' | 'feed'): Promise<PublishOutcome | undefined> {
    const { db, clock, logger } = this.deps;
    const wanted = title?.trim().slice(0, 300);
    if (source !== 'command' || !wanted || wanted === existing.title) return undefined;
    const member = isMember(author) ? author : await this.members.find(group, author);
    if (!member || !(await retitleOpenPublication(db, existing.id, { memberId: member.id, title: wanted, now: clock.now() }))) return undefined;
    const publication = (await findPublication(db, existing.id))!;
    if (!publication.announcement) return { kind: 'retitled', publication, edited: false };
    try {
      await this.editAnnouncement(publication);
      return { kind: 'retitled', publication, edited: true };
    } catch (error) {
      logger.warn({ err: error, publication: publication.id }, 'announcement not renamed');
      return { kind: 'retitled', publication, edited: false };
    }
  }

  /**
   * An "I read it" click: one read per member and article; the author's own click is declined.
   * Clicks on the same article that arrive together (an announcement draws a burst) are recorded
   * together, in one transaction of a few queries, and each click gets its own answer.
   */
  recordRead(actor: Actor, conversation: Conversation, publicationId: number): Promise<ReadOutcome> {
    return new Promise((resolve, reject) => {
      const click = { actor, conversation, scopes: currentInboxScopes(), resolve, reject };
      const pending = this.pendingReads.get(publicationId);
      if (pending) return pending.push(click);
      this.pendingReads.set(publicationId, [click]);
      // Record once this turn of the event loop has delivered every click that came in with this one.
      setImmediate(() => void this.recordPendingReads(publicationId));
    });
  }

  private async recordPendingReads(publicationId: number): Promise<void> {
    let clicks = this.pendingReads.get(publicationId) ?? [];
    this.pendingReads.delete(publicationId);
    for (;;) {
      try {
        // One transaction for the burst, which marks every click's inbox entry done with its read.
        const outcomes = await runForInboxScopes(clicks.flatMap((click) => click.scopes), () => this.recordReads(publicationId, clicks));
        clicks.forEach((click, i) => {
          const outcome = outcomes[i]!;
          if (outcome instanceof UserError) click.reject(outcome);
          else click.resolve(outcome);
        });
        return;
      } catch (error) {
        // A click another process already recorded: its run answers nothing. A click whose run was given up
        // at its deadline may change nothing any more: it fails. The rest go again without them.
        const taken = error instanceof InboxEntryAlreadyDone ? clicks.filter((click) => click.scopes.some((scope) => scope.takenByAnother)) : [];
        const abandoned = error instanceof InboxRunAbandoned ? clicks.filter((click) => click.scopes.some((scope) => scope.abandoned)) : [];
        for (const click of taken) click.resolve({ kind: 'already' });
        for (const click of abandoned) click.reject(error);
        clicks = clicks.filter((click) => !taken.includes(click) && !abandoned.includes(click));
        if (taken.length + abandoned.length > 0 && clicks.length > 0) continue;
        for (const click of clicks) click.reject(error);
        return;
      }
    }
  }

  private async recordReads(publicationId: number, clicks: PendingRead[]): Promise<(ReadOutcome | UserError)[]> {
    const { db, clock } = this.deps;
    const publication = Number.isSafeInteger(publicationId) ? await findPublication(db, publicationId) : undefined;
    if (!publication) throw new UserError('stale_button', 'That announcement is gone, so there is nothing to count.');
    const group = await this.groups.get(publication.groupId);
    const inGroup = (c: PendingRead) => isPressedInItsGroup(c.conversation, group, publication);
    const now = clock.now();
    const firstHour = isFirstHourRead(now, publication);
    const { members, counted } = await db.transaction().execute(async (trx) => {
      const members = await this.members.ensureMany(group, clicks.filter(inGroup).map((c) => c.actor), trx);
      const readers = [...members.values()].filter((m) => m.id !== publication.memberId).map((m) => m.id);
      const counted = await insertReads(trx, publication.id, readers, now, firstHour);
      if (firstHour) await countReadsGiven(trx, group, counted, now);
      return { members, counted };
    });
    if (counted.size > 0) void this.refreshAnnouncement(publication.id);
    const answered = new Set<number>();
    return clicks.map((click): ReadOutcome | UserError => {
      if (!inGroup(click)) return new UserError('refused', 'That article belongs to another group: press I read it on its own announcement.');
      const member = members.get(click.actor.userId)!;
      if (member.id === publication.memberId) return { kind: 'own' };
      // A double click in one burst: the first counts, the second is "already".
      if (!counted.has(member.id) || answered.has(member.id)) return { kind: 'already' };
      answered.add(member.id);
      return { kind: 'counted', firstHour, publication };
    });
  }

  /** Edits the announcement with the current count: now if no edit happened lately, otherwise once the interval has passed. */
  async refreshAnnouncement(publicationId: number, force = false): Promise<void> {
    const { db, clock, settings, logger } = this.deps;
    try {
      const interval = settings.announcementEditIntervalMs;
      if (!force && !(await claimEditSlot(db, publicationId, clock.now(), interval))) {
        if (!this.trailingEdits.has(publicationId)) {
          const timer = clock.after(interval, () => {
            this.trailingEdits.delete(publicationId);
            void this.refreshAnnouncement(publicationId, true);
          });
          this.trailingEdits.set(publicationId, timer);
        }
        return;
      }
      const publication = await findPublication(db, publicationId);
      if (!publication?.announcement) return;
      await this.editAnnouncement(publication);
    } catch (error) {
      logger.warn({ err: error, publication: publicationId }, 'announcement count not refreshed');
    }
  }

  /** Waits for pending count edits (for shutdown and tests). */
  async flushEdits(): Promise<void> {
    const pending = [...this.trailingEdits.keys()];
    for (const id of pending) this.trailingEdits.get(id)?.cancel();
    this.trailingEdits.clear();
    await Promise.all(pending.map((id) => this.refreshAnnouncement(id, true)));
  }

  /** The scheduled close of a first-hour window: one wrap-up post, then the announcement's final state. */
  async closeWindow(job: ScheduledJobRow, markSent: (messageId: string) => Promise<void>): Promise<'done' | 'skipped'> {
    const { db, clock } = this.deps;
    const publication = await findPublication(db, Number(job.subject));
    if (!publication) return 'skipped';
    const group = await this.groups.get(publication.groupId);
    // After long downtime a burst of stale wrap-ups would be noise: the announcement alone shows the final count.
    const stale = clock.now() - publication.windowEndsAt > CATCH_UP_MS;
    if (!job.message_id && !stale) {
      const names = await firstHourReaderNames(db, publication.id);
      const ref = await this.deps.outbound.post(announceConversation(group), wrapUpReply(publication, names, await countResponses(db, publication.id)), jobPost(job));
      await markSent(ref.messageId);
    }
    if (publication.announcement) await this.editAnnouncement(publication, true);
    await markPublicationClosed(db, publication.id, clock.now());
    return stale && !job.message_id ? 'skipped' : 'done';
  }

  async readsSummary(group: Group, member: Member): Promise<ReadsSummary> {
    const since = this.deps.clock.now() - READ_BALANCE_DAYS * 86_400_000;
    const { given, received } = await readBalance(this.deps.db, member.id, since);
    const total = (t: ReadTally) => t.firstHour + t.late;
    return { member, days: READ_BALANCE_DAYS, given, received, balance: total(given) - total(received) };
  }

  async setReader(group: Group, actor: Actor, on: boolean): Promise<Member> {
    return this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.members.ensure(group, actor, trx);
      await setFirstHourReader(trx, member.id, on);
      return member;
    });
  }

  private async editAnnouncement(publication: Publication, closed = publication.closedAt !== null): Promise<void> {
    const group = await this.groups.get(publication.groupId);
    const counts = await countReads(this.deps.db, publication.id);
    const where = { platform: group.platform, workspaceId: group.workspaceId, channelId: publication.announcement!.channelId };
    await this.deps.outbound.edit(
      { conversation: where, messageId: publication.announcement!.messageId },
      announcementReply(publication, counts, { closed, respond: await this.takesResponses(group, publication) }),
    );
  }

  /** Whether readers may respond to an article: the group takes responses and its author has not turned them off. */
  private async takesResponses(group: Group, publication: Publication): Promise<boolean> {
    return group.responsesEnabled && !(await responsesOff(this.deps.db, publication.memberId));
  }

  /** Who an announcement pings: the readers' role on Discord if the group set one, else the opted-in readers. */
  private async pings(group: Group, author: Member) {
    if (group.readersRoleId && group.platform === 'discord') return { roles: [group.readersRoleId] };
    const users = (await listFirstHourReaders(this.deps.db, group.id)).filter((id) => id !== author.userId);
    return users.length ? { users } : undefined;
  }
}
