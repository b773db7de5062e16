import type { Figure } from './figure';

/** The target for the event loop: a command that arrives while the bot is busy waits at most this long to be read. */
export const LOOP_TARGET_MS = 50;

/** The event-loop delay figure of one load (`watchEventLoop`'s result). */
export function loopFigure(during: string, loop: { p99: number; max: number; samples: number }, what: string): Figure {
  return {
    name: `loop (${during})`,
    value: loop.p99,
    unit: 'ms',
    baseline: null,
    ratio: null,
    target: `p99 < ${LOOP_TARGET_MS} ms`,
    met: loop.p99 < LOOP_TARGET_MS,
    notes: `event-loop delay ${what}: perf_hooks.monitorEventLoopDelay sampling every 10 ms, each sample less the 10 ms interval; max ${loop.max.toFixed(0)} ms over ${loop.samples} samples`,
  };
}
