import pino from 'pino';
import { createApp, type App } from '../src/app';
import { FakeClock } from '../test/fakes/fake-clock';
import type { Actor, Conversation, Invocation, Platform } from '../src/core/invocation';
import type { Reply } from '../src/core/reply';
import type { DatabaseConfig, Dialect } from '../src/db/database';
import { DEFAULT_SERVICE_SETTINGS } from '../src/services/index';
import { RecordingAdapter } from '../test/fakes/recording-adapter';
import { createTestDatabase } from '../test/support/databases';
import { type RawDatabase, rawPostgres, rawSqlite } from './raw';

export interface BenchAppOptions {
  /**
   * Postgres only: `synchronous_commit=off` on every connection of this benchmark (the bot's pool and
   * the raw one), so a ratio measures the work of each side rather than the disk's flush per commit.
   */
  noFsync?: boolean;
}

/** The same database URL with `synchronous_commit=off` added to the options its connections start with. */
function withoutFsync(config: DatabaseConfig): DatabaseConfig {
  if (!('postgresUrl' in config)) return config;
  const url = new URL(config.postgresUrl);
  url.searchParams.set('options', `${url.searchParams.get('options') ?? ''} -c synchronous_commit=off`.trim());
  return { postgresUrl: url.toString() };
}

/** How long the bot reuses a looked-up group or member; a clock moved past it reads them again. */
export const LOOKUP_CACHE_MS = DEFAULT_SERVICE_SETTINGS.lookupCacheMs;

/** The bot (router, services, real database) behind a recording adapter and a fake clock, for benchmarks. */
export class BenchApp {
  private static instances = 0;
  /** Idempotency keys unique across every bot opened on one database. */
  private readonly keyPrefix = `bench${++BenchApp.instances}`;
  private sequence = 0;

  private constructor(
    readonly app: App,
    readonly adapter: RecordingAdapter,
    readonly clock: FakeClock,
    /** A plain connection to the same database, for baselines. */
    readonly raw: RawDatabase,
    readonly dialect: Dialect,
    private readonly config: DatabaseConfig,
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** A fresh database (a temporary SQLite file in WAL mode, or a schema of its own on Postgres), migrated. */
  static async create(dialect: Dialect, now: string, options: BenchAppOptions = {}): Promise<BenchApp> {
    const database = await createTestDatabase(dialect);
    try {
      return await BenchApp.open(dialect, database.config, now, options, database.drop);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  /**
   * A second bot on this one's database (already seeded), with other options: the same data measured
   * with and without the flush per commit. Closing it leaves the database to this one.
   */
  sibling(options: BenchAppOptions): Promise<BenchApp> {
    return BenchApp.open(this.dialect, this.config, new Date(this.clock.now()).toISOString(), options, async () => undefined);
  }

  private static async open(dialect: Dialect, base: DatabaseConfig, now: string, options: BenchAppOptions, cleanup: () => Promise<void>): Promise<BenchApp> {
    const config = options.noFsync ? withoutFsync(base) : base;
    const clock = new FakeClock(Date.parse(now));
    const app = await createApp({ database: config, clock, logger: pino({ level: 'error' }) });
    const adapter = new RecordingAdapter(clock);
    await app.attach(adapter);
    const raw = 'postgresUrl' in config ? await rawPostgres(config) : rawSqlite(app.database.sqlite!);
    return new BenchApp(app, adapter, clock, raw, dialect, base, cleanup);
  }

  get db() {
    return this.app.database.db;
  }

  actor(workspace: string, name: string, admin = false, platform: Platform = 'console'): Actor {
    return { platform, workspaceId: workspace, userId: name.toLowerCase(), displayName: name, isAdmin: admin };
  }

  conversation(workspace: string, channel: string, platform: Platform = 'console'): Conversation {
    return { platform, workspaceId: workspace, channelId: channel };
  }

  command(actor: Actor, conversation: Conversation, line: string): Promise<Reply | void> {
    const [, name = '', text = ''] = /^\/(\S*)\s*(.*)$/.exec(line) ?? [];
    const invocation: Invocation = { kind: 'command', name, args: { text }, actor, conversation, idempotencyKey: `${this.keyPrefix}:${++this.sequence}` };
    return this.adapter.deliver(invocation);
  }

  press(actor: Actor, conversation: Conversation, action: string, payload: string): Promise<Reply | void> {
    return this.adapter.deliver({ kind: 'button', action, payload, actor, conversation, idempotencyKey: `${this.keyPrefix}:${++this.sequence}` });
  }

  /** Moves the clock past the lookup caches, as the time between one member's commands does in production. */
  expireLookups(): void {
    this.clock.advance(LOOKUP_CACHE_MS + 1);
  }

  /** Lets the fake clock follow real time from now on (caches expire, rate limits refill); returns how to stop. */
  followRealTime(): () => void {
    const base = this.clock.now();
    const start = Date.now();
    const timer = setInterval(() => this.clock.set(base + Date.now() - start), 50);
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    await this.raw.close();
    await this.app.close();
    await this.cleanup();
  }
}
