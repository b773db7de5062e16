import { type Cipher, createCipheriv, createDecipheriv, createHash, createHmac, type Decipher, randomBytes } from 'node:crypto';
import { formatDate } from '../core/format';
import { followerHistoryOf } from '../db/follower.repository';
import { calendarDays } from '../db/group-calendar.repository';
import { findMemberById } from '../db/member.repository';
import {
  articleReaders,
  articlesBy,
  findByTokenHash,
  findPageArticle,
  findPageSalt,
  pageHiddenMembers,
  pageSecret,
  recentArticles,
  savePageToken,
} from '../db/web-page.repository';
import type { ChallengeBoard, ChallengeService } from './challenge-service';
import type { GoalService } from './goal-service';
import type { ProjectService, ProjectStanding } from './project-service';
import type { GoalProgress } from './goal-messages';
import type { Group } from '../domain/group';
import { rankStandings } from '../domain/challenges';
import { rank } from '../domain/leaderboard';
import { LruCache } from '../domain/lru-cache';
import { addDays, dayEnd, type LocalDate } from '../domain/local-date';
import type { Member } from '../domain/member';
import { type PeriodName, weekOf } from '../domain/periods';
import { type GroupCalendar, PAGE_REF, PAGE_TOKEN, type PageArticle, type PageReader } from '../domain/web-page';
import type { FollowerChartData } from '../render/follower-chart';
import { type CalendarData, calendarStart } from '../render/streak-calendar';
import type { GroupService } from './group-service';
import type { BoardName, BoardRow, LeaderboardService } from './leaderboard-service';
import type { ServiceDeps } from './service-deps';
import type { StreakService, StreakSummary } from './streak-service';

interface RefCiphers {
  seal: Cipher;
  open: Decipher;
}

/** A page link that opened: its group, and the salt its member and article ids are sealed with. */
export interface PageAccess {
  group: Group;
  salt: string;
}

export interface MemberPage {
  member: Member;
  summary: StreakSummary;
  calendar: CalendarData;
  /** Undefined before the member's first follower count. */
  followers?: FollowerChartData;
  articles: PageArticle[];
}

export interface ArticlePage {
  article: PageArticle;
  /** Readers shown on the page (hidden ones are left out). */
  readers: PageReader[];
}

const FOLLOWER_WEEKS = 12;
const REF_KIND = { member: 1, article: 2 } as const;
type RefKind = keyof typeof REF_KIND;

const base64url = (bytes: Buffer) => bytes.toString('base64url');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The group's web page: its link (a token per group, derived from the deployment's key and the
 * group's salt and stored only as its SHA-256), the opaque ids of members and articles in its paths,
 * and what each page shows, read through the leaderboard and streak services. Members hidden with
 * /privacy, everywhere or from the page only, are left out of everything a page lists.
 */
export class WebPageService {
  private secret?: Promise<Buffer>;
  private readonly ciphers = new LruCache<RefCiphers>(1000);
  private baseUrl = 'http://127.0.0.1:3000';

  constructor(
    private readonly deps: ServiceDeps,
    private readonly groups: GroupService,
    private readonly leaderboards: LeaderboardService,
    private readonly streaks: StreakService,
    private readonly writing: { goals: GoalService; projects: ProjectService; challenges: ChallengeService },
  ) {
    if (deps.settings.publicUrl) this.baseUrl = deps.settings.publicUrl;
  }

  /** Where the page is served when PUBLIC_URL is unset: the address the server listens on. */
  useAddress(url: string): void {
    if (!this.deps.settings.publicUrl) this.baseUrl = url;
  }

  /** The group's link, made on first use. */
  async link(group: Group): Promise<string> {
    const salt = (await findPageSalt(this.deps.db, group.id)) ?? (await this.newSalt(group));
    return this.urlOf(group, salt);
  }

  /** A new link for the group: the old one stops working at once. */
  async rotate(group: Group): Promise<string> {
    return this.urlOf(group, await this.newSalt(group));
  }

