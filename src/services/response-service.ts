import { cleanText } from '../core/clean-text';
import { formatDate, plain } from '../core/format';
import type { Actor, Conversation, FormValues } from '../core/invocation';
import type { Reply } from '../core/reply';
import { UserError } from '../core/user-error';
import { findPublication, insertReads } from '../db/publication.repository';
import {
  countSendingsSince,
  findResponse,
  findResponseThread,
  insertResponse,
  type ReceivedResponse,
  replaceResponse,
  responseBalance,
  responseEventSeen,
  responsesOff,
  responsesToAuthor,
  setResponseMessage,
  setResponsesOff,
  setResponseThread,
} from '../db/response.repository';
import type { Group } from '../domain/group';
import { localDateOf } from '../domain/local-date';
import type { Member } from '../domain/member';
import { isFirstHourRead, isPressedInItsGroup, type Publication } from '../domain/publication';
import {
  type ArticleResponse,
  isReplaceable,
  RESPONSE_DELIVERIES,
  RESPONSE_LIMIT_WINDOW_MS,
  RESPONSES_PER_HOUR,
  type ResponseDelivery,
  responseTextProblem,
} from '../domain/response';
import type { GroupService } from './group-service';
import type { MemberService } from './member-service';
import type { PublicationService } from './publication-service';
import { movedResponseReply, privateResponseReply, responseForm, responseWaitingReply, threadResponseReply } from './response-messages';
import { countReadsGiven, countResponseGiven } from './running-totals';
import type { ServiceDeps } from './service-deps';

/** How far back /responses and the /reads balance look. */
export const RESPONSE_DAYS = 30;
const LISTED_RESPONSES = 50;

export type ResponseOutcome = {
  kind: 'sent' | 'replaced' | 'repeat';
  delivery: ResponseDelivery;
  publication: Publication;
  /** Set when the response counted as the reader's read of the article. */
  read?: { firstHour: boolean };
  /** How it reached the author: privately, by a mention in the channel (DMs closed), in the thread, or not at all (the post failed). */
  reached: 'direct' | 'mention' | 'thread' | 'undelivered';
};

/**
 * Responses: a reader tells an author what stayed with them, from the announcement. One per member
 * and article, replaced within a day; the first one counts as the reader's read when they had not
 * pressed "I read it". Posts and messages go out after the transaction commits.
 */
