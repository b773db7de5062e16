import type { Clock, Timer } from '../core/clock';

/**
 * Timers in memory that start a due-job round at given instants, so a job due between two ticks
 * (a sprint's end) runs on time. They only wake the scheduler: the database still decides what is
 * due and who runs it, so a timer lost to a restart costs at most a tick's wait. One timer per instant.
 */
export class WakeTimers {
  private readonly timers = new Map<number, Timer>();

  constructor(
    private readonly clock: Clock,
    private readonly wake: () => void,
    /** A little after the instant, so the job is due by the time its round claims. */
    private readonly slackMs = 20,
  ) {}

  at(instant: number): void {
    if (this.timers.has(instant)) return;
    const timer = this.clock.after(Math.max(0, instant - this.clock.now()) + this.slackMs, () => {
      this.timers.delete(instant);
      this.wake();
    });
    this.timers.set(instant, timer);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
