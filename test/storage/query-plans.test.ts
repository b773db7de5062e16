import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/invocation';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { addGroupAdmin, findGroupByChannel, upsertGroup } from '../../src/db/group.repository';
import { findLogByMessage, insertLog } from '../../src/db/log.repository';
import { findMemberByUserId, findMembersByUserIds, insertPeopleAndMembers } from '../../src/db/member.repository';
import { addToFollowerPeriods, followerStandings, topFollowerTotals } from '../../src/db/follower.repository';
import { streaksBegunIn, streaksByLength, streaksCoveredBetween } from '../../src/db/streak.repository';
import { endedStreakBounds } from '../../src/domain/streak';
import { topByTotals } from '../../src/db/leaderboard.repository';
import { addResponseTotals, addToTotals, totalsSummary } from '../../src/db/member-totals.repository';
import { countSendingsSince, findResponse } from '../../src/db/response.repository';
import { migrateToLatest } from '../../src/db/migrate';
import { changesOn } from '../../src/domain/running-totals';
import { refreshStatistics } from '../../src/db/statistics';
import { addToCalendarDay, calendarDays } from '../../src/db/group-calendar.repository';
import type { Group } from '../../src/domain/group';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';
import { constrainedColumns, plansOf, type TableAccess } from '../support/query-plans';

const NOW = Date.parse('2026-03-10T12:00:00Z');
/** Tables that grow with a group's size or history: never read whole by a hot query. */
const BIG_TABLES = ['people', 'members', 'logs', 'reads', 'publications', 'streaks', 'follower_snapshots', 'member_totals', 'responses', 'group_calendar_days'];

function scansOfBigTables(plans: TableAccess[][]): TableAccess[] {
  return plans.flat().filter((a) => BIG_TABLES.includes(a.table) && a.kind === 'scan');
}

function accessOf(plans: TableAccess[][], table: string): TableAccess {
  const found = plans.flat().find((a) => a.table === table);
  if (!found) throw new Error(`no access to ${table} in ${JSON.stringify(plans)}`);
  return found;
}