export class ResponseService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly groups: GroupService,
    private readonly members: MemberService,
    private readonly publications: PublicationService,
  ) {}

  /** The form the Respond button opens, or the reason it cannot be used. */
  async openForm(actor: Actor, conversation: Conversation, publicationId: number): Promise<Reply> {
    const { publication, group } = await this.target(actor, conversation, publicationId);
    const member = await this.members.find(group, actor);
    const existing = member && (await findResponse(this.deps.db, publication.id, member.id));
    if (existing) this.requireReplaceable(existing, group);
    return responseForm(publication, existing);
  }

  async respond(actor: Actor, conversation: Conversation, publicationId: number, values: FormValues, eventKey: string): Promise<ResponseOutcome> {
    const { db, clock } = this.deps;
    const delivery = readDelivery(values.choice);
    const problem = responseTextProblem(values.text);
    if (problem) throw new UserError('bad_argument', problem);
    const text = cleanText(values.text.trim(), { multiline: true });
    const { publication, group } = await this.target(actor, conversation, publicationId);
    if (await responseEventSeen(db, eventKey)) return { kind: 'repeat', delivery, publication, reached: delivery === 'thread' ? 'thread' : 'direct' };

    const now = clock.now();
    const known = await this.members.find(group, actor);
    if (known && (await countSendingsSince(db, known.id, now - RESPONSE_LIMIT_WINDOW_MS)) >= RESPONSES_PER_HOUR)
      throw new UserError('rate_limited', `You've sent ${RESPONSES_PER_HOUR} responses in the last hour, the most I take in an hour. Please send this one a little later.`);

    const firstHour = isFirstHourRead(now, publication);
    const saved = await db.transaction().execute(async (trx) => {
      const { member } = await this.members.ensure(group, actor, trx);
      const existing = await findResponse(trx, publication.id, member.id);
      if (existing) {
        this.requireReplaceable(existing, group);
        await replaceResponse(trx, existing.id, { text, delivery, sentAt: now });
        return { member, id: existing.id, before: existing, read: false };
      }
      const id = await insertResponse(trx, { publicationId: publication.id, memberId: member.id, text, delivery, sentAt: now, eventKey });
      if (id === undefined) throw new UserError('conflict', 'Your response to this article was already sent.');
      const read = (await insertReads(trx, publication.id, [member.id], now, firstHour)).size > 0;
      if (read && firstHour) await countReadsGiven(trx, group, [member.id], now);
      await countResponseGiven(trx, group, { readerId: member.id, authorId: publication.memberId }, now);
      return { member, id, before: undefined, read };
    });
    if (saved.read) void this.publications.refreshAnnouncement(publication.id);
    const reached = await this.deliver(group, publication, saved.member, { id: saved.id, text, delivery }, saved.before);
    return { kind: saved.before ? 'replaced' : 'sent', delivery, publication, reached, ...(saved.read && { read: { firstHour } }) };
  }

  /** Responses to the author's articles of the last 30 days. */
  async receivedBy(group: Group, actor: Actor): Promise<{ days: number; responses: ReceivedResponse[] }> {
    const member = await this.members.find(group, actor);
    const since = this.deps.clock.now() - RESPONSE_DAYS * 86_400_000;
    return { days: RESPONSE_DAYS, responses: member ? await responsesToAuthor(this.deps.db, member.id, since, LISTED_RESPONSES) : [] };
  }

  /** Responses a member gave and received over the last 30 days. */
  balance(member: Member): Promise<{ given: number; received: number }> {
    return responseBalance(this.deps.db, member.id, this.deps.clock.now() - RESPONSE_DAYS * 86_400_000);
  }

  /** /privacy responses on|off: whether others may respond to the member's articles. */
  async setAccepting(group: Group, actor: Actor, accepting: boolean): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.members.ensure(group, actor, trx);
      await setResponsesOff(trx, member.id, !accepting);
    });
  }

  /** The article and its group, if this person may respond to it from here. */
  private async target(actor: Actor, conversation: Conversation, publicationId: number): Promise<{ publication: Publication; group: Group }> {
    const publication = Number.isSafeInteger(publicationId) ? await findPublication(this.deps.db, publicationId) : undefined;
    if (!publication) throw new UserError('stale_form', 'That announcement is gone, so there is nothing to respond to.');
    const group = await this.groups.get(publication.groupId);
    if (!isPressedInItsGroup(conversation, group, publication))
      throw new UserError('refused', "That article belongs to another group: respond from its own announcement.");
    if (actor.userId === publication.authorUserId) throw new UserError('refused', "That's your own article: responses are for the group's readers. 🙂");
    if (!group.responsesEnabled) throw new UserError('refused', "This group's admins have turned responses off.");
    if (await responsesOff(this.deps.db, publication.memberId))
      throw new UserError('refused', `${plain(publication.authorName)} has turned responses to their articles off.`);
    return { publication, group };
  }

  private requireReplaceable(existing: ArticleResponse, group: Group): void {
    if (isReplaceable(existing.firstSentAt, this.deps.clock.now())) return;
    const sent = formatDate(localDateOf(existing.firstSentAt, { zone: group.timezone, rolloverHour: 0 }));
    throw new UserError('refused', `You responded to this article on ${sent}; a response can be replaced only within 24 hours of sending it.`);
  }

  /** Sends the response where it goes, after the commit: never fails the response itself. */
  private async deliver(
    group: Group,
    publication: Publication,
    reader: Member,
    response: { id: number; text: string; delivery: ResponseDelivery },
    before: ArticleResponse | undefined,
  ): Promise<ResponseOutcome['reached']> {
    const { outbound, logger, db } = this.deps;
    const where = { platform: group.platform, workspaceId: group.workspaceId };
    try {
      if (response.delivery === 'private') {
        if (before?.posted) await outbound.edit({ conversation: { ...where, channelId: before.posted.channelId, ...(before.posted.threadId && { threadId: before.posted.threadId }) }, messageId: before.posted.messageId }, movedResponseReply(reader.displayName));
        const author = { platform: group.platform, workspaceId: group.workspaceId, userId: publication.authorUserId, displayName: publication.authorName };
        if (await outbound.directMessage(author, privateResponseReply(publication, reader.displayName, response.text, Boolean(before), group.announceChannelId))) return 'direct';
        await outbound.post({ ...where, channelId: group.channelId }, responseWaitingReply(publication, reader.displayName));
        return 'mention';
      }
      const reply = threadResponseReply(publication, reader.displayName, response.text);
      if (before?.posted) {
        const ref = { conversation: { ...where, channelId: before.posted.channelId, ...(before.posted.threadId && { threadId: before.posted.threadId }) }, messageId: before.posted.messageId };
        if (await outbound.edit(ref, reply)) return 'thread';
      }
      const thread = await this.thread(group, publication);
      const ref = await outbound.post(thread, reply);
      await setResponseMessage(db, response.id, { channelId: ref.conversation.channelId, threadId: ref.conversation.threadId ?? null, messageId: ref.messageId });
      return 'thread';
    } catch (error) {
      logger.warn({ err: error, publication: publication.id }, 'response not delivered');
      return 'undelivered';
    }
  }

  /** The announcement's thread, opened with its first response where the platform needs that. */
  private async thread(group: Group, publication: Publication): Promise<Conversation> {
    const where = { platform: group.platform, workspaceId: group.workspaceId };
    if (!publication.announcement) throw new Error('the announcement was never posted');
    const { channelId, messageId } = publication.announcement;
    const kept = await findResponseThread(this.deps.db, publication.id);
    if (kept) return { ...where, channelId, threadId: kept };
    const thread = await this.deps.outbound.thread({ conversation: { ...where, channelId }, messageId }, `Responses: ${publication.title}`.slice(0, 100));
    if (thread.threadId) await setResponseThread(this.deps.db, publication.id, thread.threadId);
    return thread;
  }
}

function readDelivery(choice: string): ResponseDelivery {
  const delivery = RESPONSE_DELIVERIES.find((d) => d === choice.trim().toLowerCase());
  if (!delivery) throw new UserError('bad_argument', `Choose where your response goes: ${RESPONSE_DELIVERIES.join(' or ')}.`);
  return delivery;
}
