import type { Piscina } from 'piscina';
import type { Logger } from '../logger';

/** How an SVG document becomes PNG bytes; services are given one, so a test can make it fail or wait. */
export type SvgToPng = (svg: string) => Promise<Uint8Array>;

export interface PictureSettings {
  /** Worker threads that draw pictures; the event loop keeps a core of its own. */
  threads: number;
  /** Pictures that may wait for a thread; past that a post goes out with the text alternative instead. */
  queue: number;
  /** How long a picture may take, waiting included, before its post goes out with the text alternative. */
  deadlineMs: number;
}

/**
 * One thread: the event loop keeps the other core of a small machine. The queue holds more than one
 * group's burst of pictures (30, rate-limits.ts) and drains in one to two seconds (10 to 30 ms a
 * picture); a picture still waiting after five seconds means the thread is stuck or swamped.
 */
export const DEFAULT_PICTURE_SETTINGS: PictureSettings = { threads: 1, queue: 64, deadlineMs: 5000 };

/** A picture that was not drawn because the pool could not take it in time; its post carries the text alternative. */
export class PicturesBusy extends Error {
  override readonly name = 'PicturesBusy';
  constructor(readonly reason: 'queue full' | 'deadline passed' | 'closed') {
    super(`pictures are busy: ${reason}`);
  }
}

/**
 * Each picture arrives as a copy that V8 counts only as external memory, and a burst of digests would
 * pile them up before anything prompts a collection. Where the process runs with --expose-gc (npm
 * start does), a young-generation collection after each picture (about a millisecond) lets them go.
 */
function collectYoung(): void {
  globalThis.gc?.({ type: 'minor' });
}

/** A second thread, once started, goes away after this long without work. */
const IDLE_THREAD_MS = 30_000;

/**
 * The worker's file and how to start it. From the sources (tsx, vitest) it sits next to this module
 * and needs tsx in the thread too; in the esbuild bundle this module is part of a file at dist's root
 * and the worker is the entry point dist/render/render-worker.js.
 */
function workerFile(): { filename: string; execArgv?: string[] } {
  if (import.meta.url.endsWith('.ts')) {
    const hasTsx = process.execArgv.some((arg, i) => /^--(import|loader)=tsx/.test(arg) || (/^--(import|loader)$/.test(arg) && process.execArgv[i + 1] === 'tsx'));
    return { filename: new URL('./render-worker.ts', import.meta.url).href, execArgv: hasTsx ? undefined : [...process.execArgv, '--import', 'tsx'] };
  }
  return { filename: new URL('./render/render-worker.js', import.meta.url).href };
}

/**
 * Draws pictures on a few worker threads, so rendering never holds the event loop. Threads start
 * with the first picture (a bot that draws nothing pays for none) and stop with `close`. At most
 * `threads + queue` pictures are in hand at once, and each has a deadline: past either, the picture
 * is refused at once with `PicturesBusy`, and that is logged once until pictures are drawn again.
 */
export class PicturePool {
  private pool: Promise<Piscina<string, Uint8Array>> | undefined;
  private started: Piscina<string, Uint8Array> | undefined;
  private inHand = 0;
  private closed = false;
  /** Pictures refused since the last one drawn; the first refusal of a spell is logged. */
  private refused = 0;

  constructor(
    private readonly settings: PictureSettings,
    private readonly logger: Logger,
  ) {}

  readonly draw: SvgToPng = async (svg) => {
    if (this.closed) throw this.refuse('closed');
    if (this.inHand >= this.settings.threads + this.settings.queue) throw this.refuse('queue full');
    this.inHand++;
    const signal = AbortSignal.timeout(this.settings.deadlineMs);
    try {
      const png = await (await this.start()).run(svg, { signal });
      collectYoung();
      if (this.refused > 0) this.logger.info({ refused: this.refused }, 'pictures are drawn again');
      this.refused = 0;
      return png;
    } catch (error) {
      if (signal.aborted) throw this.refuse('deadline passed');
      if (this.closed) throw this.refuse('closed');
      throw error;
    } finally {
      this.inHand--;
    }
  };

  /** Threads running now: none before the first picture or after `close`. */
  get threads(): number {
    return this.started?.threads.length ?? 0;
  }

  /** Lets the pictures in hand finish, then stops the threads. Pictures asked for after this are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    await (await pool)?.close();
    this.started = undefined;
  }

  private start(): Promise<Piscina<string, Uint8Array>> {
    this.pool ??= this.open();
    return this.pool;
  }

  /** piscina itself is loaded with the first picture too. */
  private async open(): Promise<Piscina<string, Uint8Array>> {
    const { Piscina } = await import('piscina');
    this.started = new Piscina<string, Uint8Array>({
      ...workerFile(),
      minThreads: 1,
      maxThreads: this.settings.threads,
      idleTimeout: IDLE_THREAD_MS,
      // Between pictures the thread waits on its event loop, not in Atomics.wait: resvg's memory is
      // released from that loop, and a thread parked in Atomics.wait would hold it for good.
      atomics: 'disabled',
      // A picture's JavaScript is a string in and bytes out: a small heap is plenty, and keeps the thread's memory small.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 32 },
      recordTiming: false,
    });
    return this.started;
  }

  private refuse(reason: PicturesBusy['reason']): PicturesBusy {
    if (this.refused++ === 0) this.logger.warn({ reason, threads: this.settings.threads, queue: this.settings.queue, deadlineMs: this.settings.deadlineMs }, 'pictures are busy: posts carry their text alternative instead until pictures are drawn again');
    return new PicturesBusy(reason);
  }
}
