import type { FollowerReport } from './leaderboard';
import { localDateOf } from './local-date';
import { type PeriodKey, periodKeysOf } from './periods';

/** What one follower report adds to a member's period: its change, whether it is their first, the total after it. */
export interface FollowerPeriodChange {
  memberId: number;
  groupId: number;
  period: PeriodKey;
  gain: number;
  firstReport: 0 | 1;
  endTotal: number;
}

/** The changes a report makes: one per period its date (in the group's zone) counts toward. */
export function reportChanges(group: { id: number; timezone: string; weekStart: number }, report: FollowerReport): FollowerPeriodChange[] {
  const date = localDateOf(report.recorded_at, { zone: group.timezone, rolloverHour: 0 });
  const gain = report.total - (report.previous_total ?? 0);
  const firstReport = report.previous_total === null ? 1 : 0;
  return periodKeysOf(date, group.weekStart).map((period) => ({ memberId: report.member_id, groupId: group.id, period, gain, firstReport, endTotal: report.total }));
}

/**
 * The periods that reports add up to, counted from scratch: gains summed, first reports counted, and
 * each period's total after its last report. Reports come oldest first, as they were made.
 */
export function countFollowerPeriods(group: { id: number; timezone: string; weekStart: number }, reports: readonly FollowerReport[]): FollowerPeriodChange[] {
  const periods = new Map<string, FollowerPeriodChange>();
  for (const report of reports) {
    for (const change of reportChanges(group, { ...report, recorded_at: Number(report.recorded_at) })) {
      const key = `${change.memberId}|${change.period}`;
      const kept = periods.get(key);
      if (!kept) periods.set(key, change);
      else {
        kept.gain += change.gain;
        kept.firstReport = kept.firstReport || change.firstReport ? 1 : 0;
        kept.endTotal = change.endTotal;
      }
    }
  }
  return [...periods.values()];
}
