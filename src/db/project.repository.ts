import type { LocalDate } from '../domain/local-date';
import type { Project } from '../domain/projects';
import type { Db } from './database';
import { prepared } from './prepared';
import type { ProjectRow } from './project.table';

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    memberId: row.member_id,
    name: row.name,
    targetWords: row.target_words === null ? null : Number(row.target_words),
    deadline: row.deadline,
    startDate: row.start_date,
    current: row.is_current === 1,
    archived: row.archived_at !== null,
  };
}

/** Adds a project; undefined when the member already has one of that name. */
export async function insertProject(
  db: Db,
  row: Pick<ProjectRow, 'member_id' | 'group_id' | 'name' | 'name_key' | 'target_words' | 'deadline' | 'start_date' | 'is_current' | 'created_at'>,
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('projects')
    .values({ ...row, archived_at: null })
    .onConflict((oc) => oc.columns(['member_id', 'name_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** A member's projects: the active ones, then the archived. */
export async function listProjects(db: Db, memberId: number): Promise<Project[]> {
  const rows = await db.selectFrom('projects').selectAll().where('member_id', '=', memberId).orderBy('id').execute();
  // Active projects first, then the archived, each oldest first.
  return rows.map(toProject).sort((a, b) => Number(a.archived) - Number(b.archived));
}

export async function findProjectByName(db: Db, memberId: number, nameKey: string): Promise<Project | undefined> {
  const row = await db.selectFrom('projects').selectAll().where('member_id', '=', memberId).where('name_key', '=', nameKey).executeTakeFirst();
  return row && toProject(row);
}

export async function findCurrentProject(db: Db, memberId: number): Promise<Project | undefined> {
  const row = await db.selectFrom('projects').selectAll().where('member_id', '=', memberId).where('is_current', '=', 1).executeTakeFirst();
  return row && toProject(row);
}

export async function countProjects(db: Db, memberId: number): Promise<number> {
  const row = await db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Makes a project the member's current one (and no other). */
export async function makeCurrent(db: Db, memberId: number, projectId: number): Promise<void> {
  await db.updateTable('projects').set({ is_current: 0 }).where('member_id', '=', memberId).where('is_current', '=', 1).where('id', '!=', projectId).execute();
  await db.updateTable('projects').set({ is_current: 1 }).where('id', '=', projectId).execute();
}

/** Archives a project: it keeps its words but takes no more logs, and is no longer current. */
export async function archiveProject(db: Db, projectId: number, now: number): Promise<void> {
  await db.updateTable('projects').set({ archived_at: now, is_current: 0 }).where('id', '=', projectId).execute();
}

// Every /log of a member runs this: the log goes to their current project, if they have one, in one
// statement that reads nothing first (a member with no project inserts nothing).
const assignCurrentQuery = prepared((db: Db, a: { logId: number; memberId: number }) =>
  db
    .insertInto('project_logs')
    .columns(['log_id', 'project_id'])
    .expression((eb) => eb.selectFrom('projects').select([eb.val(a.logId).as('log_id'), 'projects.id']).where('projects.member_id', '=', a.memberId).where('projects.is_current', '=', 1)),
);

export async function assignToCurrent(db: Db, memberId: number, logId: number): Promise<void> {
  await assignCurrentQuery(db, { logId, memberId });
}

export async function assignToProject(db: Db, projectId: number, logId: number): Promise<void> {
  await db.insertInto('project_logs').values({ log_id: logId, project_id: projectId }).execute();
}

/** Each project's words: the words of the logs that went to it. */
export async function projectWords(db: Db, projectIds: number[]): Promise<Map<number, number>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('project_logs')
    .innerJoin('logs', 'logs.id', 'project_logs.log_id')
    .select((eb) => ['project_logs.project_id', eb.fn.sum<number>('logs.words').as('words')])
    .where('project_logs.project_id', 'in', projectIds)
    .groupBy('project_logs.project_id')
    .execute();
  return new Map(rows.map((r) => [r.project_id, Number(r.words)]));
}

/** A project's words per logged date. */
export async function projectWordsByDate(db: Db, projectId: number): Promise<Map<LocalDate, number>> {
  const rows = await db
    .selectFrom('project_logs')
    .innerJoin('logs', 'logs.id', 'project_logs.log_id')
    .select((eb) => ['logs.local_date', eb.fn.sum<number>('logs.words').as('words')])
    .where('project_logs.project_id', '=', projectId)
    .groupBy('logs.local_date')
    .execute();
  return new Map(rows.map((r) => [r.local_date, Number(r.words)]));
}

/** Rows of the members' projects (for /export). */
export async function listProjectRows(db: Db, memberIds: number[]): Promise<ProjectRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('projects').selectAll().where('member_id', 'in', memberIds).orderBy('id').execute();
}
