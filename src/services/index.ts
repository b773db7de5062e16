import { fetchPolicy } from '../net/safe-fetch';
import { DEFAULT_PICTURE_SETTINGS } from '../render/picture-pool';
import { ChallengeService } from './challenge-service';
import { DataRightsService } from './data-rights-service';
import { DigestService } from './digest-service';
import { FollowerService } from './follower-service';
import { LeaderboardService } from './leaderboard-service';
import { FeedService } from './feed-service';
import { GoalService } from './goal-service';
import { GroupService } from './group-service';
import { WritingFollowUp } from './log-follow-up';
import { LogService } from './log-service';
import { MemberService } from './member-service';
import { ProjectService } from './project-service';
import { PublicationService } from './publication-service';
import { DEFAULT_RATE_LIMITS, RateLimits } from './rate-limits';
import { ResponseService } from './response-service';
import type { ServiceDeps, ServiceSettings } from './service-deps';
import { SprintService } from './sprint-service';
import { StreakService } from './streak-service';
import { VacationService } from './vacation-service';
import { WebPageService } from './web-page-service';

export type { ServiceDeps, ServiceSettings } from './service-deps';

/** Every setting but `svgToPng`, which the app fills in with its own picture threads. */
export const DEFAULT_SERVICE_SETTINGS: Omit<ServiceSettings, 'svgToPng'> = {
  fetchPolicy: fetchPolicy(),
  feedPollMs: 5 * 60_000,
  feedPollDeadlineMs: 60_000,
  announcementEditIntervalMs: 3000,
  lookupCacheMs: 5000,
  rateLimits: DEFAULT_RATE_LIMITS,
  pictures: DEFAULT_PICTURE_SETTINGS,
};

export interface Services {
  groups: GroupService;
  members: MemberService;
  streaks: StreakService;
  logs: LogService;
  vacations: VacationService;
  dataRights: DataRightsService;
  publications: PublicationService;
  responses: ResponseService;
  feeds: FeedService;
  followers: FollowerService;
  leaderboards: LeaderboardService;
  digests: DigestService;
  sprints: SprintService;
  /** The group's web page: its link, and what its pages show. */
  pages: WebPageService;
  goals: GoalService;
  projects: ProjectService;
  challenges: ChallengeService;
  /** Rate limits on pictures and fetches, per member and per group. */
  limits: RateLimits;
}

export function createServices(deps: ServiceDeps): Services {
  const streaks = new StreakService(deps);
  const members = new MemberService(deps, streaks);
  const groups = new GroupService(deps, members);
  const publications = new PublicationService(deps, groups, members);
  const leaderboards = new LeaderboardService(deps);
  const goals = new GoalService(deps, members);
  const projects = new ProjectService(deps, members);
  const challenges = new ChallengeService(deps, members);
  const logs = new LogService(deps, members, streaks, new WritingFollowUp(goals, projects));
  return {
    groups,
    members,
    streaks,
    logs,
    vacations: new VacationService(deps, members, streaks),
    dataRights: new DataRightsService(deps, members),
    publications,
    responses: new ResponseService(deps, groups, members, publications),
    feeds: new FeedService(deps, groups, members, publications),
    followers: new FollowerService(deps, members),
    leaderboards,
    digests: new DigestService(deps, leaderboards, goals, challenges),
    sprints: new SprintService(deps, members, logs),
    pages: new WebPageService(deps, groups, leaderboards, streaks, { goals, projects, challenges }),
    goals,
    projects,
    challenges,
    limits: new RateLimits(deps.clock, deps.settings.rateLimits),
  };
}
