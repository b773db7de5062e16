/** Timing helpers: every figure is measured in this process, side by side with its baseline. */

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
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

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
