import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { dateOption } from '../src/router/options';
import { formatDate, formatNumber, plain } from '../src/core/format';
import { privateReply } from '../src/core/reply';
import { MAX_PROJECT_NAME, MAX_PROJECT_WORDS } from '../src/domain/projects';
import type { ProjectStanding } from '../src/services/project-service';

/** "Novel: 12,300 of 50,000 words by Mon 30 Nov · 1,240 a day to stay on pace · 800 behind par (13,100)". */
export function projectLine({ project, words, pace }: ProjectStanding): string {
  const name = plain(project.name);
  const marks = `${project.current ? ' (current)' : ''}${project.archived ? ' (archived)' : ''}`;
  if (project.targetWords === null) return `${name}${marks}: ${formatNumber(words)} words`;
  const head = `${name}${marks}: ${formatNumber(words)} of ${formatNumber(project.targetWords)} words${project.deadline ? ` by ${formatDate(project.deadline)}` : ''}`;
  if (words >= project.targetWords) return `${head} · done ✔`;
  if (!pace) return `${head} · ${formatNumber(project.targetWords - words)} to go`;
  const par = pace.ahead === 0 ? 'on par' : `${formatNumber(Math.abs(pace.ahead))} ${pace.ahead > 0 ? 'ahead of' : 'behind'} par (${formatNumber(pace.par)})`;
  return `${head} · ${formatNumber(pace.perDayNeeded)} a day to stay on pace · ${par}`;
}

export default defineCommand({
  name: 'project',
  description: 'Your writing projects: words toward a target and a deadline, with a progress chart',
  options: z.object({
    action: z.enum(['show', 'create', 'list', 'switch', 'archive']).optional().describe('show (default), create, list, switch or archive'),
    name: z.string().min(1).max(MAX_PROJECT_NAME + 20).optional().describe('The project'),
    target: z.number().int().min(1).max(MAX_PROJECT_WORDS).optional().describe('create: the words it should reach'),
    deadline: dateOption('create: the date to reach them by, YYYY-MM-DD').optional(),
  }),
  // A name may have spaces: `/project create Short stories 20000 2027-01-31`, `/project switch short stories`.
  positional: ['action', 'name', 'target'],
  positionalFor: { switch: ['action', 'name'], archive: ['action', 'name'], show: ['action', 'name'] },
  moreHelp: [
    'create <name> [target words] [deadline]: a new project; your first becomes the current one.',
    'switch <name>: logs (and sprint words) go to it from now on; /log 500 project:<name> sends one log elsewhere.',
    'list: every project with its words and pace; archive <name> keeps its words and takes no more logs.',
    'show [name] (or just /project): the progress chart, words over time against the par line, the deadline marked.',
  ],
  run: async (ctx, args) => {
    const { projects } = ctx.services;
    switch (args.action ?? 'show') {
      case 'create': {
        const standing = await projects.create(ctx.group, ctx.actor, args);
        return privateReply(`📚 Project created. ${projectLine(standing)}${standing.project.current ? '. Your logs go to it now.' : `. /project switch ${plain(standing.project.name)} to log to it.`}`);
      }
      case 'list': {
        const all = await projects.list(ctx.group, ctx.actor);
        if (all.length === 0) return privateReply('No projects yet. /project create <name> [target words] [deadline] starts one.');
        return privateReply(['Your projects', ...all.map((p) => `• ${projectLine(p)}`)].join('\n'), { title: 'Your projects' });
      }
      case 'switch': {
        const project = await projects.switchTo(ctx.group, ctx.actor, args.name);
        return privateReply(`📚 Your logs go to ${plain(project.name)} now.`);
      }
      case 'archive': {
        const project = await projects.archive(ctx.group, ctx.actor, args.name);
        return privateReply(`📦 ${plain(project.name)} is archived: its words are kept, and it takes no more logs.`);
      }
      default: {
        ctx.services.limits.take('picture', ctx.group, ctx.actor);
        const shown = await projects.show(ctx.group, ctx.actor, args.name);
        const line = projectLine(shown);
        const text = shown.picture.png ? line : `${line}\nThe chart could not be drawn this time. ${shown.picture.alt}`;
        const images = shown.picture.png ? [{ fileName: 'project.png', png: shown.picture.png, alt: shown.picture.alt }] : undefined;
        return privateReply(text, { title: plain(shown.project.name), ...(images && { images }) });
      }
    }
  },
});
