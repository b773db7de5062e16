import type { Migration } from 'kysely';
import * as core from './20261121000000_core';
import * as publications from './20261121000100_publications';
import * as followersAndDigests from './20261121000200_followers_and_digests';
import * as boardIndexes from './20261122000000_board_indexes';
import * as runningTotals from './20261201000000_running_totals';
import * as commandInbox from './20261201000100_command_inbox';
import * as schedulerNextRun from './20261201000200_scheduler_next_run';
import * as sprints from './20261201000300_sprints';
import * as followerPeriods from './20261201000350_follower_periods';
import * as responses from './20261201000400_responses';
import * as goals from './20261201000500_goals';
import * as projects from './20261201000510_projects';
import * as challenges from './20261201000520_challenges';
import * as webPage from './20261201000600_web_page';
import * as calendarKeptWithLogs from './20261201000650_calendar_kept_with_logs';
import * as slackInstallations from './20261201000700_slack_installations';
import * as scheduledJobGroups from './20261201000800_scheduled_job_groups';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '20261121000000_core': core,
  '20261121000100_publications': publications,
  '20261121000200_followers_and_digests': followersAndDigests,
  '20261122000000_board_indexes': boardIndexes,
  '20261201000000_running_totals': runningTotals,
  '20261201000100_command_inbox': commandInbox,
  '20261201000200_scheduler_next_run': schedulerNextRun,
  '20261201000300_sprints': sprints,
  '20261201000350_follower_periods': followerPeriods,
  '20261201000400_responses': responses,
  '20261201000500_goals': goals,
  '20261201000510_projects': projects,
  '20261201000520_challenges': challenges,
  '20261201000600_web_page': webPage,
  '20261201000650_calendar_kept_with_logs': calendarKeptWithLogs,
  '20261201000700_slack_installations': slackInstallations,
  '20261201000800_scheduled_job_groups': scheduledJobGroups,
};
