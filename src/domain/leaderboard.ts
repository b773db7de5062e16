/** Competition ranking: equal scores share a rank, and the next rank skips (1, 2, 2, 4). */
export function rank<T>(entries: readonly T[], score: (entry: T) => number | readonly number[]): { rank: number; entry: T }[] {
  const key = (entry: T) => {
    const s = score(entry);
    return typeof s === 'number' ? [s] : [...s];
  };
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = (b[i] ?? 0) - (a[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  };
  const sorted = entries.map((entry) => ({ entry, key: key(entry) })).sort((a, b) => compare(a.key, b.key));
  return sorted.map((item, i) => {
    let first = i;
    while (first > 0 && compare(sorted[first - 1]!.key, item.key) === 0) first--;
    return { rank: first + 1, entry: item.entry };
  });
}

export interface FollowerSnapshot {
  platform: string;
  count: number;
  recordedAt: number;
}

export type FollowerGain =
  | { kind: 'gain'; total: number; gain: number; percent: number | null }
  /** No count from before the period: a newcomer's total is not a gain. */
  | { kind: 'new'; total: number }
  | { kind: 'none' };

/**
 * Gain over [start, end): per platform, the latest count at the end minus the latest count before the
 * start, summed; platforms first reported inside the period add to the total but not to the gain.
 */
export function followerGain(snapshots: readonly FollowerSnapshot[], start: number, end: number): FollowerGain {
  const byPlatform = new Map<string, { before?: FollowerSnapshot; atEnd?: FollowerSnapshot }>();
  for (const s of snapshots) {
    if (s.recordedAt >= end) continue;
    const entry = byPlatform.get(s.platform) ?? {};
    if (s.recordedAt < start && (!entry.before || s.recordedAt >= entry.before.recordedAt)) entry.before = s;
    if (!entry.atEnd || s.recordedAt >= entry.atEnd.recordedAt) entry.atEnd = s;
    byPlatform.set(s.platform, entry);
  }
  if (byPlatform.size === 0) return { kind: 'none' };
  let total = 0;
  let gain = 0;
  let baseline = 0;
  let hasBaseline = false;
  for (const { before, atEnd } of byPlatform.values()) {
    total += atEnd!.count;
    if (before) {
      hasBaseline = true;
      baseline += before.count;
      gain += atEnd!.count - before.count;
    }
  }
  if (!hasBaseline) return { kind: 'new', total };
  return { kind: 'gain', total, gain, percent: baseline > 0 ? (gain / baseline) * 100 : null };
}

export const FOLLOWER_MILESTONES = [100, 500, 1000, 5000, 10_000] as const;
export const FOLLOWER_PLATFORMS = ['medium', 'substack', 'devto', 'hashnode', 'ghost', 'wordpress', 'other'] as const;
export type FollowerPlatform = (typeof FOLLOWER_PLATFORMS)[number];
