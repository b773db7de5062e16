import type { Outbound } from '../core/chat-adapter';
import { userMention } from '../core/format';
import { privateReply, type Reply } from '../core/reply';
import type { Db } from '../db/database';
import { findGroupById } from '../db/group.repository';
import { findMemberById } from '../db/member.repository';
import { findPublication } from '../db/publication.repository';
import type { ScheduledJobRow } from '../db/scheduled-job.table';
import { announceConversation, type Group } from '../domain/group';
import { JOB_NAMES, type JobName } from '../domain/job-names';
import type { Services } from '../services/index';
import { jobPost } from '../services/job-post';
import type { JobHandler, SchedulerJob } from './scheduler';

/** One kind of scheduled job: how it runs, and whose group hears about it when it keeps failing. */
export interface JobDefinition extends SchedulerJob {
  name: JobName;
  /** The group whose admins are told the job keeps failing; none for a member's own job (a streak nudge). */
  groupOf(job: ScheduledJobRow): Promise<Group | undefined>;
  /** The channel the job posts in, when it is not the group's announcement channel (a sprint's own). */
  channelOf?(job: ScheduledJobRow): Promise<string | undefined>;
}

interface JobDeps {
  db: Db;
  outbound: Outbound;
  services: Services;
}

/** A group's post: it goes to the group's announcement channel, when there is anything to say. */
function groupPost(deps: JobDeps, name: JobName, compose: (group: Group, occurrenceKey: string) => Promise<Reply | undefined>): JobDefinition {
  const groupOf = (job: ScheduledJobRow) => findGroupById(deps.db, Number(job.subject));
  return {
    name,
    groupOf,
    // One post: once it is out (a post that landed after the job's deadline), a retry has nothing left to do.
    run: async (job, markSent) => {
      if (job.message_id) return 'done';
      const group = await groupOf(job);
      const reply = group && (await compose(group, job.period));
      if (!group || !reply) return 'skipped';
      const ref = await deps.outbound.post(announceConversation(group), reply, jobPost(job));
      await markSent(ref.messageId);
      return 'done';
    },
  };
}

/** The streak-at-risk nudge: a direct message, or a mention in the group's channel when direct messages are closed. */
function streakNudge(deps: JobDeps): JobDefinition {
  const { db, outbound, services } = deps;
  return {
    name: JOB_NAMES.streakNudge,
    groupOf: async () => undefined,
    run: async (job, markSent) => {
      if (job.message_id) return 'done';
      const member = await findMemberById(db, Number(job.subject));
      const group = member && (await findGroupById(db, member.groupId));
      if (!member || !group) return 'skipped';
      const reply = await services.digests.streakNudge(group, member);
      if (!reply) return 'skipped';
      const recipient = { platform: group.platform, workspaceId: group.workspaceId, userId: member.userId, displayName: member.displayName };
      if (await outbound.directMessage(recipient, reply)) {
        await markSent('direct-message');
        return 'done';
      }
      const mention = { ...reply, text: `${userMention(member.userId)} ${reply.text}`, visibility: 'channel' as const, pings: { users: [member.userId] } };
      const ref = await outbound.post(announceConversation(group), mention, jobPost(job));
      await markSent(ref.messageId);
      return 'done';
    },
  };
}

/** A sprint's start, its time's up and its results: each claimed once, run by SprintService. */
function sprintJobs(services: Services): JobDefinition[] {
  const { sprints } = services;
  const groupOf = (job: ScheduledJobRow) => sprints.groupOfJob(job);
  const channelOf = (job: ScheduledJobRow) => sprints.channelOfJob(job);
  return [
    { name: JOB_NAMES.sprintStart, groupOf, channelOf, run: (job, markSent) => sprints.runStart(job, markSent) },
    { name: JOB_NAMES.sprintEnd, groupOf, channelOf, run: (job, markSent) => sprints.runEnd(job, markSent) },
    { name: JOB_NAMES.sprintResults, groupOf, channelOf, run: (job, markSent) => sprints.runResults(job, markSent) },
  ];
}

/** Every scheduled job the bot runs. A new kind of job is one more entry here. */
export function jobRegistry(deps: JobDeps): JobDefinition[] {
  const { db, services } = deps;
  const closeWindow: JobHandler = (job, markSent) => services.publications.closeWindow(job, markSent);
  return [
    {
      name: JOB_NAMES.firstHourClose,
      run: closeWindow,
      groupOf: async (job) => {
        const publication = await findPublication(db, Number(job.subject));
        return publication && findGroupById(db, publication.groupId);
      },
    },
    groupPost(deps, JOB_NAMES.weeklyDigest, (group, key) => services.digests.weekly(group, key)),
    groupPost(deps, JOB_NAMES.dailyDigest, (group, key) => services.digests.daily(group, key)),
    groupPost(deps, JOB_NAMES.followersReminder, (group, key) => services.digests.followersReminder(group, key)),
    streakNudge(deps),
    ...sprintJobs(services),
    {
      name: JOB_NAMES.challengeWrapUp,
      groupOf: (job) => services.challenges.groupOfJob(job),
      run: (job, markSent) => services.challenges.runWrapUp(job, markSent),
    },
  ];
}

/**
 * Tells a group's setter-upper and admins, once, that one of its scheduled posts keeps failing: most
 * often the bot can no longer post in the channel (the announcement channel, or a sprint's own),
 * which only they can fix.
 */
export function reportRepeatedFailure(registry: readonly JobDefinition[], outbound: Outbound) {
  return async (job: ScheduledJobRow, error: string): Promise<void> => {
    const entry = registry.find((candidate) => candidate.name === job.job);
    const group = await entry?.groupOf(job);
    if (!entry || !group) return;
    const people = new Set([group.createdBy, ...group.admins].filter((id): id is string => Boolean(id)));
    const what = job.job.replace(/-/g, ' ');
    const ownChannel = await entry.channelOf?.(job);
    // /config channel moves the announcements only; a sprint's channel is where it was started.
    const fix = ownChannel ? 'Check that I can post there.' : 'Check that I can post there, or choose another channel with /config channel.';
    const reply = privateReply(`I couldn't post the ${what} in <#${ownChannel ?? group.announceChannelId}> after several tries (${error}). ${fix}`);
    for (const userId of people) {
      await outbound.directMessage({ platform: group.platform, workspaceId: group.workspaceId, userId, displayName: userId }, reply);
    }
  };
}
