/** Timing helpers: every figure is measured in this process, side by side with its baseline. */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Measures two ways of doing the same kind of work in alternating rounds, so that the state of the
 * machine (caches, the database file, other load) weighs on both alike; returns both rates per second.
 * A baseline that returns no promise is run as a plain loop, with no `await` between its calls.
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
    for (let i = 0; i < perRound; i++) {
      const done = baseline(round * perRound + i);
      if (done instanceof Promise) await done;
    }
    baselineMs += now() - start;
    start = now();
    for (let i = 0; i < perRound; i++) await subject(round * perRound + i);
    subjectMs += now() - start;
  }
  const total = rounds * perRound;
  return { baseline: (total * 1000) / baselineMs, subject: (total * 1000) / subjectMs };
}

/** Milliseconds one call of `work` takes. */
export async function timed(work: () => unknown): Promise<number> {
  const start = now();
  await work();
  return now() - start;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** The interval of the event-loop delay sampler (Node's default). */
const LOOP_SAMPLE_MS = 10;

/**
 * Watches the event loop while `work` runs: how late the loop got round to a timer due every 10 ms,
 * as perf_hooks.monitorEventLoopDelay samples it. Each sample includes the 10 ms interval itself, so it
 * is taken off: an idle loop reads about 0.
 */
export async function watchEventLoop<T>(work: () => Promise<T>): Promise<{ result: T; p99: number; max: number; samples: number }> {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  histogram.enable();
  try {
    // The sampler's first timer only starts its count: let it run before the work begins.
    await sleep(2 * LOOP_SAMPLE_MS);
    histogram.reset();
    const result = await work();
    // The sample that sees the last stretch of work is taken by the first timer after it: wait for it.
    await sleep(2 * LOOP_SAMPLE_MS);
    histogram.disable();
    const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS);
    return { result, p99: late(histogram.percentile(99)), max: late(histogram.max), samples: histogram.count };
  } finally {
    histogram.disable();
  }
}

/** A small fixed pseudo-random sequence (mulberry32), so every run sends the same load. */
export function randomSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Sends `count` requests at the given offsets (ms from the start) whatever happens to the earlier ones
 * (an open loop, as people send commands), and times each from the moment it was due to be sent, so a
 * busy event loop that sends it late is counted against it. `send` resolves when the request is
 * acknowledged; it gets the moment it was due, on the `now()` clock.
 */
export async function openLoop(offsets: number[], send: (i: number, dueAt: number) => Promise<number>): Promise<number[]> {
  const start = now();
  const latencies: number[] = new Array(offsets.length);
  await Promise.all(
    offsets.map(async (offset, i) => {
      const wait = start + offset - now();
      if (wait > 0) await sleep(wait);
      const dueAt = start + offset;
      latencies[i] = (await send(i, dueAt)) - dueAt;
    }),
  );
  return latencies;
}
