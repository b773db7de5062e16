import { plain } from '../core/format';
import type { Actor } from '../core/invocation';
import { channelReply } from '../core/reply';
import { UserError } from '../core/user-error';
import type { Db } from '../db/database';
import { claimEvent } from '../db/handled-event.repository';
import {
  deleteLog,
  findLatestLog,
  findLogByMessage,
  insertLog,
  sumLogs,
  toLoggedEntry,
  updateLogEntry,
} from '../db/log.repository';
import type { LogRow, LogSource } from '../db/log.table';
import { lockTotals } from '../db/member-totals.repository';
import { listVacations } from '../db/vacation.repository';
import { readChatLog } from '../domain/chat-log';
import { announceConversation, type Group } from '../domain/group';
import { type LocalDate, localDateOf } from '../domain/local-date';
import { chooseLogDate, isEmptyEntry, type LogEntryInput, type LoggedEntry, type LogTotals } from '../domain/log-entry';
import { type Member, memberCalendar } from '../domain/member';
import { streakOn, type StreakToday } from '../domain/streak';
import type { MemberService } from './member-service';
import { type CountedLog, countLogAdded, countLogEdited, countLogRemoved } from './running-totals';
import type { ServiceDeps } from './service-deps';
import type { StreakService } from './streak-service';

export interface LogRequest extends LogEntryInput {
  /** 'today' (default), 'yesterday' or YYYY-MM-DD within the group's backfill window. */
  date?: string;
  /** The project the words go to, by name (default: the member's current project). */
  project?: string;
}

/** A log just written, as what follows it in its transaction (goals, projects) sees it. */
export interface LoggedWriting {
  logId: number;
  source: LogSource;
  project?: string;
  date: LocalDate;
  today: LocalDate;
  /** The member's words of today, when the log was for today. */
  todayWords?: number;
  streak: { current: number; loggedToday: boolean };
}

/** What follows a log says: lines for its reply, and what is said once it committed. */
export interface LogNotes {
  lines: string[];
  achieved: string[];
  celebrations: string[];
}

/** What else a log does in its own transaction (goals, projects), and says after the commit. */
export interface LogFollowUp {
  inTransaction(trx: Db, group: Group, member: Member, log: LoggedWriting): Promise<LogNotes>;
  afterCommit(group: Group, member: Member, notes: LogNotes): Promise<void>;
}

/** Where a log came from: its idempotency key, and for chat logs the message it follows. */
export interface LogSourceInfo {
  source: LogSource;
  eventKey: string;
  messageId?: string;
}

export type LogOutcome =
  | { duplicate: true }
  | {
      duplicate: false;
      member: Member;
      joined: boolean;
      /** The writing day the log counts for. */
      date: LocalDate;
      /** The member's writing day now (before the rollover hour, still yesterday's date). */
      today: LocalDate;
      /** The date on the member's clock now, whatever the rollover hour says. */
      calendarDate: LocalDate;
      /** What this log added. */
      added: LogEntryInput;
      dayTotals: LogTotals;
      streak: StreakToday;
      /** A week of writing earned a freeze with this log. */
      freezeEarned: boolean;
      /** A missed day this log's streak was carried across by spending a freeze. */
      freezeBridged: LocalDate | null;
      milestones: number[];
      /** What goals and projects add to the reply. */
      notes?: LogNotes;
    };

export type ChatLogOutcome = { kind: 'not-a-log' } | { kind: 'unreadable'; reason: string } | { kind: 'logged'; outcome: LogOutcome };

export type UndoOutcome = { duplicate: true } | { duplicate: false; removed: LoggedEntry; streak: StreakToday };

