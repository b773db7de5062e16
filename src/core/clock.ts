/** A callback waiting on a clock; `cancel` stops it if it has not run yet. */
export interface Timer {
  cancel(): void;
}

/** The one source of time (UTC epoch milliseconds, and waits measured on it), so tests can drive it. */
export interface Clock {
  now(): number;
  /** Runs `fn` once `ms` have passed on this clock. A timer never keeps the process alive. */
  after(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
