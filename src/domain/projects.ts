import { addDays, daysBetween, isLocalDate, type LocalDate } from './local-date';
import { type Checked, paceIn, type Pace } from './goals';

export const MAX_PROJECT_NAME = 40;
export const MAX_PROJECT_WORDS = 10_000_000;
/** Projects a member may keep, archived ones included. */
export const MAX_PROJECTS = 50;
export const MAX_PROJECT_YEARS = 10;

export interface Project {
  id: number;
  memberId: number;
  name: string;
  targetWords: number | null;
  deadline: LocalDate | null;
  startDate: LocalDate;
  current: boolean;
  archived: boolean;
}

/** A project's name as a member may give it, and the key it is unique by (case does not count). */
export function checkProjectName(input: string | undefined): Checked<{ name: string; key: string }> {
  const name = (input ?? '').trim().replace(/\s+/g, ' ');
  if (!name) return { ok: false, reason: 'A project needs a name: /project create novel 50000 2026-11-30.' };
  if (name.length > MAX_PROJECT_NAME) return { ok: false, reason: `A project name is at most ${MAX_PROJECT_NAME} characters; that one has ${name.length}.` };
  return { ok: true, value: { name, key: name.toLowerCase() } };
}

/** A project's target and deadline: both optional, a deadline today or later. */
export function checkProjectPlan(target: number | undefined, deadline: string | undefined, today: LocalDate): Checked<{ targetWords: number | null; deadline: LocalDate | null }> {
  if (target !== undefined && (!Number.isSafeInteger(target) || target < 1 || target > MAX_PROJECT_WORDS))
    return { ok: false, reason: `A project's target is a number of words from 1 to ${MAX_PROJECT_WORDS.toLocaleString('en-US')}; got ${target}.` };
  if (deadline !== undefined) {
    if (!isLocalDate(deadline)) return { ok: false, reason: `A deadline is a date, YYYY-MM-DD, like 2026-11-30; got "${deadline}".` };
    if (deadline < today) return { ok: false, reason: `A deadline cannot be in the past (today is ${today}); got ${deadline}.` };
    if (daysBetween(today, deadline) > MAX_PROJECT_YEARS * 366) return { ok: false, reason: `A deadline may be at most ${MAX_PROJECT_YEARS} years ahead; got ${deadline}.` };
    if (target === undefined) return { ok: false, reason: 'A deadline needs a target to pace toward: /project create novel 50000 2026-11-30.' };
  }
  return { ok: true, value: { targetWords: target ?? null, deadline: deadline ?? null } };
}

/** Pace from the project's start to its deadline: par today, and the words each day left needs. */
export function projectPace(project: Pick<Project, 'startDate' | 'targetWords' | 'deadline'>, today: LocalDate, words: number): Pace | undefined {
  if (project.targetWords === null || project.deadline === null) return undefined;
  const from = project.startDate <= project.deadline ? project.startDate : project.deadline;
  return paceIn({ from, to: project.deadline }, today > project.deadline ? project.deadline : today, project.targetWords, words);
}

/** Words added up day by day from `from` to `to`, one value per date: the line the progress chart draws. */
export function cumulativeWords(from: LocalDate, to: LocalDate, wordsByDate: ReadonlyMap<LocalDate, number>): number[] {
  const days = Math.max(0, daysBetween(from, to) + 1);
  const out: number[] = [];
  let total = [...wordsByDate].filter(([date]) => date < from).reduce((sum, [, words]) => sum + words, 0);
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    total += wordsByDate.get(date) ?? 0;
    out.push(total);
  }
  return out;
}
