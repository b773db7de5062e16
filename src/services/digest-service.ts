import { formatDate, formatNumber, NAMES_SHOWN, plain, plural, shortList } from '../core/format';
import { channelReply, privateReply, type Reply, type ReplyImage } from '../core/reply';
import { type FollowerStanding, membersReportingSince } from '../db/follower.repository';
import { membersWhoLogged, milestonesBetween, publicationsBetween } from '../db/leaderboard.repository';
import { findListedMembers, listMembers } from '../db/member.repository';
import { countFinishedSprints } from '../db/sprint.repository';
import { findStreak, streaksBegunIn, streaksCoveredBetween } from '../db/streak.repository';
import { listVacations, vacationsOfMembers } from '../db/vacation.repository';
import type { Group } from '../domain/group';
import { addDays, type LocalDate, localDateOf } from '../domain/local-date';
import { type ListedMember, type Member, memberCalendar } from '../domain/member';
import { type DateSpan, weekOf } from '../domain/periods';
import { endedStreakBounds, streakEndedIn, streakOn } from '../domain/streak';
import { followerChartAlt, followerChartSvg } from '../render/follower-chart';
import { leaderboardCardAlt, leaderboardCardSvg } from '../render/leaderboard-card';
import { drawPicture, type Picture } from './draw-picture';
import type { ChallengeService } from './challenge-service';
import type { GoalService } from './goal-service';
import { platformName } from './follower-service';
import { type BoardRow, type LeaderboardService, spanInstants } from './leaderboard-service';
import type { ServiceDeps } from './service-deps';

const TOP = 5;

/** The date part of an occurrence key ('2026-03-16T09:00'). */
const dateOf = (occurrenceKey: string): LocalDate => occurrenceKey.slice(0, 10);

/** The week a digest covers: the one holding the day before it goes out. */
export function digestWeek(group: Group, occurrenceKey: string): DateSpan {
  return weekOf(addDays(dateOf(occurrenceKey), -1), group.weekStart);
}

const CHART_WEEKS = 12;

function cardRows(rows: BoardRow[], value: (row: BoardRow) => string) {
  return rows.slice(0, TOP).map((row) => ({ rank: row.rank, name: row.member.displayName, value: value(row) }));
}

function rankedLine(rows: BoardRow[], value: (row: BoardRow) => string): string {
  return rows
    .slice(0, TOP)
    .map((row) => `${row.rank}. ${plain(row.member.displayName)} ${value(row)}`)
    .join(' · ');
}

