type Key = readonly number[];

/** Negative when `a` ranks before `b`: higher scores first, the next score breaking ties. */
function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (b[i] ?? 0) - (a[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Competition ranking: equal scores share a rank, and the next rank skips (1, 2, 2, 4); ties keep
 * the entries' order. With a limit, only the first `limit` places are kept, found in one pass over a
 * short list instead of sorting everyone: boards show their top, and a group may have thousands.
 */
export function rank<T>(entries: readonly T[], score: (entry: T) => number | Key, limit = Number.POSITIVE_INFINITY): { rank: number; entry: T }[] {
  const keyed = (entry: T) => {
    const s = score(entry);
    return { entry, key: typeof s === 'number' ? [s] : s };
  };
  let top: { entry: T; key: Key }[];
  if (limit >= entries.length) {
    top = entries.map(keyed).sort((a, b) => compareKeys(a.key, b.key));
  } else {
    top = [];
    for (const entry of entries) {
      const item = keyed(entry);
      if (top.length >= limit && compareKeys(item.key, top[top.length - 1]!.key) >= 0) continue;
      let at = top.length;
      while (at > 0 && compareKeys(top[at - 1]!.key, item.key) > 0) at--;
      top.splice(at, 0, item);
      if (top.length > limit) top.pop();
    }
  }
  // Everyone scoring higher than a kept entry is kept too, so its rank is found among the kept.
  const ranked: { rank: number; entry: T }[] = [];
  top.forEach((item, i) => {
    const tied = i > 0 && compareKeys(top[i - 1]!.key, item.key) === 0;
    ranked.push({ rank: tied ? ranked[i - 1]!.rank : i + 1, entry: item.entry });
  });
  return ranked;
}

export type FollowerGain =
  | { kind: 'gain'; total: number; gain: number; percent: number | null }
  /** No count from before the period: a newcomer's total is not a gain. */
  | { kind: 'new'; total: number }
  | { kind: 'none' };

/**
 * Gain over a period: the member's latest total at its end minus their latest total before its
 * start. Without a total before the start, they are new; without any, there is nothing to show.
 */
export function followerGain(before: number | undefined, atEnd: number | undefined): FollowerGain {
  if (atEnd === undefined) return { kind: 'none' };
  if (before === undefined) return { kind: 'new', total: atEnd };
  return { kind: 'gain', total: atEnd, gain: atEnd - before, percent: before > 0 ? ((atEnd - before) / before) * 100 : null };
}

/** A follower report as totals are worked out from it: the member's total after it, and before it. */
export interface FollowerReport {
  member_id: number;
  total: number;
  /** Null for the member's first report. */
  previous_total: number | null;
  recorded_at: number;
}

/** The earliest instant after the epoch: reports from there on are all `totalsAsOf` needs. */
export function earliestInstant(instants: readonly number[]): number {
  return Math.min(...instants.filter((t) => t > 0));
}

/**
 * Each member's follower total as of each instant (after their latest report before it), read from
 * their latest total and the reports since `earliestInstant(instants)`, oldest first. The first report
 * at or after an instant says, as its previous total, what the member had then; without one, nothing
 * changed since, and the latest total holds. Nobody has a total before the epoch.
 */
export function totalsAsOf(latest: ReadonlyMap<number, number>, reports: readonly FollowerReport[], instants: readonly number[]): Map<number, (number | undefined)[]> {
  const totals = new Map<number, (number | undefined)[]>();
  for (const [memberId, total] of latest) totals.set(memberId, instants.map((t) => (t > 0 ? total : undefined)));
  const order = instants.map((_, i) => i).sort((a, b) => instants[a]! - instants[b]!);
  // One pass over the reports, oldest first: each member's next instant waits for their next report.
  const waiting = new Map<number, number>();
  for (const report of reports) {
    const memberTotals = totals.get(report.member_id);
    if (!memberTotals) continue;
    let next = waiting.get(report.member_id) ?? 0;
    for (; next < order.length && instants[order[next]!]! <= report.recorded_at; next++) {
      if (instants[order[next]!]! > 0) memberTotals[order[next]!] = report.previous_total ?? undefined;
    }
    waiting.set(report.member_id, next);
  }
  return totals;
}

export const FOLLOWER_MILESTONES = [100, 500, 1000, 5000, 10_000] as const;
export const FOLLOWER_PLATFORMS = ['medium', 'substack', 'devto', 'hashnode', 'ghost', 'wordpress', 'other'] as const;
export type FollowerPlatform = (typeof FOLLOWER_PLATFORMS)[number];

/** One follower count as a member reported it. */
export interface FollowerSnapshot {
  platform: string;
  count: number;
  /** The member's counts on all platforms added up, this one included. */
  total: number;
  recordedAt: number;
}
