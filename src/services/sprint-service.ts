import type { Actor, Conversation } from '../core/invocation';
import type { Reply } from '../core/reply';
import { UserError } from '../core/user-error';
import type { Db } from '../db/database';
import { claimEvent } from '../db/handled-event.repository';
import { findGroupById } from '../db/group.repository';
import { findMemberById } from '../db/member.repository';
import { deleteJob, type JobKey, scheduleJob } from '../db/scheduled-job.repository';
import type { ScheduledJobRow } from '../db/scheduled-job.table';
import type { SprintParticipantRow } from '../db/sprint.table';
import {
  addToFinalCount,
  closeSprint,
  deleteParticipant,
  deleteSprint,
  earlierSprintEntries,
  findOpenSprint,
  findParticipant,
  findSprint,
  findSprintByEventKey,
  insertParticipant,
  insertSprint,
  lastSprintCount,
  latestFinishedSprint,
  listParticipants,
  listWatchers,
  setFinalCount,
  setSprintAnnouncement,
  setWatching,
} from '../db/sprint.repository';
import type { Group } from '../domain/group';
import { type LocalDate, localDateOf } from '../domain/local-date';
import { type Member, memberCalendar } from '../domain/member';
import { JOB_NAMES } from '../domain/job-names';
import {
  chooseSprintStart,
  type CountReading,
  countProblem,
  isImplausibleRate,
  MAX_SPRINT_COUNT,
  readSprintCount,
  type Sprint,
  nextInChain,
  type SprintParticipant,
  type SprintTimes,
  sprintedMs,
  sprintPhase,
  sprintTimes,
  unix,
  wordsPerMinute,
  wordsWritten,
} from '../domain/sprint';
import { jobPost } from './job-post';
import type { LogService } from './log-service';
import type { MemberService } from './member-service';
import type { ServiceDeps } from './service-deps';
import { everyoneLeftPost, resultsPost, sprintAnnouncement, sprintStartedPost, timeUpPost } from './sprint-messages';

/** Something that runs due scheduled jobs: told of each job's instant so a sprint's posts go out on time, not at the next tick. */
export interface JobWaker {
  wakeAt(instant: number): void;
}

/** A sprint's three scheduled steps, each one job row (the database decides, once). */
const SPRINT_JOBS = [JOB_NAMES.sprintStart, JOB_NAMES.sprintEnd, JOB_NAMES.sprintResults] as const;
/** The event key of the sprint that follows another in a chain: one next sprint, however often the results job runs. */
const chainKey = (sprintId: number) => `chain:${sprintId}`;
const jobOf = (job: (typeof SPRINT_JOBS)[number], sprintId: number): JobKey => ({ job, subject: String(sprintId), period: '' });

async function scheduleSteps(trx: Db, groupId: number, sprintId: number, times: SprintTimes, now: number): Promise<void> {
  await scheduleJob(trx, { ...jobOf(JOB_NAMES.sprintStart, sprintId), groupId }, times.startAt, now);
  await scheduleJob(trx, { ...jobOf(JOB_NAMES.sprintEnd, sprintId), groupId }, times.endAt, now);
  await scheduleJob(trx, { ...jobOf(JOB_NAMES.sprintResults, sprintId), groupId }, times.windowClosesAt, now);
}

/** A chat message that is only a sprint count: `+250`, or `+250 words`. */
const CHAT_COUNT = /^\s*(\+\s*\d[\d,_]*)\s*(?:words?|w)?\s*$/i;

/** Who sends a count, to which sprint: looked up once per count. */
interface Counter {
  sprint: Sprint;
  member: Member;
  participant: SprintParticipantRow;
}

export type StartOutcome = { kind: 'started'; sprint: Sprint } | { kind: 'busy'; current: Sprint };
export type JoinChoice = { count: number } | 'same' | 'none';
export type WordsOutcome =
  | { kind: 'counted'; sprint: Sprint; total: number; written: number; inWindow: boolean }
  | { kind: 'confirm'; sprint: Sprint; total: number; wpm: number; maxWpm: number }
  | { kind: 'duplicate' };
