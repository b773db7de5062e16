import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/invocation';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { addGroupAdmin, findGroupByChannel, removeAdminEverywhere, upsertGroup } from '../../src/db/group.repository';
import { claimEvent, pruneHandledEvents } from '../../src/db/handled-event.repository';
import { insertFeed, listMemberFeeds, recordFeedFailure } from '../../src/db/feed.repository';
import { followerHistoryOf, insertFollowerSnapshot } from '../../src/db/follower.repository';
import { milestonesBetween, publicationsBetween } from '../../src/db/leaderboard.repository';
import { countLogs, deleteLog, findLatestLog, insertLog, type LogValues, listLoggedDays, sumLogs, toLoggedEntry } from '../../src/db/log.repository';
import {
  deleteBareMember,
  deleteBarePerson,
  deletePerson,
  findMemberByUserId,
  findMembersByName,
  findPersonId,
  insertMember,
  updatePersonCalendar,
  upsertPerson,
} from '../../src/db/member.repository';
import { migrations } from '../../migrations/index';
import { migrateToLatest } from '../../src/db/migrate';
import { recordMilestone } from '../../src/db/milestone.repository';
import { findPublication, insertPublication, markPublicationClosed, retitleOpenPublication } from '../../src/db/publication.repository';
import { findStreak, saveStreak } from '../../src/db/streak.repository';
import { insertVacation, listVacations } from '../../src/db/vacation.repository';
import { EMPTY_STREAK } from '../../src/domain/streak';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';

const NOW = Date.parse('2026-03-10T12:00:00Z');

