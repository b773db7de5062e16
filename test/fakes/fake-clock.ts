import type { Clock, Timer } from '../../src/core/clock';

interface Waiting {
  at: number;
  fn: () => void;
}

/** A clock that moves only when told to; timers due by then run as it moves, in the order they fall due. */
export class FakeClock implements Clock {
  private readonly waiting = new Set<Waiting>();

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): Timer {
    const timer = { at: this.current + ms, fn };
    this.waiting.add(timer);
    return {
      cancel: () => {
        this.waiting.delete(timer);
      },
    };
  }

  set(instant: number | string): void {
    this.current = typeof instant === 'string' ? Date.parse(instant) : instant;
    for (let due = this.nextDue(); due; due = this.nextDue()) {
      this.waiting.delete(due);
      due.fn();
    }
  }

  advance(ms: number): void {
    this.set(this.current + ms);
  }

  private nextDue(): Waiting | undefined {
    let first: Waiting | undefined;
    for (const timer of this.waiting) if (timer.at <= this.current && (!first || timer.at < first.at)) first = timer;
    return first;
  }
}
