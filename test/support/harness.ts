import pino from 'pino';
import { createApp, type App } from '../../src/app';
import { FakeClock } from '../fakes/fake-clock';
import type { Actor, Conversation, Invocation } from '../../src/core/invocation';
import type { Reply, ReplyButton } from '../../src/core/reply';
import type { Dialect } from '../../src/db/database';
import { RecordingAdapter } from '../fakes/recording-adapter';
import { fetchPolicy } from '../../src/net/safe-fetch';
import type { ServiceSettings } from '../../src/services/index';
import { createTestDatabase, type TestDatabase } from './databases';

/** Tests fetch from servers on 127.0.0.1, and must not wait seconds between announcement edits. */
export const TEST_SETTINGS: Partial<ServiceSettings> = {
  fetchPolicy: fetchPolicy({ allowPrivateHosts: true, timeoutMs: 2000, maxBytes: 512 * 1024 }),
  announcementEditIntervalMs: 1000,
};

/** A log line as pino writes it. */
export interface LogEntry {
  level: number;
  msg: string;
  err?: { message: string };
  [field: string]: unknown;
}

const ERROR_LEVEL = 50;

export interface Speaker {
  name: string;
  admin?: boolean;
  workspace?: string;
  channel?: string;
}

/**
 * The whole bot (router, services, real database) behind a recording adapter, with a fake clock.
 * Lines are written as on the console: "/log 500", or plain chat text.
 */
export class Harness {
  readonly adapter: RecordingAdapter;
  private sequence = 0;

  private constructor(
    readonly app: App,
    readonly clock: FakeClock,
    private readonly database: TestDatabase,
    /** Everything the bot logged at error level. */
    readonly errors: LogEntry[],
    private readonly settings: Partial<ServiceSettings>,
  ) {
    this.adapter = new RecordingAdapter(clock);
  }

  /** `onLog` sees every log entry down to debug (refusals are logged there); otherwise only errors are kept. */
  static async create(
    options: { now?: string; dialect?: Dialect; settings?: Partial<ServiceSettings>; onLog?: (entry: LogEntry) => void; metrics?: boolean } = {},
  ): Promise<Harness> {
    const database = await createTestDatabase(options.dialect ?? 'sqlite');
    const clock = new FakeClock(Date.parse(options.now ?? '2026-03-10T12:00:00Z'));
    const errors: Harness['errors'] = [];
    const write = (line: string) => {
      const entry: LogEntry = JSON.parse(line);
      if (entry.level >= ERROR_LEVEL) errors.push(entry);
      options.onLog?.(entry);
    };
    const logger = pino({ level: options.onLog ? 'debug' : 'error' }, { write });
    const settings = { ...TEST_SETTINGS, ...options.settings };
    const app = await createApp({ database: database.config, logger, clock, settings, metrics: options.metrics });
    const harness = new Harness(app, clock, database, errors, settings);
    await app.attach(harness.adapter);
    return harness;
  }

  /** Another bot process on the same database (a restart, or a second instance), with its own adapter. */
  async anotherProcess(): Promise<{ app: App; adapter: RecordingAdapter }> {
    const logger = pino({ level: 'error' }, { write: (line: string) => this.errors.push(JSON.parse(line)) });
    const app = await createApp({ database: this.database.config, logger, clock: this.clock, settings: this.settings });
    const adapter = new RecordingAdapter(this.clock);
    await app.attach(adapter);
    return { app, adapter };
  }

  /** One scheduler round: due jobs, and the feed polls it started. */
  async tick(): Promise<void> {
    await this.app.scheduler.tick();
    await this.app.scheduler.settled();
  }

  get db() {
    return this.app.database.db;
  }

  actor(speaker: Speaker): Actor {
    return {
      platform: 'console',
      workspaceId: speaker.workspace ?? 'w1',
      userId: speaker.name.toLowerCase(),
      displayName: speaker.name,
      isAdmin: speaker.admin ?? false,
    };
  }

  conversation(speaker: Speaker): Conversation {
    return { platform: 'console', workspaceId: speaker.workspace ?? 'w1', channelId: speaker.channel ?? 'general' };
  }

  /** Sends one console-style line; pass `key` to repeat a delivery. */
  send(speaker: Speaker | string, line: string, key?: string): Promise<Reply | void> {
    const who = typeof speaker === 'string' ? { name: speaker } : speaker;
    const base = { actor: this.actor(who), conversation: this.conversation(who), idempotencyKey: key ?? `k${++this.sequence}` };
    let invocation: Invocation;
    if (line.startsWith('/')) {
      const [, name = '', text = ''] = /^\/(\S*)\s*(.*)$/.exec(line) ?? [];
      invocation = { ...base, kind: 'command', name, args: { text } };
    } else {
      invocation = { ...base, kind: 'message', messageId: key ?? `msg${this.sequence}`, text: line };
    }
    return this.adapter.deliver(invocation);
  }

  /** Presses a button of an earlier reply, as `speaker`. */
  press(speaker: Speaker | string, button: ReplyButton, key?: string): Promise<Reply | void> {
    const who = typeof speaker === 'string' ? { name: speaker } : speaker;
    return this.adapter.deliver({
      kind: 'button',
      action: button.action,
      payload: button.payload ?? '',
      actor: this.actor(who),
      conversation: this.conversation(who),
      idempotencyKey: key ?? `k${++this.sequence}`,
    });
  }

  deliver(invocation: Invocation): Promise<Reply | void> {
    return this.adapter.deliver(invocation);
  }

  /** Like send, but returns the reply text (failing if there was none). */
  async text(speaker: Speaker | string, line: string, key?: string): Promise<string> {
    const reply = await this.send(speaker, line, key);
    if (!reply) throw new Error(`no reply to ${line}`);
    return reply.text;
  }

  /** Moves the clock to a local wall-clock time in a zone, e.g. at('2026-03-11 09:00', 'Europe/London'). */
  at(localDateTime: string, zone = 'UTC'): void {
    const utcGuess = Date.parse(`${localDateTime.replace(' ', 'T')}:00Z`);
    // Find the instant whose wall-clock time in `zone` matches.
    const offset = (instant: number) => {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }).formatToParts(instant);
      const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
      return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant;
    };
    let instant = utcGuess - offset(utcGuess);
    instant = utcGuess - offset(instant);
    this.clock.set(instant);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.database.drop();
  }
}