export interface SprintStatus {
  sprint: Sprint;
  participants: SprintParticipant[];
}

export class SprintService {
  private waker: JobWaker = { wakeAt: () => undefined };

  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
    private readonly logs: LogService,
  ) {}

  /** Lets the scheduler be woken at each sprint job's instant (set once the scheduler exists). */
  useWaker(waker: JobWaker): void {
    this.waker = waker;
  }

  /**
   * Starts a sprint in the group's channel, the starter in it with a count of 0, its start, end and
   * results scheduled, and announces it. One sprint at a time per channel; a re-delivered start finds
   * the sprint it made.
   */
  async start(
    group: Group,
    actor: Actor,
    conversation: Conversation,
    input: { minutes: number; inMinutes?: number; at?: string; chain?: { length: number; gapMinutes: number } },
    eventKey: string,
  ): Promise<StartOutcome> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const choice = chooseSprintStart(now, input, group.timezone);
    if (!choice.ok) throw new UserError('bad_argument', choice.reason);
    const times = sprintTimes(choice.startAt, input.minutes, group.sprintWindowMinutes);
    const made = await db.transaction().execute(async (trx) => {
      const again = await findSprintByEventKey(trx, eventKey);
      if (again) return { kind: 'again' as const, sprint: again };
      const current = await findOpenSprint(trx, group.id, conversation.channelId);
      if (current) return { kind: 'busy' as const, current };
      const id = await insertSprint(trx, {
        group_id: group.id,
        channel_id: conversation.channelId,
        starter_user_id: actor.userId,
        minutes: input.minutes,
        start_at: times.startAt,
        end_at: times.endAt,
        window_closes_at: times.windowClosesAt,
        event_key: eventKey,
        created_at: now,
        chain_position: 1,
        chain_length: input.chain?.length ?? 1,
        chain_gap_minutes: input.chain?.gapMinutes ?? 0,
      });
      // Another process started one in this channel a moment ago.
      if (id === undefined) return { kind: 'busy' as const, current: (await findOpenSprint(trx, group.id, conversation.channelId))! };
      const joining = await this.members.ensure(group, actor, trx);
      await insertParticipant(trx, { sprint_id: id, member_id: joining.member.id, start_count: 0, joined_at: now });
      await scheduleSteps(trx, group.id, id, times, now);
      return { kind: 'new' as const, sprint: (await findSprint(trx, id))!, joining };
    });
    if (made.kind === 'busy') return made;
    if (made.kind === 'again') return { kind: 'started', sprint: made.sprint };
    const { sprint, joining } = made;
    try {
      const ref = await this.deps.outbound.post(this.whereOf(group, sprint), sprintAnnouncement(sprint, actor.displayName, await this.pings(group, actor.userId)));
      await setSprintAnnouncement(db, sprint.id, ref.messageId);
    } catch (error) {
      // Not announced means nobody could join: take it back so the channel is free to try again.
      await db.transaction().execute(async (trx) => {
        for (const job of SPRINT_JOBS) await deleteJob(trx, jobOf(job, sprint.id));
        await deleteSprint(trx, sprint.id);
        await this.members.undoJoin(joining, trx);
      });
      this.deps.logger.warn({ err: error, group: group.id }, 'sprint announcement not posted');
      throw new UserError('refused', `I couldn't post the sprint in this channel (${(error as Error).message}), so it did not start. An admin can check my permissions here.`);
    }
    for (const instant of [times.startAt, times.endAt, times.windowClosesAt]) this.waker.wakeAt(instant);
    return { kind: 'started', sprint };
  }

  /** Joins the channel's sprint with a starting count, the count the member ended their last sprint with, or none (minutes only). */
  async join(group: Group, actor: Actor, conversation: Conversation, choice: JoinChoice, sprintId?: number): Promise<{ sprint: Sprint; startCount: number | null }> {
    const { db, clock } = this.deps;
    const sprint = await this.requireSprint(group, conversation, sprintId);
    const now = clock.now();
    if (now >= sprint.endAt) throw new UserError('conflict', `That sprint ended <t:${unix(sprint.endAt)}:R>, so it can't be joined. Start another with /sprint start.`);
    return db.transaction().execute(async (trx) => {
      const { member } = await this.members.ensure(group, actor, trx);
      if (await findParticipant(trx, sprint.id, member.id))
        throw new UserError('conflict', "You're already in this sprint. Send counts with /sprint words <total> or +<added>; /sprint leave to step out.");
      let startCount: number | null;
      if (choice === 'none') startCount = null;
      else if (choice === 'same') {
        const last = await lastSprintCount(trx, member.id);
        if (last === undefined) throw new UserError('not_found', 'You have no earlier sprint to continue from: join with your word count now, e.g. /sprint join 1200, or /sprint join 0.');
        startCount = last;
      } else startCount = choice.count;
      await insertParticipant(trx, { sprint_id: sprint.id, member_id: member.id, start_count: startCount, joined_at: now });
      return { sprint, startCount };
    });
  }

  /** Leaves the channel's sprint; when the last one leaves, the sprint is over. */
  async leave(group: Group, actor: Actor, conversation: Conversation, sprintId?: number): Promise<{ sprint: Sprint; ended: boolean }> {
    const { db, clock } = this.deps;
    const sprint = await this.requireSprint(group, conversation, sprintId);
    const member = await this.members.find(group, actor);
    const ended = await db.transaction().execute(async (trx) => {
      if (!member || !(await deleteParticipant(trx, sprint.id, member.id)))
        throw new UserError('not_member', "You're not in this sprint, so there is nothing to leave. Join with /sprint join [count].");
      if ((await listParticipants(trx, sprint.id)).length > 0) return false;
      await this.end(trx, sprint, clock.now());
      return true;
    });
    if (ended) await this.deps.outbound.post(this.whereOf(group, sprint), everyoneLeftPost()).catch((error: unknown) => this.deps.logger.warn({ err: error, sprint: sprint.id }, 'sprint end note not posted'));
    return { sprint, ended };
  }

  /**
   * A count: the total now, or words added (`+250`). Taken while the sprint runs and in the window
   * after it; one that implies an implausible rate asks first, unless `confirmed`. A re-delivery of
   * the same event counts nothing.
   */
  async words(group: Group, actor: Actor, conversation: Conversation, text: string, eventKey: string, confirmed?: { sprintId: number }): Promise<WordsOutcome> {
    const reading = readSprintCount(text);
    if (!reading.ok) throw new UserError('bad_argument', reading.reason);
    const sprint = await this.requireSprint(group, conversation, confirmed?.sprintId);
    const member = await this.members.find(group, actor);
    const participant = member && (await findParticipant(this.deps.db, sprint.id, member.id));
    if (!member || !participant) throw new UserError('not_member', "You haven't joined this sprint: /sprint join [your word count now] first, then send counts.");
    return this.count(group, { sprint, member, participant }, reading, eventKey, confirmed !== undefined);
  }

  /**
   * A chat message in the sprint's channel that is only a count (`+250`) from someone in the sprint.
   * Undefined when it is anything else, so it is read as an ordinary chat message.
   */
  async countFromMessage(group: Group, actor: Actor, conversation: Conversation, text: string, eventKey: string): Promise<WordsOutcome | undefined> {
    const counter = await this.chatCounter(group, actor, conversation, text);
    if (!counter) return undefined;
    const reading = readSprintCount(CHAT_COUNT.exec(text)![1]!);
    if (!reading.ok) throw new UserError('bad_argument', reading.reason);
    return this.count(group, counter, reading, eventKey, false);
  }

  /** Whether a chat message is a count (`+250`) from someone in the channel's open sprint. */
  async isSprintCount(group: Group, actor: Actor, conversation: Conversation, text: string): Promise<boolean> {
    return (await this.chatCounter(group, actor, conversation, text)) !== undefined;
  }

  /** The channel's open sprint and the author's place in it, when a chat message is a count from someone in it who counts words. */
  private async chatCounter(group: Group, actor: Actor, conversation: Conversation, text: string): Promise<Counter | undefined> {
    if (!CHAT_COUNT.test(text)) return undefined;
    const sprint = await findOpenSprint(this.deps.db, group.id, conversation.channelId);
    const member = sprint && (await this.members.find(group, actor));
    const participant = member && (await findParticipant(this.deps.db, sprint.id, member.id));
    return participant && participant.start_count !== null ? { sprint: sprint!, member: member!, participant } : undefined;
  }

  private async count(group: Group, { sprint, member, participant }: Counter, reading: Extract<CountReading, { ok: true }>, eventKey: string, confirmed: boolean): Promise<WordsOutcome> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const problem = countProblem(sprint, now);
    if (problem) throw new UserError('conflict', problem);
    if (participant.start_count === null) throw new UserError('conflict', 'You joined for the minutes only (count:none), so this sprint takes no word count from you.');
    const total = reading.kind === 'added' ? (participant.final_count ?? participant.start_count) + reading.value : reading.value;
    if (total < participant.start_count)
      throw new UserError('bad_argument', `${total.toLocaleString('en-US')} is below your starting count of ${participant.start_count.toLocaleString('en-US')}: send your total now (at least that), or +<n> for words added.`);
    if (total > MAX_SPRINT_COUNT) throw new UserError('bad_argument', `A count can be at most ${MAX_SPRINT_COUNT.toLocaleString('en-US')}.`);
    const written = total - participant.start_count;
    const elapsed = Math.min(now, sprint.endAt) - Math.max(sprint.startAt, participant.joined_at);
    if (!confirmed && isImplausibleRate(written, elapsed, group.sprintMaxWpm))
      return { kind: 'confirm', sprint, total, wpm: wordsPerMinute(written, Math.max(60_000, elapsed)), maxWpm: group.sprintMaxWpm };
    const counted = await db.transaction().execute(async (trx) => {
      if (!(await claimEvent(trx, eventKey, now))) return undefined;
      if (reading.kind === 'added') return addToFinalCount(trx, sprint.id, member.id, reading.value, now);
      await setFinalCount(trx, sprint.id, member.id, total, now);
      return total;
    });
    if (counted === undefined) return { kind: 'duplicate' };
    return { kind: 'counted', sprint, total: counted, written: counted - participant.start_count, inWindow: sprintPhase(sprint, now) === 'window' };
  }

  /** The member's latest finished sprint, with the writing day its words were logged on. */
  async latest(group: Group, member: Member): Promise<{ minutes: number; words: number | null; date: LocalDate } | undefined> {
    const row = await latestFinishedSprint(this.deps.db, member.id);
    if (!row) return undefined;
    return { minutes: row.minutes, words: wordsWritten(row), date: localDateOf(row.endAt, memberCalendar(member, group.timezone)) };
  }

  async status(group: Group, conversation: Conversation): Promise<SprintStatus> {
    const sprint = await this.requireSprint(group, conversation);
    return { sprint, participants: await listParticipants(this.deps.db, sprint.id) };
  }

  /** Cancels the channel's sprint: its starter or an admin only. */
  async cancel(group: Group, actor: Actor, conversation: Conversation, isAdmin: boolean): Promise<Sprint> {
    const sprint = await this.requireSprint(group, conversation);
    if (sprint.starterUserId !== actor.userId && !isAdmin) throw new UserError('not_admin', 'Only the one who started this sprint, or a group admin, can cancel it.');
    const cancelled = await this.deps.db.transaction().execute((trx) => this.end(trx, sprint, this.deps.clock.now()));
    if (!cancelled) throw new UserError('not_found', 'That sprint is already over.');
    return sprint;
  }

  async notify(group: Group, actor: Actor, on: boolean): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.members.ensure(group, actor, trx);
      await setWatching(trx, group.id, member.id, on);
    });
  }

  /** The "go" post at the start instant; skipped for a sprint that is over, or whose time ran out while the bot was down. */
  async runStart(job: ScheduledJobRow, markSent: (messageId: string) => Promise<void>): Promise<'done' | 'skipped'> {
    return this.postStep(job, markSent, (sprint, participants, now) => (now < sprint.endAt ? sprintStartedPost(sprint, participants) : undefined));
  }

  /** "Time's up" at the end instant, opening the window for final counts. */
  async runEnd(job: ScheduledJobRow, markSent: (messageId: string) => Promise<void>): Promise<'done' | 'skipped'> {
    return this.postStep(job, markSent, (sprint, participants, now) => (now < sprint.windowClosesAt && participants.length ? timeUpPost(sprint, participants) : undefined));
  }

  /**
   * When the window closes: the sprint is recorded as finished and every participant's words are
   * logged (one transaction, idempotent per sprint and member), then the results are posted. A
   * channel that refuses the post leaves the sprint finished and the logs counted; the post is retried.
   */
  async runResults(job: ScheduledJobRow, markSent: (messageId: string) => Promise<void>): Promise<'done' | 'skipped'> {
    const { db, clock } = this.deps;
    const sprint = await findSprint(db, Number(job.subject));
    if (!sprint || sprint.cancelledAt !== null) return 'skipped';
    const group = await this.groupOf(sprint);
    if (!group) return 'skipped';
    const participants = await listParticipants(db, sprint.id);
    if (sprint.finishedAt === null) {
      const reached = await db.transaction().execute(async (trx) => {
        if (!(await closeSprint(trx, sprint.id, { finishedAt: clock.now() }))) return [];
        await this.chainNext(trx, group, sprint, participants);
        const milestones: { memberId: number; days: number[] }[] = [];
        for (const p of participants) {
          const member = await findMemberById(trx, p.memberId);
          if (!member) continue;
          const minutes = Math.round(sprintedMs(sprint, p.joinedAt) / 60_000);
          const words = wordsWritten(p) ?? 0;
          if (words === 0 && minutes === 0) continue;
          const days = await this.logs.logSprintWords(trx, group, member, { words, minutes, endedAt: sprint.endAt, note: `Sprint #${sprint.id}`, eventKey: `sprint:${sprint.id}:${p.memberId}` });
          if (days.length) milestones.push({ memberId: p.memberId, days });
        }
        return milestones;
      });
      for (const { memberId, days } of reached) {
        const member = await findMemberById(db, memberId);
        if (member) await this.logs.announceMilestones(group, member, days);
      }
    }
    const next = await findSprintByEventKey(db, chainKey(sprint.id));
    if (next) for (const instant of [next.startAt, next.endAt, next.windowClosesAt]) this.waker.wakeAt(instant);
    if (job.message_id) return 'done';
    const best = await this.bestBefore(sprint, participants);
    const ref = await this.deps.outbound.post(this.whereOf(group, sprint), resultsPost(sprint, participants, best, next), jobPost(job));
    await markSent(ref.messageId);
    return 'done';
  }

  /** The group a sprint job belongs to, for failure reports. */
  async groupOfJob(job: ScheduledJobRow): Promise<Group | undefined> {
    const sprint = await findSprint(this.deps.db, Number(job.subject));
    return sprint && this.groupOf(sprint);
  }

  /** The channel a sprint job posts in, for failure reports. */
  async channelOfJob(job: ScheduledJobRow): Promise<string | undefined> {
    return (await findSprint(this.deps.db, Number(job.subject)))?.channelId;
  }

  /**
   * The next sprint of a chain, made in the transaction that finishes this one, so it happens even if
   * the process stops in the break: everyone still in carries on, from the count they ended with.
   */
  private async chainNext(trx: Db, group: Group, sprint: Sprint, participants: SprintParticipant[]): Promise<void> {
    const startAt = nextInChain(sprint);
    if (startAt === undefined || participants.length === 0) return;
    const now = this.deps.clock.now();
    const times = sprintTimes(startAt, sprint.minutes, group.sprintWindowMinutes);
    const id = await insertSprint(trx, {
      group_id: group.id,
      channel_id: sprint.channelId,
      starter_user_id: sprint.starterUserId,
      minutes: sprint.minutes,
      start_at: times.startAt,
      end_at: times.endAt,
      window_closes_at: times.windowClosesAt,
      event_key: chainKey(sprint.id),
      created_at: now,
      chain_position: sprint.chain.position + 1,
      chain_length: sprint.chain.length,
      chain_gap_minutes: sprint.chain.gapMinutes,
    });
    if (id === undefined) return;
    for (const p of participants) {
      const carried = p.startCount === null ? null : (p.finalCount ?? p.startCount);
      await insertParticipant(trx, { sprint_id: id, member_id: p.memberId, start_count: carried, joined_at: now });
    }
    await scheduleSteps(trx, group.id, id, times, now);
  }

  private async postStep(
    job: ScheduledJobRow,
    markSent: (messageId: string) => Promise<void>,
    compose: (sprint: Sprint, participants: SprintParticipant[], now: number) => Reply | undefined,
  ): Promise<'done' | 'skipped'> {
    if (job.message_id) return 'done';
    const sprint = await findSprint(this.deps.db, Number(job.subject));
    if (!sprint || sprint.cancelledAt !== null || sprint.finishedAt !== null) return 'skipped';
    const group = await this.groupOf(sprint);
    const reply = group && compose(sprint, await listParticipants(this.deps.db, sprint.id), this.deps.clock.now());
    if (!group || !reply) return 'skipped';
    const ref = await this.deps.outbound.post(this.whereOf(group, sprint), reply, jobPost(job));
    await markSent(ref.messageId);
    return 'done';
  }

  /** Ends a sprint early (cancelled, or everyone left): the channel is free and its jobs are gone. */
  private async end(trx: Db, sprint: Sprint, now: number): Promise<boolean> {
    if (!(await closeSprint(trx, sprint.id, { cancelledAt: now }))) return false;
    for (const job of SPRINT_JOBS) await deleteJob(trx, jobOf(job, sprint.id));
    return true;
  }

  /** Each participant's best WPM in earlier sprints. */
  private async bestBefore(sprint: Sprint, participants: SprintParticipant[]): Promise<Map<number, number>> {
    const best = new Map<number, number>();
    const entries = await earlierSprintEntries(this.deps.db, participants.map((p) => p.memberId), sprint.endAt);
    for (const e of entries) {
      const wpm = wordsPerMinute(wordsWritten(e) ?? 0, sprintedMs(e, e.joinedAt));
      best.set(e.memberId, Math.max(best.get(e.memberId) ?? 0, wpm));
    }
    return best;
  }

  /**
   * The sprint a command or button means: the channel's open one, or the one a button names, which
   * must be this group's and still open.
   */
  private async requireSprint(group: Group, conversation: Conversation, sprintId?: number): Promise<Sprint> {
    if (sprintId !== undefined) {
      const sprint = Number.isSafeInteger(sprintId) ? await findSprint(this.deps.db, sprintId) : undefined;
      if (!sprint || sprint.groupId !== group.id || sprint.cancelledAt !== null || sprint.finishedAt !== null)
        throw new UserError('stale_button', 'That sprint is over, so its buttons no longer work. Start another with /sprint start.');
      return sprint;
    }
    const sprint = await findOpenSprint(this.deps.db, group.id, conversation.channelId);
    if (!sprint) throw new UserError('not_found', 'There is no sprint in this channel right now. Start one with /sprint start [minutes].');
    return sprint;
  }

  private async groupOf(sprint: Sprint): Promise<Group | undefined> {
    return findGroupById(this.deps.db, sprint.groupId);
  }

  private whereOf(group: Group, sprint: Sprint): Conversation {
    return { platform: group.platform, workspaceId: group.workspaceId, channelId: sprint.channelId };
  }

  /** Who an announcement pings: the sprint role on Discord if the group set one, else the members on the sprint list. */
  private async pings(group: Group, starterUserId: string): Promise<Reply['pings']> {
    if (group.sprintRoleId && group.platform === 'discord') return { roles: [group.sprintRoleId] };
    const users = (await listWatchers(this.deps.db, group.id)).filter((id) => id !== starterUserId);
    return users.length ? { users } : undefined;
  }
}
