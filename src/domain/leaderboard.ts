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
  // One pass: a tie takes the rank of the entry before it, so long runs of equal scores stay linear.
  const ranked: { rank: number; entry: T }[] = [];
  sorted.forEach((item, i) => {
    const tied = i > 0 && compare(sorted[i - 1]!.key, item.key) === 0;
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

export const FOLLOWER_MILESTONES = [100, 500, 1000, 5000, 10_000] as const;
export const FOLLOWER_PLATFORMS = ['medium', 'substack', 'devto', 'hashnode', 'ghost', 'wordpress', 'other'] as const;
export type FollowerPlatform = (typeof FOLLOWER_PLATFORMS)[number];