  /** The group a link's token opens, if any, and only while its page is on. */
  async open(token: string): Promise<PageAccess | undefined> {
    if (!PAGE_TOKEN.test(token)) return undefined;
    const found = await findByTokenHash(this.deps.db, sha256(token));
    if (!found) return undefined;
    // The stored hash is looked up, then the token is derived again: a hash collision alone opens nothing.
    if ((await this.tokenOf(found.groupId, found.salt)) !== token) return undefined;
    const group = await this.groups.get(found.groupId).catch(() => undefined);
    if (!group || group.dashboard === 'off') return undefined;
    return { group, salt: found.salt };
  }

  /** The opaque id of a member or an article in this group's paths. */
  async ref(access: PageAccess, kind: RefKind, id: number): Promise<string> {
    const block = Buffer.alloc(16);
    block[0] = REF_KIND[kind];
    block.writeBigUInt64BE(BigInt(id), 8);
    return base64url((await this.refCiphers(access)).seal.update(block));
  }

  /** The id an opaque id stands for, if it was made for this group's link and this kind. */
  async idOf(access: PageAccess, kind: RefKind, ref: string): Promise<number | undefined> {
    if (!PAGE_REF.test(ref)) return undefined;
    const sealed = Buffer.from(ref, 'base64url');
    if (sealed.length !== 16) return undefined;
    const block = (await this.refCiphers(access)).open.update(sealed);
    if (block[0] !== REF_KIND[kind] || block.subarray(1, 8).some((b) => b !== 0)) return undefined;
    const id = block.readBigUInt64BE(8);
    return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : undefined;
  }

  /** Members of the group who left its page only: a drawing reads them once for all its boards. */
  pageHidden(group: Group): Promise<Set<number>> {
    return pageHiddenMembers(this.deps.db, group.id);
  }

  /** A board's first places as the page shows them: members hidden from the page left out, places counted again. */
  async board(group: Group, name: BoardName, period: PeriodName, limit: number, hidden?: Set<number>): Promise<BoardRow[]> {
    hidden ??= await this.pageHidden(group);
    const board = await this.leaderboards.board(group, name, period, limit + hidden.size);
    const shown = board.rows.filter((row) => !hidden.has(row.member.id) && (name !== 'streaks' || row.score > 0 || (row.detail?.longest ?? 0) > 0));
    const key = (row: BoardRow) => [row.score, row.detail?.longest ?? 0, row.detail?.sprints ?? 0];
    return rank(shown, key, limit).map(({ rank: place, entry }) => ({ ...entry, rank: place }));
  }

  /** How many wrote on each day of the last 26 weeks, and their words (kept with the logs, so one read). */
  async calendar(group: Group): Promise<{ today: LocalDate; days: GroupCalendar }> {
    const today = this.leaderboards.today(group);
    return { today, days: await calendarDays(this.deps.db, group.id, calendarStart(today, group.weekStart), today) };
  }

  recentArticles(group: Group, limit: number): Promise<PageArticle[]> {
    return recentArticles(this.deps.db, group.id, limit);
  }

  /** A member's page, if the member is in this group and shown on its page. */
  /** A shown member's goals with their progress today, and their projects with their pace. */
  async goalsAndProjects(group: Group, member: Member): Promise<{ goals: GoalProgress[]; projects: ProjectStanding[] }> {
    const [goals, projects] = await Promise.all([
      this.writing.goals.progress(this.deps.db, group, member, { weekStreaks: true }),
      this.writing.projects.standingsOf(group, member),
    ]);
    return { goals, projects: projects.filter((p) => !p.project.archived) };
  }

  /** The boards of the group's challenges running today, members hidden from the page left out. */
  async runningChallenges(group: Group, hidden?: Set<number>): Promise<ChallengeBoard[]> {
    const [running, left] = await Promise.all([this.writing.challenges.running(group), hidden ?? this.pageHidden(group)]);
    const boards = await Promise.all(running.map((challenge) => this.writing.challenges.board(group, undefined, undefined, challenge)));
    // Places counted again without them, as on the page's other boards.
    return boards.map((board) => ({ ...board, rows: rankStandings(board.rows.filter((row) => !left.has(row.member.id))) }));
  }

