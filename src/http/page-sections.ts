import { formatDate, formatNumber, plural } from '../core/format';
import type { Group } from '../domain/group';
import type { PeriodName } from '../domain/periods';
import type { PageArticle } from '../domain/web-page';
import { followerChartAlt, followerChartSvg } from '../render/follower-chart';
import { groupCalendarAlt, groupCalendarSvg } from '../render/group-calendar';
import { streakCalendarAlt, streakCalendarSvg } from '../render/streak-calendar';
import { type ChallengeBoard, challengeCount } from '../services/challenge-service';
import { goalLine } from '../services/goal-messages';
import type { BoardName, BoardRow } from '../services/leaderboard-service';
import type { MemberPage, PageAccess, WebPageService } from '../services/web-page-service';
import { figure, type Html, html } from './page-html';

/** What every section of a page may use: the group the link opened, the page service, and links within this link. */
export interface PageContext {
  access: PageAccess;
  group: Group;
  pages: WebPageService;
  /** When the page was drawn. */
  now: number;
  /** Members who left this group's page only, read once per drawing. */
  pageHidden(): Promise<Set<number>>;
  memberHref(memberId: number): Promise<string>;
  articleHref(articleId: number): Promise<string>;
}

/**
 * A section of the group's page: one small function that reads what it shows and returns its HTML,
 * or nothing to leave itself out. The page is its sections in this order; a new one is one entry.
 */
export type GroupSection = (ctx: PageContext) => Promise<Html | undefined>;

/** A section of a member's page, given what the member page read. */
export type MemberSection = (ctx: PageContext, page: MemberPage) => Promise<Html | undefined>;

const PLACES = 10;