export class LogService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
    private readonly streaks: StreakService,
    private readonly followUp?: LogFollowUp,
  ) {}

  /** Logs a piece of writing in one transaction; a re-delivered event key logs nothing. */
  async log(group: Group, actor: Actor, request: LogRequest, from: LogSourceInfo): Promise<LogOutcome> {
    if (isEmptyEntry(request))
      throw new UserError('missing_argument', 'Tell me what you wrote: words, minutes, a link or a note. For example: /log 500');
    const now = this.deps.clock.now();
    const outcome = await this.deps.db.transaction().execute(async (trx): Promise<LogOutcome> => {
      const { member, joined } = await this.members.ensure(group, actor, trx);
      const calendar = memberCalendar(member, group.timezone);
      const today = localDateOf(now, calendar);
      const choice = chooseLogDate(request.date, today, group.backfillDays);
      if (!choice.ok) throw new UserError('bad_argument', choice.reason);
      await lockTotals(trx, { memberId: member.id, groupId: group.id });
      const id = await insertLog(trx, {
        member_id: member.id,
        group_id: group.id,
        local_date: choice.date,
        zone: calendar.zone,
        rollover_hour: calendar.rolloverHour,
        words: request.words ?? 0,
        minutes: request.minutes ?? 0,
        url: request.url ?? null,
        note: request.note ?? null,
        source: from.source,
        event_key: from.eventKey,
        message_id: from.messageId ?? null,
        logged_at: now,
      });
      if (id === undefined) return { duplicate: true };
      const { state, milestones, freezeEarned, freezeBridged } = await this.streaks.recordDay(trx, group, member, { date: choice.date, ...calendar });
      const vacations = state.lastDate !== null && state.lastDate >= today ? [] : await listVacations(trx, member.id);
      const dayTotals = await sumLogs(trx, member.id, { from: choice.date, to: choice.date });
      const counted = { memberId: member.id, groupId: group.id, date: choice.date, words: request.words ?? 0, minutes: request.minutes ?? 0 };
      await countLogAdded(trx, group, counted, dayTotals.entries === 1);
      const streak = streakOn(state, today, calendar, vacations);
      const notes = await this.followUp?.inTransaction(trx, group, member, {
        logId: id,
        source: from.source,
        project: request.project,
        date: choice.date,
        today,
        todayWords: choice.date === today ? dayTotals.words : undefined,
        streak,
      });
      return {
        duplicate: false,
        member,
        joined,
        date: choice.date,
        today,
        calendarDate: localDateOf(now, { zone: calendar.zone, rolloverHour: 0 }),
        added: { words: request.words, minutes: request.minutes, url: request.url, note: request.note },
        dayTotals,
        streak,
        freezeEarned,
        freezeBridged,
        milestones,
        notes,
      };
    });
    // The cheer goes out beside the reply, not before it: a busy channel's send queue must not hold up /log.
    if (!outcome.duplicate) void this.announceMilestones(group, outcome.member, outcome.milestones);
    if (!outcome.duplicate && outcome.notes) void this.followUp?.afterCommit(group, outcome.member, outcome.notes);
    return outcome;
  }

  /**
   * A participant's words from a sprint, in the caller's transaction: logged on the day the sprint
   * ended in the member's own calendar (however late the results are written), once per event key.
   * Returns the streak milestones it reached, to announce once the transaction has committed.
   */
  async logSprintWords(trx: Db, group: Group, member: Member, entry: { words: number; minutes: number; endedAt: number; note: string; eventKey: string }): Promise<number[]> {
    const calendar = memberCalendar(member, group.timezone);
    const date = localDateOf(entry.endedAt, calendar);
    await lockTotals(trx, { memberId: member.id, groupId: group.id });
    const id = await insertLog(trx, {
      member_id: member.id,
      group_id: group.id,
      local_date: date,
      zone: calendar.zone,
      rollover_hour: calendar.rolloverHour,
      words: entry.words,
      minutes: entry.minutes,
      url: null,
      note: entry.note,
      source: 'sprint',
      event_key: entry.eventKey,
      message_id: null,
      logged_at: this.deps.clock.now(),
    });
    if (id === undefined) return [];
    const { state, milestones } = await this.streaks.recordDay(trx, group, member, { date, ...calendar });
    const dayTotals = await sumLogs(trx, member.id, { from: date, to: date });
    await countLogAdded(trx, group, { memberId: member.id, groupId: group.id, date, words: entry.words, minutes: entry.minutes }, dayTotals.entries === 1);
    // The words go to the member's current project; goals are told on their next /log or /goal.
    await this.followUp?.inTransaction(trx, group, member, { logId: id, source: 'sprint', date, today: date, streak: { current: state.current, loggedToday: true } });
    return milestones;
  }

  /** Removes the member's most recent log entry and recounts their streak. */
  async undo(group: Group, actor: Actor, eventKey: string): Promise<UndoOutcome> {
    return this.deps.db.transaction().execute(async (trx): Promise<UndoOutcome> => {
      if (!(await claimEvent(trx, eventKey, this.deps.clock.now()))) return { duplicate: true };
      const member = await this.members.find(group, actor, trx);
      if (member) await lockTotals(trx, { memberId: member.id, groupId: group.id });
      const latest = member && (await findLatestLog(trx, member.id));
      if (!member || !latest) throw new UserError('not_found', 'There is nothing to undo: you have no logs in this group.');
      await this.uncount(trx, group, await deleteLog(trx, latest.id));
      const state = await this.streaks.recompute(trx, member);
      const calendar = memberCalendar(member, group.timezone);
      const today = localDateOf(this.deps.clock.now(), calendar);
      return { duplicate: false, removed: toLoggedEntry(latest), streak: streakOn(state, today, calendar, await listVacations(trx, member.id)) };
    });
  }

  /** A plain message in the group's channel: logged if it matches the group's pattern. */
  async logFromMessage(group: Group, actor: Actor, message: { messageId: string; text: string; eventKey: string }): Promise<ChatLogOutcome> {
    const reading = readChatLog(message.text, group.logPattern);
    if (reading.kind !== 'log') return reading;
    const { kind: _, ...entry } = reading;
    const outcome = await this.log(group, actor, entry, { source: 'chat', eventKey: message.eventKey, messageId: message.messageId });
    return { kind: 'logged', outcome };
  }

  /** An edited chat message is read again: its log is updated, removed, or created. */
  async editFromMessage(
    group: Group,
    actor: Actor,
    message: { messageId: string; text: string; eventKey: string },
  ): Promise<ChatLogOutcome | { kind: 'updated' } | { kind: 'removed' }> {
    const existing = await findLogByMessage(this.deps.db, group.id, message.messageId);
    if (!existing) return this.logFromMessage(group, actor, message);
    const reading = readChatLog(message.text, group.logPattern);
    if (reading.kind !== 'log') {
      await this.removeMessageLog(group, existing);
      return { kind: 'removed' };
    }
    const fields = { words: reading.words ?? 0, minutes: reading.minutes ?? 0, url: reading.url ?? null, note: reading.note ?? null };
    await this.deps.db.transaction().execute(async (trx) => {
      await lockTotals(trx, { memberId: existing.member_id, groupId: group.id });
      // Read again under the lock: the totals change by the difference from what the log holds now.
      const current = await findLogByMessage(trx, group.id, message.messageId);
      if (!current) return;
      await updateLogEntry(trx, current.id, fields);
      await countLogEdited(trx, group, countedLog(current), fields);
    });
    return { kind: 'updated' };
  }

  /** A deleted chat message takes its log with it. */
  async deleteFromMessage(group: Group, messageId: string): Promise<boolean> {
    const existing = await findLogByMessage(this.deps.db, group.id, messageId);
    if (!existing) return false;
    await this.removeMessageLog(group, existing);
    return true;
  }

  private async removeMessageLog(group: Group, log: LogRow): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await lockTotals(trx, { memberId: log.member_id, groupId: log.group_id });
      await this.uncount(trx, group, await deleteLog(trx, log.id));
      await this.streaks.recompute(trx, { id: log.member_id, groupId: log.group_id });
    });
  }

  /** Takes a deleted log out of its member's totals (nothing if another change deleted it first). */
  private async uncount(trx: Db, group: Group, deleted: LogRow | undefined): Promise<void> {
    if (!deleted) return;
    const left = await sumLogs(trx, deleted.member_id, { from: deleted.local_date, to: deleted.local_date });
    await countLogRemoved(trx, group, countedLog(deleted), left.entries === 0);
  }

  /** Cheers each streak milestone in the group's channel: for a /log, or for logs written elsewhere (a sprint's results). */
  async announceMilestones(group: Group, member: Member, milestones: number[]): Promise<void> {
    for (const days of milestones) {
      const text = `🎉 ${plain(member.displayName)} has written ${days} days in a row! ${milestoneCheer(days)}`;
      // The log itself succeeded; a channel that refuses the cheer is only worth a log line.
      await this.deps.outbound
        .post(announceConversation(group), channelReply(text))
        .catch((error: unknown) => this.deps.logger.warn({ err: error, group: group.id }, 'milestone announcement not posted'));
    }
  }
}

function countedLog(row: LogRow): CountedLog {
  return { memberId: row.member_id, groupId: row.group_id, date: row.local_date, words: row.words, minutes: row.minutes };
}

function milestoneCheer(days: number): string {
  if (days >= 365) return 'A whole year of writing.';
  if (days >= 180) return 'Six months without a break.';
  if (days >= 100) return 'Triple digits.';
  if (days >= 30) return 'A month of words.';
  return 'The first week is the hardest.';
}