for (const dialect of DIALECTS) {
  describe(`repositories on ${dialect}`, () => {
    let testDb: TestDatabase;
    let handle: DatabaseHandle;
    let groupId: number;
    let memberId: number;
    const actor: Actor = { platform: 'discord', workspaceId: '1100000000000000001', userId: '1234567890123456789', displayName: 'Bo', isAdmin: false };

    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
      handle = openDatabase(testDb.config);
      expect(await migrateToLatest(handle)).toEqual(Object.keys(migrations));
      groupId = await upsertGroup(handle.db, { platform: 'discord', workspaceId: actor.workspaceId, channelId: '42', announceChannelId: '42', timezone: 'UTC', createdBy: actor.userId }, NOW);
      const personId = await upsertPerson(handle.db, actor, NOW);
      await insertMember(handle.db, groupId, personId, NOW);
      memberId = (await findMemberByUserId(handle.db, groupKey(), actor.userId))!.id;
    });
    afterAll(async () => {
      await handle.close();
      await testDb.drop();
    });

    const groupKey = () => ({ id: groupId, platform: actor.platform, workspaceId: actor.workspaceId });

    const log = (overrides: Partial<LogValues>): LogValues => ({
      member_id: memberId,
      group_id: groupId,
      local_date: '2026-03-10',
      zone: 'UTC',
      rollover_hour: 0,
      source: 'command',
      event_key: `k-${Math.random()}`,
      logged_at: NOW,
      url: null,
      note: null,
      message_id: null,
      words: 0,
      minutes: 0,
      ...overrides,
    });

    it('migrating again changes nothing', async () => {
      expect(await migrateToLatest(handle)).toEqual([]);
    });

    it('keeps platform ids as exact text (snowflakes lose precision as numbers)', async () => {
      const member = await findMemberByUserId(handle.db, groupKey(), '1234567890123456789');
      expect(member).toMatchObject({ userId: '1234567890123456789', displayName: 'Bo', timezone: null, rolloverHour: 0 });
      expect(await findMembersByName(handle.db, groupId, 'BO')).toHaveLength(1);
    });

    it('upserts a group by channel, keeping its id', async () => {
      const again = await upsertGroup(handle.db, { platform: 'discord', workspaceId: actor.workspaceId, channelId: '42', announceChannelId: '43', timezone: 'Asia/Kolkata', createdBy: actor.userId }, NOW + 1);
      expect(again).toBe(groupId);
      const group = await findGroupByChannel(handle.db, 'discord', actor.workspaceId, '42');
      expect(group).toMatchObject({ id: groupId, announceChannelId: '43', timezone: 'Asia/Kolkata', backfillDays: 2, logPattern: null, admins: [] });
    });

    it('inserts a log once per event key and sums by date range', async () => {
      expect(await insertLog(handle.db, log({ event_key: 'ev-1', words: 500, minutes: 30 }))).toBeTypeOf('number');
      expect(await insertLog(handle.db, log({ event_key: 'ev-1', words: 999 }))).toBeUndefined();
      await insertLog(handle.db, log({ event_key: 'ev-2', words: 250, local_date: '2026-03-09', zone: 'Asia/Tokyo' }));
      expect(await sumLogs(handle.db, memberId)).toEqual({ words: 750, minutes: 30, entries: 2, days: 2 });
      expect(await sumLogs(handle.db, memberId, { from: '2026-03-10', to: '2026-03-10' })).toEqual({ words: 500, minutes: 30, entries: 1, days: 1 });
      expect(await sumLogs(handle.db, memberId, { from: '2027-01-01', to: '2027-01-02' })).toEqual({ words: 0, minutes: 0, entries: 0, days: 0 });
      expect((await listLoggedDays(handle.db, memberId)).sort((a, b) => a.date.localeCompare(b.date))).toEqual([
        { date: '2026-03-09', zone: 'Asia/Tokyo', rolloverHour: 0 },
        { date: '2026-03-10', zone: 'UTC', rolloverHour: 0 },
      ]);
      expect((await findLatestLog(handle.db, memberId))?.event_key).toBe('ev-2');
      expect(await countLogs(handle.db, [memberId])).toBe(2);
    });

    it('round-trips a streak state with epoch-millisecond bigints as numbers', async () => {
      expect(await findStreak(handle.db, memberId)).toEqual(EMPTY_STREAK);
      const state = {
        current: 3,
        longest: 9,
        freezes: 1,
        run: 3,
        startDate: '2026-03-08',
        lastDate: '2026-03-10',
        coveredUntil: Date.parse('2026-03-11T00:00:00Z'),
        lastStart: Date.parse('2026-03-10T00:00:00Z'),
      };
      await saveStreak(handle.db, { id: memberId, groupId }, state, NOW);
      await saveStreak(handle.db, { id: memberId, groupId }, { ...state, current: 4 }, NOW);
      expect(await findStreak(handle.db, memberId)).toEqual({ ...state, current: 4 });
    });

    it('records a milestone once', async () => {
      const milestone = { memberId, groupId, kind: 'streak', value: 7, periodKey: '2026-03-01' };
      expect(await recordMilestone(handle.db, milestone, NOW)).toBe(true);
      expect(await recordMilestone(handle.db, milestone, NOW)).toBe(false);
      expect(await recordMilestone(handle.db, { ...milestone, periodKey: '2026-04-01' }, NOW)).toBe(true);
    });

    it('claims an event key once, and prunes old claims', async () => {
      expect(await claimEvent(handle.db, 'slack:Ev1', NOW)).toBe(true);
      expect(await claimEvent(handle.db, 'slack:Ev1', NOW)).toBe(false);
      await pruneHandledEvents(handle.db, NOW + 1);
      expect(await claimEvent(handle.db, 'slack:Ev1', NOW)).toBe(true);
    });

    it('keeps vacations per member', async () => {
      await insertVacation(handle.db, memberId, '2026-03-01', NOW);
      expect(await listVacations(handle.db, memberId)).toEqual([{ start: '2026-03-01', end: null }]);
    });

    it('takes back only a bare membership and a bare person: data, a setting or another membership keeps them', async () => {
      const newcomer: Actor = { ...actor, userId: '2234567890123456789', displayName: 'Nell' };
      const personId = await upsertPerson(handle.db, newcomer, NOW);
      await insertMember(handle.db, groupId, personId, NOW);
      const member = (await findMemberByUserId(handle.db, groupKey(), newcomer.userId))!;
      const logId = await insertLog(handle.db, log({ member_id: member.id, words: 10 }));
      await deleteBareMember(handle.db, member.id);
      await deleteBarePerson(handle.db, personId);
      expect(await findMemberByUserId(handle.db, groupKey(), newcomer.userId)).toEqual(member);
      await deleteLog(handle.db, logId!);
      await deleteBareMember(handle.db, member.id);
      expect(await findMemberByUserId(handle.db, groupKey(), newcomer.userId)).toBeUndefined();
      await updatePersonCalendar(handle.db, personId, { timezone: 'Asia/Kolkata' });
      await deleteBarePerson(handle.db, personId);
      expect(await findPersonId(handle.db, newcomer)).toBe(personId);
      await updatePersonCalendar(handle.db, personId, { timezone: null });
      await deleteBarePerson(handle.db, personId);
      expect(await findPersonId(handle.db, newcomer)).toBeUndefined();
    });

    it('renames an announcement for its author while its first hour is open, and never after', async () => {
      const windowEndsAt = NOW + 3_600_000;
      const id = (await insertPublication(handle.db, {
        group_id: groupId,
        member_id: memberId,
        url: 'https://bo.example/my-post',
        canonical_url: 'https://bo.example/my-post',
        title: 'My Post',
        source: 'command',
        announced_at: NOW,
        window_ends_at: windowEndsAt,
      }))!;
      expect(await retitleOpenPublication(handle.db, id, { memberId: memberId + 1, title: 'Not Theirs', now: NOW })).toBe(false);
      expect(await retitleOpenPublication(handle.db, id, { memberId, title: 'Too Late', now: windowEndsAt + 1 })).toBe(false);
      expect(await retitleOpenPublication(handle.db, id, { memberId, title: 'My Real Title', now: windowEndsAt })).toBe(true);
      await markPublicationClosed(handle.db, id, windowEndsAt);
      expect(await retitleOpenPublication(handle.db, id, { memberId, title: 'Closed', now: NOW })).toBe(false);
      expect((await findPublication(handle.db, id))?.title).toBe('My Real Title');
    });

    it('hands the layers above domain values, not rows: feeds, follower counts, articles, milestones and logs', async () => {
      const feedId = (await insertFeed(handle.db, { groupId, memberId, url: 'https://bo.example/feed', title: 'Bo writes', etag: null, lastModified: null, nextPollAt: NOW }, NOW))!;
      await recordFeedFailure(handle.db, feedId, { failures: 1, firstFailureAt: NOW, error: 'HTTP 500', nextPollAt: NOW + 60_000, notified: false });
      expect(await listMemberFeeds(handle.db, memberId)).toEqual([{ id: feedId, url: 'https://bo.example/feed', title: 'Bo writes', failures: 1, lastError: 'HTTP 500' }]);
      await insertFollowerSnapshot(handle.db, { memberId, groupId, platform: 'medium', count: 120, total: 120, previousTotal: null, recordedAt: NOW, eventKey: 'f-1' });
      expect(await followerHistoryOf(handle.db, memberId)).toEqual([{ platform: 'medium', count: 120, total: 120, recordedAt: NOW }]);
      const [article] = await publicationsBetween(handle.db, groupId, NOW, NOW + 1);
      expect(article).toEqual({ id: expect.any(Number), title: 'My Real Title', url: 'https://bo.example/my-post', authorName: 'Bo', firstHourReads: 0 });
      expect(await milestonesBetween(handle.db, groupId, NOW, NOW + 1)).toContainEqual({ memberId, memberName: 'Bo', memberHidden: false, kind: 'streak', value: 7 });
      await insertLog(handle.db, log({ event_key: 'ev-latest', words: 320, minutes: 15, local_date: '2026-03-08' }));
      expect(toLoggedEntry((await findLatestLog(handle.db, memberId))!)).toEqual({ date: '2026-03-08', words: 320, minutes: 15 });
    });

    it('deletes everything about a person in one cascade, and their admin entries', async () => {
      await addGroupAdmin(handle.db, groupId, actor.userId, NOW);
      await removeAdminEverywhere(handle.db, actor);
      expect((await findGroupByChannel(handle.db, 'discord', actor.workspaceId, '42'))?.admins).toEqual([]);
      const personId = (await findPersonId(handle.db, actor))!;
      await deletePerson(handle.db, personId);
      for (const table of ['members', 'logs', 'streaks', 'vacations', 'milestones'] as const) {
        const rows = await handle.db.selectFrom(table).selectAll().execute();
        expect(rows, table).toEqual([]);
      }
    });
  });
}
