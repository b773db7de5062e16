import { formatDate, plain, plural, shortList } from '../core/format';
import type { Actor } from '../core/invocation';
import { channelReply, type Reply } from '../core/reply';
import { UserError } from '../core/user-error';
import {
  challengeByDate,
  challengeEntries,
  challengesEndingFrom,
  countChallengesEndingFrom,
  findChallenge,
  findChallengeByName,
  insertChallenge,
  joinChallenge,
  latestChallenges,
} from '../db/challenge.repository';
import { findGroupById, lockGroup } from '../db/group.repository';
import { findListedMembers } from '../db/member.repository';
import { scheduleJob } from '../db/scheduled-job.repository';
import type { ScheduledJobRow } from '../db/scheduled-job.table';
import { type Challenge, type ChallengeStanding, checkChallenge, MAX_OPEN_CHALLENGES, rankStandings, standingOf } from '../domain/challenges';
import { announceConversation, type Group } from '../domain/group';
import { JOB_NAMES } from '../domain/job-names';
import { addDays, dayEnd, dayStart, daysBetween, type LocalDate, localDateOf } from '../domain/local-date';
import type { ListedMember } from '../domain/member';
import { memberCalendar } from '../domain/member';
import type { DateSpan } from '../domain/periods';
import { progressChartAlt, progressChartSvg, type ProgressChartData } from '../render/progress-chart';
import { drawPicture, type Picture } from './draw-picture';
import { jobPost } from './job-post';
import type { MemberService } from './member-service';
import type { ServiceDeps } from './service-deps';

/** Places a board shows. */
export const CHALLENGE_TOP = 10;

const UNIT: Record<Challenge['kind'], [string, string]> = { words: ['word', 'words'], days: ['day', 'days'], publish: ['article', 'articles'] };
export const challengeCount = (challenge: Pick<Challenge, 'kind'>, n: number) => plural(n, ...UNIT[challenge.kind]);

export interface BoardRow extends ChallengeStanding {
  rank: number;
  member: ListedMember;
}

export interface ChallengeBoard {
  challenge: Challenge;
  today: LocalDate;
  rows: BoardRow[];
  /** Everyone in, hidden members included. */
  size: number;
  total: number;
  reached: number;
  /** The asking member's own place, when they are in but not among the rows shown. */
  mine?: BoardRow;
}

const unknown = (name: string) => new UserError('not_found', `This group has no challenge called "${plain(name)}". /challenge list shows them.`);

