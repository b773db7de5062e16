/** Timing helpers: every figure is measured in this process, side by side with its baseline. */

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `work` `count` times (awaiting each) and returns the rate per second. */
export async function ratePerSecond(count: number, work: (i: number) => unknown): Promise<number> {
  const start = now();
  for (let i = 0; i < count; i++) await work(i);
  return (count * 1000) / (now() - start);
}

/**
 * Measures two ways of doing the same kind of work in alternating rounds, so that the state of the
 * machine (caches, the database file, other load) weighs on both alike; returns both rates per second.
 */
export async function interleavedRates(
  rounds: number,
  perRound: number,
  baseline: (i: number) => unknown,
  subject: (i: number) => unknown,
): Promise<{ baseline: number; subject: number }> {
  let baselineMs = 0;
  let subjectMs = 0;
  for (let round = 0; round < rounds; round++) {
    let start = now();
    for (let i = 0; i < perRound; i++) await baseline(round * perRound + i);
    baselineMs += now() - start;
    start = now();
    for (let i = 0; i < perRound; i++) await subject(round * perRound + i);
    subjectMs += now() - start;
  }
  const total = rounds * perRound;
  return { baseline: (total * 1000) / baselineMs, subject: (total * 1000) / subjectMs };
}

/** The median duration in milliseconds of `runs` runs of `work`, after `warmup` unmeasured ones. */
export async function medianMs(runs: number, work: () => unknown, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    await work();
    times.push(now() - start);
  }
  return percentile(times, 50);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** A small seeded random generator (mulberry32): the same data on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
