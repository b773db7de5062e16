import { plain } from '../core/format';
import type { Actor } from '../core/invocation';
import { UserError } from '../core/user-error';
import type { Db } from '../db/database';
import {
  archiveProject,
  assignToCurrent,
  assignToProject,
  countProjects,
  findCurrentProject,
  findProjectByName,
  insertProject,
  listProjects,
  makeCurrent,
  projectWords,
  projectWordsByDate,
} from '../db/project.repository';
import type { Pace } from '../domain/goals';
import type { Group } from '../domain/group';
import { addDays, type LocalDate, localDateOf } from '../domain/local-date';
import { type Member, memberCalendar } from '../domain/member';
import { checkProjectName, checkProjectPlan, cumulativeWords, MAX_PROJECTS, type Project, projectPace } from '../domain/projects';
import { progressChartAlt, progressChartSvg, type ProgressChartData } from '../render/progress-chart';
import { drawPicture, type Picture } from './draw-picture';
import type { MemberService } from './member-service';
import type { ServiceDeps } from './service-deps';

/** A project with its words and, when it has a target and a deadline, its pace today. */
export interface ProjectStanding {
  project: Project;
  words: number;
  pace?: Pace;
  today: LocalDate;
}

const unknown = (name: string) =>
  new UserError('not_found', `You have no project called "${plain(name)}". /project list shows yours; /project create <name> starts one.`);

