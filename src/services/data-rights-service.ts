import type { Actor, Platform } from '../core/invocation';
import { channelReply } from '../core/reply';
import { UserError } from '../core/user-error';
import { countLogs, listLogs } from '../db/log.repository';
import { findGroupById, removeAdminEverywhere } from '../db/group.repository';
import { deletePerson, findPerson, findPersonId, listMemberships, listMembershipsOf } from '../db/member.repository';
import { listChallengeEntriesOf } from '../db/challenge.repository';
import { listFeedsOf } from '../db/feed.repository';
import { forgetWeekTotals, listFollowerSnapshots } from '../db/follower.repository';
import { subtractFromCalendars } from '../db/group-calendar.repository';
import { listGoalRows } from '../db/goal.repository';
import { listMilestones } from '../db/milestone.repository';
import { listProjectRows, projectWords } from '../db/project.repository';
import { listSprintEntriesOf, watchingMembers } from '../db/sprint.repository';
import { deleteReadsOf, listPublicationsOf, listReadsBy, publicationIdsOf } from '../db/publication.repository';
import { listResponsesReceivedBy, listResponsesWrittenBy, postedResponsesOf, responsesToWithdraw } from '../db/response.repository';
import { findStreaks } from '../db/streak.repository';
import { listVacationRows } from '../db/vacation.repository';
import { wordsWritten } from '../domain/sprint';
import type { MemberService } from './member-service';
import { countReadsWithdrawn, countResponsesWithdrawn } from './running-totals';
import type { ServiceDeps } from './service-deps';

export interface MemberExport {
  json: string;
  logsCsv: string;
  logCount: number;
}

/** How long a /forget confirmation button stays valid. */
export const FORGET_CONFIRM_MS = 10 * 60_000;

