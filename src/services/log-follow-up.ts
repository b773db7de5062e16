import type { Db } from '../db/database';
import type { Group } from '../domain/group';
import type { Member } from '../domain/member';
import type { GoalService } from './goal-service';
import type { LogFollowUp, LoggedWriting, LogNotes } from './log-service';
import type { ProjectService } from './project-service';

/**
 * What a log does besides itself, in its transaction: its words go to a project, and its goals'
 * progress is read (a sprint's words wait for the member's next look at their goals).
 */
export class WritingFollowUp implements LogFollowUp {
  constructor(
    private readonly goals: GoalService,
    private readonly projects: ProjectService,
  ) {}

  async inTransaction(trx: Db, group: Group, member: Member, log: LoggedWriting): Promise<LogNotes> {
    await this.projects.assign(trx, member, log.logId, log.project);
    if (log.source === 'sprint') return { lines: [], achieved: [], celebrations: [] };
    const goals = await this.goals.afterLog(trx, group, member, { date: log.date, today: log.today, todayWords: log.todayWords, streak: log.streak });
    return { lines: goals.line ? [goals.line] : [], achieved: goals.achieved, celebrations: goals.celebrations };
  }

  afterCommit(group: Group, member: Member, notes: LogNotes): Promise<void> {
    return this.goals.deliver(group, member, notes);
  }
}