/** Group challenges: created by admins, joined by members, ranked by progress against par, wrapped up once at the end. */
export class ChallengeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
  ) {}

  private groupToday(group: Group): LocalDate {
    return localDateOf(this.deps.clock.now(), { zone: group.timezone, rolloverHour: 0 });
  }

  private instants(group: Group, challenge: Pick<Challenge, 'startDate' | 'endDate'>) {
    const calendar = { zone: group.timezone, rolloverHour: 0 };
    return { start: dayStart(challenge.startDate, calendar), end: dayEnd(challenge.endDate, calendar) };
  }

  /**
   * A new challenge (admins only), with its wrap-up scheduled for the end of its last day in the
   * group's zone. A group has at most MAX_OPEN_CHALLENGES open at once, counted with the group held.
   */
  async create(group: Group, actor: Actor, isAdmin: boolean, input: { name?: string; start?: string; end?: string; kind?: string; target?: number }): Promise<Challenge> {
    if (!isAdmin) throw new UserError('refused', 'Only admins can create a challenge. Members join one with /challenge join.');
    const today = this.groupToday(group);
    const checked = checkChallenge(input, today);
    if (!checked.ok) throw new UserError('bad_argument', plain(checked.reason));
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      await lockGroup(trx, group.id);
      if ((await countChallengesEndingFrom(trx, group.id, today)) >= MAX_OPEN_CHALLENGES)
        throw new UserError('refused', `This group has ${MAX_OPEN_CHALLENGES} challenges open, the most it can have at once: a new one can be created once one of them is over (/challenge list shows them).`);
      const id = await insertChallenge(trx, group.id, checked.value, actor.userId, now);
      if (id === undefined) throw new UserError('conflict', `This group already has a challenge called "${plain(checked.value.name)}": pick another name.`);
      await scheduleJob(trx, { job: JOB_NAMES.challengeWrapUp, subject: String(id), period: checked.value.endDate, groupId: group.id }, this.instants(group, checked.value).end, now);
      return (await findChallenge(trx, id))!;
    });
  }

  /** The challenge a command means: the one named, or else the one running (or the next to start, or the latest). */
  private async pick(group: Group, name: string | undefined): Promise<Challenge> {
    if (name?.trim()) {
      const found = await findChallengeByName(this.deps.db, group.id, name.trim().replace(/\s+/g, ' ').toLowerCase());
      if (!found) throw unknown(name.trim());
      return found;
    }
    const today = this.groupToday(group);
    const open = await challengesEndingFrom(this.deps.db, group.id, today);
    const chosen = open.find((c) => c.startDate <= today) ?? open[0] ?? (await latestChallenges(this.deps.db, group.id, 1))[0];
    if (!chosen) throw new UserError('not_found', 'This group has no challenge yet. An admin can start one with /challenge create november.');
    return chosen;
  }

  async join(group: Group, actor: Actor, name: string | undefined): Promise<{ challenge: Challenge; joined: boolean }> {
    const challenge = await this.pick(group, name);
    const today = this.groupToday(group);
    if (challenge.endDate < today) throw new UserError('refused', `"${plain(challenge.name)}" ended on ${formatDate(challenge.endDate)}: there is nothing left to join.`);
    return this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.members.ensure(group, actor, trx);
      const joinedOn = localDateOf(this.deps.clock.now(), memberCalendar(member, group.timezone));
      return { challenge, joined: await joinChallenge(trx, challenge.id, member.id, joinedOn < challenge.startDate ? challenge.startDate : joinedOn, this.deps.clock.now()) };
    });
  }

  async list(group: Group): Promise<Challenge[]> {
    return latestChallenges(this.deps.db, group.id, 10);
  }

  /** The group's challenges running today, latest first. */
  async running(group: Group): Promise<Challenge[]> {
    const today = this.groupToday(group);
    return (await this.list(group)).filter((c) => c.startDate <= today && today <= c.endDate);
  }

  /** The board: every participant ranked by progress against their par today, the first places named. */
  async board(group: Group, actor: Pick<Actor, 'userId'> | undefined, name: string | undefined, challenge?: Challenge, asOf?: LocalDate): Promise<ChallengeBoard> {
    const chosen = challenge ?? (await this.pick(group, name));
    const now = this.groupToday(group);
    // The digest paces the week it covers: par as of its last day.
    const today = asOf && asOf < now ? asOf : now;
    const entries = await challengeEntries(this.deps.db, chosen, group, this.instants(group, chosen));
    const standings = entries.map((e) => ({ ...standingOf(chosen, today, e), hidden: e.hidden }));
    const ranked = rankStandings(standings.filter((s) => !s.hidden));
    const me = actor && (await this.members.find(group, actor));
    const myPlace = me ? ranked.findIndex((r) => r.memberId === me.id) : -1;
    const shown = ranked.slice(0, CHALLENGE_TOP);
    const extra = myPlace >= CHALLENGE_TOP ? [ranked[myPlace]!] : [];
    const names = await findListedMembers(this.deps.db, [...shown, ...extra].map((r) => r.memberId));
    const withName = (r: (typeof ranked)[number]): BoardRow => ({ ...r, member: names.get(r.memberId)! });
    return {
      challenge: chosen,
      today,
      rows: shown.filter((r) => names.has(r.memberId)).map(withName),
      size: entries.length,
      total: entries.reduce((sum, e) => sum + e.done, 0),
      reached: standings.filter((s) => s.reached).length,
      ...(extra[0] && names.has(extra[0].memberId) && { mine: withName(extra[0]) }),
    };
  }

  /** The weekly digest's lines: each challenge that ran during the week, with its leaders on pace. */
  async digestLines(group: Group, week: DateSpan): Promise<string[]> {
    const running = (await challengesEndingFrom(this.deps.db, group.id, week.from)).filter((c) => c.startDate <= week.to);
    const lines: string[] = [];
    for (const challenge of running.slice(0, 3)) {
      const board = await this.board(group, undefined, undefined, challenge, week.to);
      if (board.size === 0) continue;
      const leaders = board.rows
        .slice(0, 5)
        .map((r) => `${r.rank}. ${plain(r.member.displayName)} ${Math.round(r.progress * 100)}% of par`)
        .join(' · ');
      lines.push(`🏁 ${plain(challenge.name)}: ${plural(board.size, 'writer')}, ${challengeCount(challenge, board.total)} in all.${leaders ? ` On pace: ${leaders}` : ''}`);
    }
    return lines;
  }

  /** The group's running total over the challenge's dates against par for everyone in, drawn; none when it cannot be drawn. */
  private async chart(group: Group, challenge: Challenge, size: number, today: LocalDate): Promise<Picture> {
    const instants = this.instants(group, challenge);
    const { dates, announcedAt } = await challengeByDate(this.deps.db, challenge, instants);
    for (const at of announcedAt) {
      const date = localDateOf(at, { zone: group.timezone, rolloverHour: 0 });
      dates.set(date, (dates.get(date) ?? 0) + 1);
    }
    const last = today < challenge.endDate ? today : challenge.endDate;
    const values: number[] = [];
    let total = 0;
    for (let i = 0; i <= daysBetween(challenge.startDate, last); i++) values.push((total += dates.get(addDays(challenge.startDate, i)) ?? 0));
    const data: ProgressChartData = {
      title: `${challenge.name}: the group`,
      from: challenge.startDate,
      to: challenge.endDate,
      values,
      target: challenge.target * Math.max(1, size),
      unit: UNIT[challenge.kind][1],
      deadline: true,
    };
    return drawPicture(this.deps.logger, { groupId: group.id, picture: 'challenge chart' }, progressChartAlt(data), () => this.deps.settings.svgToPng(progressChartSvg(data)));
  }

  /** The end of a challenge: who reached the target, the final places, the group's chart. Posted once (a scheduled job). */
  async runWrapUp(job: ScheduledJobRow, markSent: (messageId: string) => Promise<void>): Promise<'done' | 'skipped'> {
    if (job.message_id) return 'done';
    const challenge = await findChallenge(this.deps.db, Number(job.subject));
    const group = challenge && (await findGroupById(this.deps.db, challenge.groupId));
    if (!challenge || !group) return 'skipped';
    const reply = await this.wrapUp(group, challenge);
    if (!reply) return 'skipped';
    const ref = await this.deps.outbound.post(announceConversation(group), reply, jobPost(job));
    await markSent(ref.messageId);
    return 'done';
  }

  async wrapUp(group: Group, challenge: Challenge): Promise<Reply | undefined> {
    const board = await this.board(group, undefined, undefined, challenge);
    if (board.size === 0) return undefined;
    const entries = await challengeEntries(this.deps.db, challenge, group, this.instants(group, challenge));
    const reachedIds = entries.filter((e) => e.done >= challenge.target && !e.hidden).map((e) => e.memberId);
    const names = await findListedMembers(this.deps.db, reachedIds.slice(0, 10));
    const reachedNames = reachedIds.flatMap((id) => (names.has(id) ? [names.get(id)!] : []));
    const picture = await this.chart(group, challenge, board.size, challenge.endDate);
    const title = `🏁 ${plain(challenge.name)} is over (${formatDate(challenge.startDate)} – ${formatDate(challenge.endDate)})`;
    const lines = [
      title,
      `${plural(board.size, 'writer')}, ${challengeCount(challenge, board.total)} in all.`,
      reachedIds.length
        ? `Reached ${challengeCount(challenge, challenge.target)}: ${shortList(reachedNames, (m) => plain(m.displayName), reachedIds.length)}. 🎉`
        : `Nobody reached ${challengeCount(challenge, challenge.target)} this time; every word counted.`,
      ...board.rows.slice(0, 5).map((r) => `${r.rank}. ${plain(r.member.displayName)}: ${challengeCount(challenge, r.done)}`),
    ];
    if (!picture.png) lines.push(`🖼️ ${plain(picture.alt)}`);
    return channelReply(lines.join('\n'), { title, ...(picture.png && { images: [{ fileName: 'challenge.png', png: picture.png, alt: picture.alt }] }) });
  }

  async groupOfJob(job: ScheduledJobRow): Promise<Group | undefined> {
    const challenge = await findChallenge(this.deps.db, Number(job.subject));
    return challenge && findGroupById(this.deps.db, challenge.groupId);
  }
}