  async member(group: Group, memberId: number): Promise<MemberPage | undefined> {
    const { db } = this.deps;
    const member = await findMemberById(db, memberId);
    if (!member || member.groupId !== group.id || member.hidden) return undefined;
    if ((await pageHiddenMembers(db, group.id)).has(member.id)) return undefined;
    const [summary, calendar, snapshots, articles] = await Promise.all([
      this.streaks.summary(group, member),
      this.streaks.calendarData(group, member),
      followerHistoryOf(db, member.id),
      articlesBy(db, group.id, member.id, 20),
    ]);
    return { member, summary, calendar, followers: this.followerChart(group, member, snapshots), articles };
  }

  /** An article's page, if it is this group's and its author is shown on the page. */
  async article(group: Group, articleId: number): Promise<ArticlePage | undefined> {
    const article = await findPageArticle(this.deps.db, group.id, articleId);
    if (!article) return undefined;
    const readers = (await articleReaders(this.deps.db, article.id)).filter((r) => !r.hidden);
    return { article, readers };
  }

  private followerChart(group: Group, member: Member, snapshots: { total: number; recordedAt: number }[]): FollowerChartData | undefined {
    if (snapshots.length === 0) return undefined;
    const today = this.leaderboards.today(group);
    const weeks = Array.from({ length: FOLLOWER_WEEKS }, (_, i) => weekOf(addDays(today, -7 * (FOLLOWER_WEEKS - 1 - i)), group.weekStart));
    const calendar = { zone: group.timezone, rolloverHour: 0 };
    const values = weeks.map((w) => {
      const end = Math.min(dayEnd(w.to, calendar), this.deps.clock.now() + 1);
      const latest = snapshots.findLast((s) => s.recordedAt < end);
      return latest ? latest.total : null;
    });
    if (values.every((v) => v === null)) return undefined;
    return {
      title: `${member.displayName}: followers, ${FOLLOWER_WEEKS} weeks to ${formatDate(weeks.at(-1)!.to)}`,
      weeks: weeks.map((w) => formatDate(w.to).slice(4)),
      members: [{ name: member.displayName, values }],
      total: values.map((v) => v ?? 0),
    };
  }

  private async newSalt(group: Group): Promise<string> {
    const salt = base64url(randomBytes(16));
    await savePageToken(this.deps.db, group.id, salt, sha256(await this.tokenOf(group.id, salt)), this.deps.clock.now());
    return salt;
  }

  private async urlOf(group: Group, salt: string): Promise<string> {
    return `${this.baseUrl.replace(/\/+$/, '')}/g/${await this.tokenOf(group.id, salt)}`;
  }

  /** 144 bits of HMAC-SHA256 over the group and its salt, in base64url. */
  private async tokenOf(groupId: number, salt: string): Promise<string> {
    return base64url(createHmac('sha256', await this.key()).update(`page:${groupId}:${salt}`).digest().subarray(0, 18));
  }

  /**
   * The AES-128 block ciphers a link's ids are sealed and opened with, kept per link. One block in,
   * one block out, with no padding and no chaining, so one cipher serves every id.
   */
  private async refCiphers(access: PageAccess): Promise<RefCiphers> {
    const name = `${access.group.id}:${access.salt}`;
    const known = this.ciphers.get(name);
    if (known) return known;
    const key = createHmac('sha256', await this.key()).update(`refs:${name}`).digest().subarray(0, 16);
    const ciphers = { seal: createCipheriv('aes-128-ecb', key, null).setAutoPadding(false), open: createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false) };
    this.ciphers.set(name, ciphers);
    return ciphers;
  }

  /** DASHBOARD_SECRET, or the key kept in the database (made once). */
  private key(): Promise<Buffer> {
    this.secret ??= (async () => {
      const configured = this.deps.settings.pageSecret;
      if (configured) return Buffer.from(configured);
      return Buffer.from(await pageSecret(this.deps.db, base64url(randomBytes(32))));
    })();
    this.secret.catch(() => (this.secret = undefined));
    return this.secret;
  }
}