interface BoardShown {
  name: BoardName;
  title: string;
  value(row: BoardRow): string;
  /** Left out when empty (sprints in a group that runs none). */
  optional?: boolean;
  /** As things stand now, not over the period (streaks). */
  now?: boolean;
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${formatNumber(n)}`;

const BOARDS_SHOWN: Record<'week' | 'month', BoardShown[]> = {
  week: [
    { name: 'words', title: 'Words', value: (r) => formatNumber(r.score) },
    { name: 'streaks', title: 'Streaks now', now: true, value: (r) => `${plural(r.score, 'day')} (best ${formatNumber(r.detail?.longest ?? r.score)})` },
    { name: 'followers', title: 'Follower growth', value: followerValue },
    { name: 'reads', title: 'First-hour reads given', value: (r) => formatNumber(r.score) },
    { name: 'sprints', title: 'Sprint words', value: sprintValue, optional: true },
  ],
  month: [
    { name: 'words', title: 'Words', value: (r) => formatNumber(r.score) },
    { name: 'followers', title: 'Follower growth', value: followerValue },
    { name: 'reads', title: 'First-hour reads given', value: (r) => formatNumber(r.score) },
    { name: 'sprints', title: 'Sprint words', value: sprintValue, optional: true },
  ],
};

function followerValue(row: BoardRow): string {
  const percent = row.detail?.percent;
  return `${signed(row.score)}${percent === null || percent === undefined ? '' : ` (${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%)`}`;
}

function sprintValue(row: BoardRow): string {
  return `${formatNumber(row.score)} in ${plural(row.detail?.sprints ?? 0, 'sprint')}`;
}

async function boardTable(ctx: PageContext, shown: BoardShown, period: PeriodName, label: string): Promise<Html | undefined> {
  const rows = await ctx.pages.board(ctx.group, shown.name, period, PLACES, await ctx.pageHidden());
  if (rows.length === 0 && shown.optional) return undefined;
  const caption = shown.now ? shown.title : `${shown.title}, ${label}`;
  if (rows.length === 0) return html`<div class="card"><h3>${caption}</h3><p class="muted">Nobody yet.</p></div>`;
  const body = await Promise.all(
    rows.map(async (row) => html`<tr><td class="num">${row.rank}</td><td><a href="${await ctx.memberHref(row.member.id)}">${row.member.displayName}</a></td><td class="num">${shown.value(row)}</td></tr>`),
  );
  return html`<div class="card"><table><caption>${caption}</caption><thead><tr><th scope="col" class="num">#</th><th scope="col">Member</th><th scope="col" class="num">Score</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

function boardsSection(period: 'week' | 'month', heading: string, label: string): GroupSection {
  return async (ctx) => {
    const tables = await Promise.all(BOARDS_SHOWN[period].map((b) => boardTable(ctx, b, period, label)));
    return html`<section aria-labelledby="boards-${period}"><h2 id="boards-${period}">${heading}</h2><div class="grid boards">${tables}</div></section>`;
  };
}

const writingCalendar: GroupSection = async (ctx) => {
  const { today, days } = await ctx.pages.calendar(ctx.group);
  const data = { today, weekStart: ctx.group.weekStart, days };
  return html`<section aria-labelledby="calendar"><h2 id="calendar">Writing calendar</h2>${figure(groupCalendarSvg(data), groupCalendarAlt(data), 'calendar-alt')}</section>`;
};

async function articleList(ctx: PageContext, articles: PageArticle[], withAuthor: boolean): Promise<Html> {
  if (articles.length === 0) return html`<p class="muted">No articles announced yet.</p>`;
  const rows = await Promise.all(
    articles.map(async (a) => {
      const author = withAuthor ? html`<td><a href="${await ctx.memberHref(a.authorId)}">${a.authorName}</a></td>` : '';
      return html`<tr><td><a href="${await ctx.articleHref(a.id)}">${a.title}</a></td>${author}<td>${dateIn(ctx.group, a.announcedAt)}</td><td class="num">${formatNumber(a.firstHourReads)}</td><td class="num">${formatNumber(a.laterReads)}</td></tr>`;
    }),
  );
  const authorHead = withAuthor ? html`<th scope="col">Author</th>` : '';
  return html`<div class="card"><table><caption class="muted">Reads in the first hour and later</caption><thead><tr><th scope="col">Article</th>${authorHead}<th scope="col">Announced</th><th scope="col" class="num">First hour</th><th scope="col" class="num">Later</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

const recentArticles: GroupSection = async (ctx) => {
  const articles = await ctx.pages.recentArticles(ctx.group, 20);
  return html`<section aria-labelledby="articles"><h2 id="articles">Recent articles</h2>${await articleList(ctx, articles, true)}</section>`;
};

/** A bar of how far something has come, with its numbers in words beside it for those who cannot see the bar. */
function progressBar(done: number, target: number, label: string): Html {
  return html`<progress max="${target}" value="${Math.min(done, target)}" aria-label="${label}"></progress>`;
}

function challengeCard(ctx: PageContext, board: ChallengeBoard): Promise<Html> {
  const { challenge } = board;
  const rows = board.rows.map(
    async (row) =>
      html`<tr><td class="num">${row.rank}</td><td><a href="${await ctx.memberHref(row.member.id)}">${row.member.displayName}</a></td><td>${progressBar(row.done, challenge.target, `${row.member.displayName}: ${challengeCount(challenge, row.done)} of ${challengeCount(challenge, challenge.target)}`)}</td><td class="num">${challengeCount(challenge, row.done)}${row.reached ? ' ✔' : ''}</td><td class="num">${row.par > 0 ? `${Math.round(row.progress * 100)}%` : '–'}</td></tr>`,
  );
  return Promise.all(rows).then(
    (body) =>
      html`<div class="card"><table><caption>${challenge.name}: ${challengeCount(challenge, challenge.target)} each, ${formatDate(challenge.startDate)} – ${formatDate(challenge.endDate)}</caption><thead><tr><th scope="col" class="num">#</th><th scope="col">Member</th><th scope="col">Progress</th><th scope="col" class="num">Done</th><th scope="col" class="num">Of par</th></tr></thead><tbody>${body}</tbody></table><p class="muted">${plural(board.size, 'writer')}, ${challengeCount(challenge, board.total)} in all${board.reached ? `; ${board.reached} reached the target` : ''}.</p></div>`,
  );
}