/** Members' writing projects: words from the logs that went to them, pace toward a deadline, a progress chart. */
export class ProjectService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
  ) {}

  private today(group: Group, member: Pick<Member, 'timezone' | 'rolloverHour'> | undefined): LocalDate {
    return localDateOf(this.deps.clock.now(), memberCalendar(member ?? { timezone: null, rolloverHour: 0 }, group.timezone));
  }

  /** A new project; the member's first (or first since the others were archived) becomes current. */
  async create(group: Group, actor: Actor, input: { name?: string; target?: number; deadline?: string }): Promise<ProjectStanding> {
    const existing = await this.members.find(group, actor);
    const today = this.today(group, existing);
    const name = checkProjectName(input.name);
    if (!name.ok) throw new UserError('bad_argument', plain(name.reason));
    const plan = checkProjectPlan(input.target, input.deadline, today);
    if (!plan.ok) throw new UserError('bad_argument', plain(plan.reason));
    const project = await this.deps.db.transaction().execute(async (trx) => {
      if (existing && (await countProjects(trx, existing.id)) >= MAX_PROJECTS)
        throw new UserError('refused', `You have ${MAX_PROJECTS} projects, the most kept; archived ones count too.`);
      if (existing && (await findProjectByName(trx, existing.id, name.value.key)))
        throw new UserError('conflict', `You already have a project called "${plain(name.value.name)}": pick another name, or /project switch to it.`);
      const { member } = await this.members.ensure(group, actor, trx);
      const current = await findCurrentProject(trx, member.id);
      const id = await insertProject(trx, {
        member_id: member.id,
        group_id: group.id,
        name: name.value.name,
        name_key: name.value.key,
        target_words: plan.value.targetWords,
        deadline: plan.value.deadline,
        start_date: today,
        is_current: current ? 0 : 1,
        created_at: this.deps.clock.now(),
      });
      if (id === undefined) throw new UserError('conflict', `You already have a project called "${plain(name.value.name)}".`);
      return (await findProjectByName(trx, member.id, name.value.key))!;
    });
    return { project, words: 0, pace: projectPace(project, today, 0), today };
  }

  async list(group: Group, actor: Actor): Promise<ProjectStanding[]> {
    const member = await this.members.find(group, actor);
    return member ? this.standingsOf(group, member) : [];
  }

  /** A member's projects, each with its words and pace today. */
  async standingsOf(group: Group, member: Member): Promise<ProjectStanding[]> {
    const projects = await listProjects(this.deps.db, member.id);
    const words = await projectWords(this.deps.db, projects.map((p) => p.id));
    const today = this.today(group, member);
    return projects.map((project) => ({ project, words: words.get(project.id) ?? 0, pace: projectPace(project, today, words.get(project.id) ?? 0), today }));
  }

  private async named(group: Group, actor: Actor, name: string | undefined): Promise<{ member: Member; project: Project }> {
    const checked = checkProjectName(name);
    if (!checked.ok) throw new UserError('bad_argument', plain(checked.reason));
    const member = await this.members.find(group, actor);
    const project = member && (await findProjectByName(this.deps.db, member.id, checked.value.key));
    if (!member || !project) throw unknown(checked.value.name);
    return { member, project };
  }

  async switchTo(group: Group, actor: Actor, name: string | undefined): Promise<Project> {
    const { member, project } = await this.named(group, actor, name);
    if (project.archived) throw new UserError('refused', `"${plain(project.name)}" is archived: its words are kept, but it takes no more logs.`);
    // Two updates, one change: a switch that fails halfway leaves no member without their current project.
    await this.deps.db.transaction().execute((trx) => makeCurrent(trx, member.id, project.id));
    return { ...project, current: true };
  }

  async archive(group: Group, actor: Actor, name: string | undefined): Promise<Project> {
    const { project } = await this.named(group, actor, name);
    if (project.archived) throw new UserError('refused', `"${plain(project.name)}" is archived already.`);
    await archiveProject(this.deps.db, project.id, this.deps.clock.now());
    return { ...project, current: false, archived: true };
  }

  /** A project (the current one unless named) with its progress chart: words over time against the par line. */
  async show(group: Group, actor: Actor, name: string | undefined): Promise<ProjectStanding & { picture: Picture }> {
    let member: Member | undefined;
    let project: Project | undefined;
    if (name) ({ member, project } = await this.named(group, actor, name));
    else {
      member = await this.members.find(group, actor);
      project = member && (await findCurrentProject(this.deps.db, member.id));
      if (!member || !project) throw new UserError('not_found', 'You have no current project. /project create <name> [target words] [deadline] starts one.');
    }
    const today = this.today(group, member);
    const byDate = await projectWordsByDate(this.deps.db, project.id);
    const firstLogged = [...byDate.keys()].sort()[0];
    const from = firstLogged && firstLogged < project.startDate ? firstLogged : project.startDate;
    // The chart runs to the deadline (past or not), or without one to today.
    const to = project.deadline ?? (today > from ? today : addDays(from, 1));
    const upTo = today < to ? today : to;
    const values = cumulativeWords(from, upTo, byDate);
    const words = [...byDate.values()].reduce((sum, w) => sum + w, 0);
    const data: ProgressChartData = {
      title: project.name,
      from,
      to,
      values,
      target: project.deadline ? project.targetWords : null,
      unit: 'words',
      deadline: project.deadline !== null,
    };
    const picture = await drawPicture(this.deps.logger, { groupId: group.id, picture: 'project chart' }, progressChartAlt(data), () => this.deps.settings.svgToPng(progressChartSvg(data)));
    return { project, words, pace: projectPace({ ...project, startDate: from }, today, words), today, picture };
  }

  /**
   * In a log's own transaction: the log goes to the project named, or else to the member's current
   * project (one statement either way). An unknown or archived name refuses the whole log.
   */
  async assign(trx: Db, member: Member, logId: number, name: string | undefined): Promise<void> {
    if (name === undefined) return assignToCurrent(trx, member.id, logId);
    const checked = checkProjectName(name);
    if (!checked.ok) throw new UserError('bad_argument', plain(checked.reason));
    const project = await findProjectByName(trx, member.id, checked.value.key);
    if (!project) throw unknown(checked.value.name);
    if (project.archived) throw new UserError('refused', `"${plain(project.name)}" is archived: its words are kept, but it takes no more logs.`);
    await assignToProject(trx, project.id, logId);
  }
}