const CSV_COLUMNS = ['group_channel', 'local_date', 'zone', 'words', 'minutes', 'url', 'note', 'source', 'logged_at'] as const;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote everything that could break a row, and defuse spreadsheet formulas.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A member's own data: a copy on request, and deletion after confirmation. */
export class DataRightsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
  ) {}

  async export(actor: Actor): Promise<MemberExport> {
    const db = this.deps.db;
    const personId = await findPersonId(db, actor);
    if (personId === undefined) throw new UserError('not_found', 'I have no data about you in this workspace.');
    const person = await findPerson(db, personId);
    const memberships = await listMembershipsOf(db, personId);
    const memberIds = memberships.map((m) => m.id);
    const channelOf = new Map(memberships.map((m) => [m.id, m.channel_id]));
    const [responsesWritten, responsesReceived] = await Promise.all([listResponsesWrittenBy(db, memberIds), listResponsesReceivedBy(db, memberIds)]);
    const [logs, vacations, milestones, streaks, publications, reads, feeds, followers, sprints, watching, goals, projects, challenges] = await Promise.all([
      listLogs(db, memberIds),
      listVacationRows(db, memberIds),
      listMilestones(db, memberIds),
      findStreaks(db, memberIds),
      listPublicationsOf(db, memberIds),
      listReadsBy(db, memberIds),
      listFeedsOf(db, memberIds),
      listFollowerSnapshots(db, memberIds),
      listSprintEntriesOf(db, memberIds),
      watchingMembers(db, memberIds),
      listGoalRows(db, memberIds),
      listProjectRows(db, memberIds),
      listChallengeEntriesOf(db, memberIds),
    ]);
    const wordsOf = await projectWords(db, projects.map((p) => p.id));
    const iso = (ms: number) => new Date(ms).toISOString();
    const data = {
      exportedAt: iso(this.deps.clock.now()),
      person: {
        platform: person.platform,
        userId: person.user_id,
        displayName: person.display_name,
        timezone: person.timezone,
        rolloverHour: person.rollover_hour,
        mainPlatform: person.main_platform,
      },
      groups: memberships.map((m) => ({
        channel: m.channel_id,
        joinedAt: iso(m.joined_at),
        hiddenFromLeaderboards: m.hidden === 1,
        streakReminder: m.remind_at,
        streak: streaks.get(m.id) ?? null,
        logs: logs
          .filter((l) => l.member_id === m.id)
          .map((l) => ({
            date: l.local_date,
            zone: l.zone,
            words: l.words,
            minutes: l.minutes,
            url: l.url,
            note: l.note,
            source: l.source,
            loggedAt: iso(l.logged_at),
          })),
        vacations: vacations.filter((v) => v.member_id === m.id).map((v) => ({ start: v.start_date, end: v.end_date })),
        milestones: milestones.filter((x) => x.member_id === m.id).map((x) => ({ kind: x.kind, value: x.value, reachedAt: iso(x.reached_at) })),
        publications: publications
          .filter((p) => p.member_id === m.id)
          .map((p) => ({ url: p.url, title: p.title, source: p.source, announcedAt: iso(p.announced_at) })),
        reads: reads
          .filter((r) => r.member_id === m.id)
          .map((r) => ({ url: r.url, title: r.title, readAt: iso(r.read_at), firstHour: r.first_hour === 1 })),
        responsesWritten: responsesWritten
          .filter((r) => r.member_id === m.id)
          .map((r) => ({ url: r.url, title: r.title, text: r.text, delivery: r.delivery, sentAt: iso(Number(r.first_sent_at)), lastChangedAt: iso(Number(r.sent_at)) })),
        responsesReceived: responsesReceived
          .filter((r) => r.member_id === m.id)
          .map((r) => ({ url: r.url, title: r.title, from: r.display_name, text: r.text, delivery: r.delivery, sentAt: iso(Number(r.first_sent_at)) })),
        feeds: feeds.filter((f) => f.member_id === m.id).map((f) => ({ url: f.url, title: f.title, addedAt: iso(f.added_at) })),
        followers: followers
          .filter((f) => f.member_id === m.id)
          .map((f) => ({ platform: f.platform, count: f.count, recordedAt: iso(f.recorded_at) })),
        sprintNotify: watching.has(m.id),
        sprints: sprints
          .filter((s) => s.memberId === m.id)
          .map((s) => ({
            sprint: s.sprintId,
            minutes: s.minutes,
            startCount: s.startCount,
            finalCount: s.finalCount,
            words: wordsWritten(s),
            joinedAt: iso(s.joinedAt),
            // A cancelled sprint ended when it was cancelled; any other at its end instant.
            endedAt: iso(s.cancelledAt ?? s.endAt),
            cancelled: s.cancelledAt !== null,
          })),
        goals: goals
          .filter((g) => g.member_id === m.id)
          .map((g) => ({ kind: g.kind, period: g.period, target: Number(g.target), by: g.by_date, since: g.start_date, setAt: iso(Number(g.created_at)) })),
        projects: projects
          .filter((p) => p.member_id === m.id)
          .map((p) => ({
            name: p.name,
            targetWords: p.target_words,
            deadline: p.deadline,
            started: p.start_date,
            words: wordsOf.get(p.id) ?? 0,
            current: p.is_current === 1,
            archivedAt: p.archived_at === null ? null : iso(Number(p.archived_at)),
          })),
        challenges: challenges
          .filter((c) => c.member_id === m.id)
          .map((c) => ({ name: c.name, kind: c.kind, target: Number(c.target), start: c.start_date, end: c.end_date, joinedOn: c.joined_on })),
      })),
    };
    const rows = logs.map((l) =>
      [channelOf.get(l.member_id), l.local_date, l.zone, l.words, l.minutes, l.url, l.note, l.source, iso(l.logged_at)].map(csvCell).join(','),
    );
    return { json: JSON.stringify(data, null, 2), logsCsv: [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n', logCount: logs.length };
  }

  /** What /forget would delete, and the token its confirmation button carries. */
  async prepareForget(actor: Actor): Promise<{ token: string; groups: number; logs: number }> {
    const db = this.deps.db;
    const personId = await findPersonId(db, actor);
    if (personId === undefined) throw new UserError('not_found', 'I have no data about you in this workspace.');
    const memberIds = (await listMemberships(db, personId)).map((m) => m.id);
    const logs = await countLogs(db, memberIds);
    const expires = this.deps.clock.now() + FORGET_CONFIRM_MS;
    return { token: `${personId}.${expires.toString(36)}`, groups: memberIds.length, logs };
  }

  /** Deletes everything about the person in this workspace, if the token is theirs and still fresh. */
  async forget(actor: Actor, token: string): Promise<void> {
    const [idText, expiresText] = token.split('.');
    const personId = await findPersonId(this.deps.db, actor);
    if (personId === undefined) throw new UserError('stale_button', 'There is nothing left to delete: your data is already gone.');
    if (String(personId) !== idText) throw new UserError('refused', 'This button belongs to someone else. Run /forget yourself.');
    if (!expiresText || parseInt(expiresText, 36) < this.deps.clock.now())
      throw new UserError('stale_button', 'That confirmation has expired. Run /forget again.');
    const posted = await this.deps.db.transaction().execute(async (trx) => {
      const groups = await listMembershipsOf(trx, personId);
      const posted = await postedResponsesOf(trx, groups.map((g) => g.id));
      // Reads others gave their announcements leave the readers' totals.
      const publicationIds = await publicationIdsOf(trx, groups.map((g) => g.id));
      const withdrawn = await deleteReadsOf(trx, publicationIds);
      const settings = new Map((await Promise.all(groups.map((g) => findGroupById(trx, g.group_id)))).flatMap((g) => (g ? [[g.id, g] as const] : [])));
      await countReadsWithdrawn(trx, withdrawn, settings);
      // Responses they wrote leave the authors' totals, and responses to their articles the readers'.
      const responses = await responsesToWithdraw(trx, { writtenBy: groups.map((g) => g.id), onPublications: publicationIds });
      await countResponsesWithdrawn(trx, responses, settings);
      await removeAdminEverywhere(trx, actor);
      // Their counts leave the groups' follower history too.
      await forgetWeekTotals(trx, groups.map((g) => g.group_id));
      await subtractFromCalendars(trx, groups.map((g) => g.id));
      await deletePerson(trx, personId);
      return posted;
    });
    this.members.forgetCached(actor.userId);
    // Their responses in announcements' threads are taken back on the platform too, after the commit.
    for (const where of posted) {
      const conversation = { platform: where.platform as Platform, workspaceId: where.workspaceId, channelId: where.channelId, ...(where.threadId && { threadId: where.threadId }) };
      await this.deps.outbound.edit({ conversation, messageId: where.messageId }, channelReply('💬 This response was withdrawn by its writer.'));
    }
  }
}