const runningChallenges: GroupSection = async (ctx) => {
  const boards = await ctx.pages.runningChallenges(ctx.group, await ctx.pageHidden());
  if (boards.length === 0) return undefined;
  const cards = await Promise.all(boards.map((board) => challengeCard(ctx, board)));
  return html`<section aria-labelledby="challenges"><h2 id="challenges">Challenges</h2><div class="grid">${cards}</div></section>`;
};

/** The group's page, top to bottom. */
export const GROUP_SECTIONS: readonly GroupSection[] = [
  boardsSection('week', 'This week', 'this week'),
  boardsSection('month', 'This month', 'this month'),
  runningChallenges,
  writingCalendar,
  recentArticles,
];

const memberFigures: MemberSection = async (_ctx, { summary }) => {
  const figures = [
    ['Current streak', plural(summary.current, 'day')],
    ['Longest streak', plural(summary.longest, 'day')],
    ['Days logged', formatNumber(summary.daysLogged)],
    ['Words this week', formatNumber(summary.wordsThisWeek)],
    ['Words in total', formatNumber(summary.wordsTotal)],
  ];
  return html`<section aria-labelledby="streaks"><h2 id="streaks">Streaks</h2><dl class="figures">${figures.map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl></section>`;
};

const memberCalendar: MemberSection = async (_ctx, { calendar }) =>
  html`<section aria-labelledby="calendar"><h2 id="calendar">The last 26 weeks</h2>${figure(streakCalendarSvg(calendar), streakCalendarAlt(calendar), 'calendar-alt')}</section>`;

const memberFollowers: MemberSection = async (_ctx, { followers }) => {
  const body = followers ? figure(followerChartSvg(followers), followerChartAlt(followers), 'followers-alt') : html`<p class="muted">No follower counts reported yet.</p>`;
  return html`<section aria-labelledby="followers"><h2 id="followers">Followers</h2>${body}</section>`;
};

const memberArticles: MemberSection = async (ctx, { articles }) =>
  html`<section aria-labelledby="articles"><h2 id="articles">Articles</h2>${await articleList(ctx, articles, false)}</section>`;

const memberGoals: MemberSection = async (ctx, { member }) => {
  const { goals, projects } = await ctx.pages.goalsAndProjects(ctx.group, member);
  if (goals.length === 0 && projects.length === 0) return undefined;
  const goalItems = goals.map((p) => {
    const [done, target] = p.kind === 'period' ? [p.pace.done, p.goal.target] : p.kind === 'followers' ? [p.pace.current, p.pace.target] : [p.current, p.goal.target];
    const line = goalLine(p);
    return html`<li>${progressBar(done, target, line)} ${line}</li>`;
  });
  const projectItems = projects.map(({ project, words, pace }) => {
    const target = project.targetWords;
    const plan = target === null ? '' : ` of ${formatNumber(target)}${project.deadline ? ` by ${formatDate(project.deadline)}` : ''}`;
    const onPace = pace && target !== null && words < target ? ` · ${formatNumber(pace.perDayNeeded)} a day to stay on pace · ${pace.ahead >= 0 ? `${formatNumber(pace.ahead)} ahead of` : `${formatNumber(-pace.ahead)} behind`} par` : '';
    const line = `${project.name}${project.current ? ' (current)' : ''}: ${plural(words, 'word')}${plan}${target !== null && words >= target ? ' · done ✔' : ''}${onPace}`;
    return html`<li>${target === null ? '' : progressBar(words, target, line)} ${line}</li>`;
  });
  return html`<section aria-labelledby="goals"><h2 id="goals">Goals and projects</h2>${goalItems.length ? html`<h3>Goals</h3><ul class="progress">${goalItems}</ul>` : ''}${projectItems.length ? html`<h3>Projects</h3><ul class="progress">${projectItems}</ul>` : ''}</section>`;
};

/** A member's page, top to bottom. */
export const MEMBER_SECTIONS: readonly MemberSection[] = [memberFigures, memberGoals, memberCalendar, memberFollowers, memberArticles];

/** A formatter per zone: making one costs far more than using it. Zones are a known, finite list. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-06-29 14:05" in the group's zone. */
export function dateIn(group: Group, instant: number): string {
  let format = dateFormats.get(group.timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: group.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateFormats.set(group.timezone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
