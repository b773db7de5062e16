/**
 * The names of the scheduled jobs, as stored in scheduled_jobs.job: the planner and the services that
 * schedule a job, and the registry that runs it, all spell a name from here.
 */
export const JOB_NAMES = {
  firstHourClose: 'first-hour-close',
  weeklyDigest: 'weekly-digest',
  dailyDigest: 'daily-digest',
  followersReminder: 'followers-reminder',
  streakNudge: 'streak-nudge',
  sprintStart: 'sprint-start',
  sprintEnd: 'sprint-end',
  sprintResults: 'sprint-results',
  challengeWrapUp: 'challenge-wrap-up',
} as const;

export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];