/** What the scheduled posts say: the weekly and daily digests, the followers reminder, and streak-at-risk nudges (src/scheduler/jobs.ts posts them). */
export class DigestService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly leaderboards: LeaderboardService,
    private readonly goals?: GoalService,
    private readonly challenges?: ChallengeService,
  ) {}

  /** "🏃 Sprints: 3 run. Most words: 1. Cy 450 …", or nothing in a week without sprints. */
  private async sprintLine(group: Group, week: DateSpan, start: number, end: number): Promise<string | undefined> {
    const ran = await countFinishedSprints(this.deps.db, group.id, start, end);
    if (ran === 0) return undefined;
    const board = await this.leaderboards.boardFor(group, 'sprints', week, { limit: TOP });
    const top = board.rows.filter((r) => r.score > 0);
    return `🏃 Sprints: ${ran} run.${top.length ? ` Most words: ${rankedLine(top, (r) => formatNumber(r.score))}` : ''}`;
  }

  /** Last week in the group, as one post: leaderboards, words, articles, readers, milestones, streaks begun and ended. */
  async weekly(group: Group, occurrenceKey: string): Promise<Reply> {
    const { db } = this.deps;
    const week = digestWeek(group, occurrenceKey);
    const { start, end } = spanInstants(group, week);
    // Every query starts at once. Words and reads are ranked by the database; the streak board and
    // the week's streak changes read only the streaks that can be on them; the chart is drawn as soon
    // as the follower rankings are known.
    const standingsSoon = this.leaderboards.standings(group, week, TOP);
    const [words, streaks, followers, readers, publications, milestones, changes, chart] = await Promise.all([
      this.leaderboards.scoredBoard(group, 'words', week, TOP),
      this.leaderboards.boardFor(group, 'streaks', week, { limit: TOP }),
      standingsSoon.then((standings) => this.leaderboards.followerBoard(week, standings)),
      this.leaderboards.scoredBoard(group, 'reads', week, TOP),
      publicationsBetween(db, group.id, start, end),
      milestonesBetween(db, group.id, start, end),
      this.streakChanges(group, week),
      standingsSoon.then((standings) => this.followerChart(group, week, standings.leaders)),
    ]);
    const lines: string[] = [];
    if (words.rows.length)
      lines.push(`✍️ Words: ${formatNumber(words.total)} from ${plural(words.size, 'writer')}. ${rankedLine(words.rows, (r) => formatNumber(r.score))}`);
    if (streaks.rows.some((r) => r.score > 0))
      lines.push(`🔥 Streaks: ${rankedLine(streaks.rows.filter((r) => r.score > 0), (r) => plural(r.score, 'day'))}`);
    if (followers.rows.length || followers.newcomerCount) {
      const gains = rankedLine(followers.rows, (r) => {
        const percent = r.detail?.percent;
        return `${r.score >= 0 ? '+' : ''}${formatNumber(r.score)}${percent === null || percent === undefined ? '' : ` (${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%)`}`;
      });
      const newcomers = shortList(followers.newcomers, (n) => `${plain(n.member.displayName)} (${formatNumber(n.total)})`, followers.newcomerCount);
      lines.push(`👥 Followers: ${[gains, newcomers && `new: ${newcomers}`].filter(Boolean).join('. ')}`);
    }
    if (publications.length)
      lines.push(
        `📣 Articles: ${publications
          .map((p) => `"${plain(p.title)}" by ${plain(p.authorName)}: ${plural(p.firstHourReads, 'first-hour read')}`)
          .join('; ')}`,
      );
    const cardData = {
      title: `Week of ${formatDate(week.from)}: leaders`,
      columns: [
        { heading: 'Streaks', rows: cardRows(streaks.rows.filter((r) => r.score > 0), (r) => plural(r.score, 'day')) },
        { heading: 'Words', rows: cardRows(words.rows, (r) => formatNumber(r.score)) },
        {
          heading: 'Follower growth',
          // Newcomers (a first count, no gain yet) follow the gains, so the column is empty only when the board is.
          rows: [
            ...cardRows(followers.rows, (r) => `${r.score >= 0 ? '+' : ''}${formatNumber(r.score)}`),
            ...followers.newcomers.map((n) => ({ rank: null, name: n.member.displayName, value: `new ${formatNumber(n.total)}` })),
          ].slice(0, TOP),
        },
      ],
    };
    // Drawn while the rest of the digest is read.
    const cardSoon = drawPicture(this.deps.logger, { groupId: group.id, picture: 'leaders card' }, leaderboardCardAlt(cardData), () =>
      this.deps.settings.svgToPng(leaderboardCardSvg(cardData)),
    );
    const sprintLine = await this.sprintLine(group, week, start, end);
    if (sprintLine) lines.push(sprintLine);
    if (this.challenges) lines.push(...(await this.challenges.digestLines(group, week)));
    if (readers.rows.length) lines.push(`📚 Top readers: ${rankedLine(readers.rows, (r) => String(r.score))}`);
    const responders = await this.leaderboards.boardFor(group, 'responses', week, { limit: TOP });
    if (responders.rows.length) lines.push(`💬 The group's most generous readers: ${rankedLine(responders.rows, (r) => plural(r.score, 'response'))}`);
    const shownMilestones = milestones.filter((m) => !m.memberHidden);
    if (shownMilestones.length)
      lines.push(
        `🏅 Milestones: ${shownMilestones
          .map((m) =>
            m.kind === 'streak'
              ? `${plain(m.memberName)}, ${m.value} days in a row`
              : `${plain(m.memberName)}, ${formatNumber(m.value)} followers on ${platformName(m.kind.split(':')[1] ?? '')}`,
          )
          .join('; ')}`,
      );
    if (changes.started.count) lines.push(`🌱 Started a streak: ${shortList(changes.started.members, (m) => plain(m.displayName), changes.started.count)}`);
    if (changes.ended.length) lines.push(`💤 Streak ended: ${shortList(changes.ended, (m) => plain(m.displayName))}. Today is a fine day to begin again.`);
    if (lines.length === 0) lines.push('A quiet week: nothing was logged. This week is a fresh start!');
    const title = `📬 Weekly digest: ${formatDate(week.from)} – ${formatDate(week.to)}`;
    const card = await cardSoon;
    // A picture that cannot be drawn is left out, and its text alternative said instead.
    const images: ReplyImage[] = [];
    for (const [fileName, picture] of [['leaders.png', card], ['followers.png', chart]] as const) {
      if (picture?.png) images.push({ fileName, png: picture.png, alt: picture.alt });
      else if (picture) lines.push(`🖼️ ${plain(picture.alt)}`);
    }
    return channelReply([title, ...lines].join('\n'), {
      title,
      fields: [
        { label: 'Words', value: formatNumber(words.total) },
        { label: 'Articles', value: String(publications.length) },
        { label: 'First-hour reads', value: String(readers.total) },
      ],
      images,
    });
  }

  /** The top members' follower counts over the 12 weeks to the digest week, and the group's total; none without counts or when it cannot be drawn. */
  private async followerChart(group: Group, week: DateSpan, leaders: FollowerStanding[]): Promise<Picture | undefined> {
    if (leaders.length === 0) return undefined;
    const weeks = Array.from({ length: CHART_WEEKS }, (_, i) => weekOf(addDays(week.from, -7 * (CHART_WEEKS - 1 - i)), group.weekStart));
    const top = leaders.slice(0, TOP);
    const [history, members] = await Promise.all([this.leaderboards.followerHistory(group, weeks, top), findListedMembers(this.deps.db, top.map((m) => m.memberId))]);
    const data = {
      title: `Followers, 12 weeks to ${formatDate(week.to)}`,
      weeks: weeks.map((w) => formatDate(w.to).slice(4)),
      members: top.flatMap(({ memberId }) => (members.has(memberId) ? [{ name: members.get(memberId)!.displayName, values: history.members.get(memberId)! }] : [])),
      total: history.total,
    };
    return drawPicture(this.deps.logger, { groupId: group.id, picture: 'follower chart' }, followerChartAlt(data), () => this.deps.settings.svgToPng(followerChartSvg(data)));
  }

  /** Who logged the day before the daily digest goes out. */
  async daily(group: Group, occurrenceKey: string): Promise<Reply> {
    const yesterday = addDays(dateOf(occurrenceKey), -1);
    const [logged, members] = await Promise.all([membersWhoLogged(this.deps.db, group.id, yesterday), listMembers(this.deps.db, group.id)]);
    const writers = members.filter((m) => logged.has(m.id) && !m.hidden);
    const day = formatDate(yesterday);
    return channelReply(
      writers.length
        ? `📅 ${day}: ${plural(writers.length, 'member')} wrote: ${shortList(writers, (m) => plain(m.displayName))}. Keep it going!` : `📅 ${day}: nobody logged any writing. Today is a good day to start!`,
    );
  }

  /** The day before the digest: one message naming who has not reported followers this week (names, no pings). */
  async followersReminder(group: Group, digestKey: string): Promise<Reply | undefined> {
    const { start } = spanInstants(group, digestWeek(group, digestKey));
    const members = (await listMembers(this.deps.db, group.id)).filter((m) => !m.hidden);
    const [thisWeek, ever] = await Promise.all([membersReportingSince(this.deps.db, group.id, start), membersReportingSince(this.deps.db, group.id, 0)]);
    // Only those who track followers at all: the rest never asked for reminders.
    const missing = members.filter((m) => ever.has(m.id) && !thisWeek.has(m.id));
    if (missing.length === 0) return undefined;
    return channelReply(
      `📊 The weekly digest comes out tomorrow. Not reported followers this week: ${shortList(missing, (m) => plain(m.displayName))}. /followers <count> takes a second.`,
    );
  }

  /** The streak-at-risk nudge, if the member's streak (2+ days) is still waiting for today's writing. */
  async streakNudge(group: Group, member: Member): Promise<Reply | undefined> {
    const calendar = memberCalendar(member, group.timezone);
    const today = localDateOf(this.deps.clock.now(), calendar);
    const [state, vacations] = await Promise.all([findStreak(this.deps.db, member.id), listVacations(this.deps.db, member.id)]);
    const shown = streakOn(state, today, calendar, vacations);
    if (shown.current < 2 || !shown.atRisk) return undefined;
    const goal = await this.goals?.nudge(group, member);
    if (goal) return privateReply(`🔥 Your ${shown.current}-day writing streak is waiting for today's words: ${goal}. Log before your day ends: /log 250`);
    return privateReply(`🔥 Your ${shown.current}-day writing streak is waiting for today's words. Log before your day ends: /log 250`);
  }

  /**
   * Members whose streak began in the week (how many, and the first few), and those whose streak of
   * 2+ days ended in it, checked among the few streaks whose covered time ends where an ended one's can.
   */
  private async streakChanges(group: Group, week: DateSpan): Promise<{ started: { count: number; members: ListedMember[] }; ended: ListedMember[] }> {
    const { db } = this.deps;
    const [started, candidates] = await Promise.all([streaksBegunIn(db, group.id, week, NAMES_SHOWN), streaksCoveredBetween(db, group.id, endedStreakBounds(week))]);
    const vacations = await vacationsOfMembers(db, candidates.map((c) => c.member.id));
    const ended = candidates.filter(({ member, streak }) => streakEndedIn(streak, week, memberCalendar(member, group.timezone), vacations.get(member.id) ?? []));
    return { started, ended: ended.map((c) => c.member) };
  }
}