for (const dialect of DIALECTS) {
  describe(`query plans on ${dialect}`, () => {
    let testDb: TestDatabase;
    let handle: DatabaseHandle;
    let group: Group;

    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
      handle = openDatabase(testDb.config);
      await migrateToLatest(handle);
      // Two workspaces with people of the same user ids, so a lookup must say which workspace it means.
      for (const workspaceId of ['W1', 'W2']) {
        const groupId = await upsertGroup(handle.db, { platform: 'slack', workspaceId, channelId: 'C1', announceChannelId: 'C1', timezone: 'UTC', createdBy: 'U0' }, NOW);
        const actors: Actor[] = Array.from({ length: 1000 }, (_, i) => ({ platform: 'slack', workspaceId, userId: `U${i}`, displayName: `Writer ${i}`, isAdmin: false }));
        await insertPeopleAndMembers(handle.db, groupId, actors, NOW);
      }
      group = (await findGroupByChannel(handle.db, 'slack', 'W1', 'C1'))!;
      const writers = await findMembersByUserIds(handle.db, group, Array.from({ length: 200 }, (_, i) => `U${i}`));
      for (const [i, member] of writers.entries()) {
        await insertLog(handle.db, {
          member_id: member.id, group_id: group.id, local_date: '2026-03-10', zone: 'UTC', rollover_hour: 0, words: 100 + i, minutes: 0,
          url: null, note: null, source: 'chat', event_key: `e${i}`, message_id: `M${i}`, logged_at: NOW,
        });
      }
      await addToTotals(handle.db, writers.flatMap((member, i) => changesOn({ memberId: member.id, groupId: group.id }, '2026-03-10', group.weekStart, { words: 100 + i, days: 1, reads: i % 3 })));
      for (const [i, member] of writers.entries()) await handle.db.updateTable('members').set({ follower_total: 10 * i }).where('id', '=', member.id).execute();
      // This week, 150 writers gained i followers each and 50 reported for the first time; all have streaks of the same length.
      await addToFollowerPeriods(
        handle.db,
        writers.map((member, i) => ({ memberId: member.id, groupId: group.id, period: 'week:2026-03-09', gain: i, firstReport: i < 50 ? 1 : 0, endTotal: 10 * i })),
      );
      await handle.db
        .insertInto('streaks')
        .values(
          writers.map((member, i) => ({
            member_id: member.id, group_id: group.id, current: 7, longest: 7, freezes: 0, run: 7,
            // A few began or were last covered this week; most long before.
            start_date: i < 20 ? '2026-03-04' : '2025-06-01', last_date: '2026-03-10', covered_until: Date.parse(i < 10 ? '2026-03-05T00:00:00Z' : '2026-01-01T00:00:00Z'),
            last_start: null, updated_at: NOW,
          })),
        )
        .execute();
      // Half a year of the group's calendar.
      for (let day = 0; day < 182; day++)
        await addToCalendarDay(handle.db, { groupId: group.id, date: new Date(NOW - day * 86_400_000).toISOString().slice(0, 10), writers: 1 + (day % 50), words: 1000 + day });
      // As the daily refresh would: plans are judged with statistics, as they run in production.
      await refreshStatistics(handle);
    });
    afterAll(async () => {
      await handle.close();
      await testDb.drop();
    });

    it("GIVEN a channel looked up THEN its group and its admins are one query, the admins found by their group's key", async () => {
      const other = (await findGroupByChannel(handle.db, 'slack', 'W2', 'C1'))!;
      for (const [groupId, userId] of [[group.id, 'U2'], [group.id, 'U1'], [other.id, 'U9']] as const) await addGroupAdmin(handle.db, groupId, userId, NOW);
      try {
        const plans = await plansOf(handle.db, dialect, (db) => findGroupByChannel(db, 'slack', 'W1', 'C1'));
        expect(plans).toHaveLength(1);
        expect(constrainedColumns(accessOf(plans, 'group_admins'))).toContain('group_id');
        expect((await findGroupByChannel(handle.db, 'slack', 'W1', 'C1'))!.admins).toEqual(['U1', 'U2']);
        expect((await findGroupByChannel(handle.db, 'slack', 'W2', 'C1'))!.admins).toEqual(['U9']);
      } finally {
        await handle.db.deleteFrom('group_admins').execute();
      }
      expect((await findGroupByChannel(handle.db, 'slack', 'W1', 'C1'))!.admins).toEqual([]);
    });

    it('GIVEN a member looked up by user id THEN people are found by their unique key and members by theirs', async () => {
      const plans = await plansOf(handle.db, dialect, (db) => findMemberByUserId(db, group, 'U7'));
      expect(scansOfBigTables(plans)).toEqual([]);
      expect(constrainedColumns(accessOf(plans, 'people'))).toEqual(expect.arrayContaining(['platform', 'workspace_id', 'user_id']));
      expect(constrainedColumns(accessOf(plans, 'members'))).toContain('person_id');
    });

    it('GIVEN many user ids looked up at once THEN each is an index probe of people and of members', async () => {
      const plans = await plansOf(handle.db, dialect, (db) => findMembersByUserIds(db, group, ['U1', 'U2', 'U3']));
      expect(scansOfBigTables(plans)).toEqual([]);
      expect(constrainedColumns(accessOf(plans, 'people'))).toEqual(expect.arrayContaining(['platform', 'workspace_id', 'user_id']));
      expect(constrainedColumns(accessOf(plans, 'members'))).toContain('person_id');
    });

    it('GIVEN a lookup by user id THEN it finds the member of this workspace only', async () => {
      const member = await findMemberByUserId(handle.db, group, 'U7');
      expect(member).toMatchObject({ userId: 'U7', groupId: group.id });
      expect(await findMembersByUserIds(handle.db, group, ['U7', 'U8', 'nobody'])).toHaveLength(2);
      expect(await findMemberByUserId(handle.db, { ...group, workspaceId: 'W3' }, 'U7')).toBeUndefined();
    });

    it("GIVEN the group page's calendar THEN it is one range of the group's days by key", async () => {
      const plans = await plansOf(handle.db, dialect, async (db) => expect((await calendarDays(db, group.id, '2025-09-10', '2026-03-10')).size).toBe(182));
      expect(scansOfBigTables(plans)).toEqual([]);
      expect(constrainedColumns(accessOf(plans, 'group_calendar_days'))).toEqual(expect.arrayContaining(['group_id', 'local_date']));
    });

    it('GIVEN a chat message edited THEN its log is found by the message index', async () => {
      const plans = await plansOf(handle.db, dialect, (db) => findLogByMessage(db, group.id, 'M1'));
      expect(scansOfBigTables(plans)).toEqual([]);
      expect(constrainedColumns(accessOf(plans, 'logs'))).toEqual(expect.arrayContaining(['group_id', 'message_id']));
    });

    for (const [board, period] of [['words', 'all'], ['words', 'week:2026-03-09'], ['reads', 'month:2026-03'], ['words', 'year:2026']] as const) {
      it(`GIVEN the ${board} board of ${period} THEN its first places are one index range of the group's period, in score order`, async () => {
        const plans = await plansOf(handle.db, dialect, (db) => topByTotals(db, group.id, period, board, 10));
        expect(scansOfBigTables(plans)).toEqual([]);
        const totals = accessOf(plans, 'member_totals');
        expect(totals.index).toBe(`member_totals_${board}`);
        expect(constrainedColumns(totals)).toEqual(expect.arrayContaining(['group_id', 'period']));
        const places = await topByTotals(handle.db, group.id, period, board, 10);
        expect(places.map((p) => p.score)).toEqual([...places.map((p) => p.score)].sort((a, b) => b - a));
        expect(places.length).toBeGreaterThan(0);
      });
    }

    it("GIVEN a digest's count and sum of writers THEN they are read from the period's index range alone", async () => {
      const plans = await plansOf(handle.db, dialect, (db) => totalsSummary(db, group.id, 'week:2026-03-09', 'words'));
      expect(scansOfBigTables(plans)).toEqual([]);
      expect(constrainedColumns(accessOf(plans, 'member_totals'))).toEqual(expect.arrayContaining(['group_id', 'period']));
      expect(await totalsSummary(handle.db, group.id, 'week:2026-03-09', 'words')).toEqual({ size: 200, total: 200 * 100 + (199 * 200) / 2 });
    });

    it("GIVEN a period's followers board THEN gainers and newcomers are index ranges of the period, in board order", async () => {
      const period = 'week:2026-03-09';
      const plans = await plansOf(handle.db, dialect, (db) => followerStandings(db, group.id, period, undefined, 5));
      expect(scansOfBigTables(plans)).toEqual([]);
      const periods = plans.flat().filter((a) => a.table === 'follower_periods');
      expect(periods.map((a) => a.index).sort()).toEqual(['follower_periods_gainers', 'follower_periods_newcomers', 'follower_periods_newcomers']);
      for (const access of periods) expect(constrainedColumns(access)).toEqual(expect.arrayContaining(['group_id', 'period']));
      expect(plans.filter((plan) => plan.some((a) => a.kind === 'sort'))).toEqual([]);
      const standings = await followerStandings(handle.db, group.id, period, undefined, 5);
      expect(standings.gainers.map((g) => g.atEnd! - g.atStart!)).toEqual([199, 198, 197, 196, 195]);
      expect(standings.newcomerCount).toBe(50);
      expect(standings.newcomers.map((n) => n.memberId)).toEqual([...standings.newcomers.map((n) => n.memberId)].sort((a, b) => a - b));
    });

    it('GIVEN the streaks board THEN it reads streaks off their index in board order, with no sort of ties', async () => {
      const plans = await plansOf(handle.db, dialect, (db) => streaksByLength(db, group.id, { offset: 0, size: 10 }));
      expect(scansOfBigTables(plans)).toEqual([]);
      expect(accessOf(plans, 'streaks').index).toBe('streaks_group_rank');
      expect(plans.flat().filter((a) => a.kind === 'sort')).toEqual([]);
      expect((await streaksByLength(handle.db, group.id, { offset: 0, size: 10 })).map((s) => s.streak.current)).toEqual(Array(10).fill(7));
    });

    it("GIVEN a digest's streaks begun and ended in its week THEN each is found by an index range of the group's streaks", async () => {
      const week = { from: '2026-03-02', to: '2026-03-08' };
      const plans = await plansOf(handle.db, dialect, async (db) => {
        await streaksBegunIn(db, group.id, week, 5);
        await streaksCoveredBetween(db, group.id, endedStreakBounds(week));
      });
      expect(scansOfBigTables(plans)).toEqual([]);
      const indexes = plans.flat().filter((a) => a.table === 'streaks').map((a) => a.index);
      expect(indexes).toEqual(expect.arrayContaining(['streaks_group_start', 'streaks_group_covered']));
      expect(indexes).not.toContain('streaks_group_rank');
      expect((await streaksBegunIn(handle.db, group.id, week, 5)).count).toBe(20);
    });

    it('GIVEN the responses board of a week THEN its first places are one index range of its own', async () => {
      const writers = await findMembersByUserIds(handle.db, group, Array.from({ length: 50 }, (_, i) => `U${i}`));
      await addResponseTotals(handle.db, [...writers.values()].map((m, i) => ({ memberId: m.id, groupId: group.id, period: 'week:2026-03-09', given: 1 + (i % 4), received: 0 })));
      const plans = await plansOf(handle.db, dialect, (db) => topByTotals(db, group.id, 'week:2026-03-09', 'responses_given', 10));
      expect(scansOfBigTables(plans)).toEqual([]);
      expect(accessOf(plans, 'member_totals').index).toBe('member_totals_responses');
      expect((await topByTotals(handle.db, group.id, 'week:2026-03-09', 'responses_given', 3)).map((p) => p.score)).toEqual([4, 4, 4]);
    });

    it("GIVEN a response sent THEN the member's response and their sendings of the hour are index reads", async () => {
      for (const plans of [
        await plansOf(handle.db, dialect, (db) => findResponse(db, 1, 1)),
        await plansOf(handle.db, dialect, (db) => countSendingsSince(db, 1, NOW - 3_600_000)),
      ])
        expect(scansOfBigTables(plans)).toEqual([]);
    });

    it('GIVEN the all-time followers board THEN it reads members off their follower index, not the reports', async () => {
      const plans = await plansOf(handle.db, dialect, (db) => topFollowerTotals(db, group.id, 10));
      expect(scansOfBigTables(plans)).toEqual([]);
      expect(plans.flat().map((a) => a.table)).not.toContain('follower_snapshots');
      expect(accessOf(plans, 'members').index).toBe('members_group_followers');
      const leaders = await topFollowerTotals(handle.db, group.id, 3);
      const standings = await followerStandings(handle.db, group.id, 'all', undefined, 3);
      expect(leaders).toEqual(standings.leaders);
    });
  });
}
