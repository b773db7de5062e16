import pino from 'pino';
import { createApp, type App } from '../src/app';
import { FakeClock } from '../test/fakes/fake-clock';
import type { Actor, Conversation, Invocation } from '../src/core/invocation';
import type { Reply } from '../src/core/reply';
import type { Dialect } from '../src/db/database';
import { RecordingAdapter } from '../test/fakes/recording-adapter';
import { createTestDatabase } from '../test/support/databases';
import { type RawDatabase, rawPostgres, rawSqlite } from './raw';

/** The bot (router, services, real database) behind a recording adapter and a fake clock, for benchmarks. */
export class BenchApp {
  private sequence = 0;

  private constructor(
    readonly app: App,
    readonly adapter: RecordingAdapter,
    readonly clock: FakeClock,
    /** A plain connection to the same database, for baselines. */
    readonly raw: RawDatabase,
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** A fresh database (a temporary SQLite file in WAL mode, or a schema of its own on Postgres), migrated. */
  static async create(dialect: Dialect, now: string): Promise<BenchApp> {
    const database = await createTestDatabase(dialect);
    const clock = new FakeClock(Date.parse(now));
    const app = await createApp({ database: database.config, clock, logger: pino({ level: 'error' }) });
    const adapter = new RecordingAdapter(clock);
    await app.attach(adapter);
    const raw = 'postgresUrl' in database.config ? await rawPostgres(database.config) : rawSqlite(app.database.sqlite!);
    return new BenchApp(app, adapter, clock, raw, database.drop);
  }

  get db() {
    return this.app.database.db;
  }

  actor(workspace: string, name: string, admin = false): Actor {
    return { platform: 'console', workspaceId: workspace, userId: name.toLowerCase(), displayName: name, isAdmin: admin };
  }

  conversation(workspace: string, channel: string): Conversation {
    return { platform: 'console', workspaceId: workspace, channelId: channel };
  }

  command(actor: Actor, conversation: Conversation, line: string): Promise<Reply | void> {
    const [, name = '', text = ''] = /^\/(\S*)\s*(.*)$/.exec(line) ?? [];
    const invocation: Invocation = { kind: 'command', name, args: { text }, actor, conversation, idempotencyKey: `bench:${++this.sequence}` };
    return this.adapter.deliver(invocation);
  }

  press(actor: Actor, conversation: Conversation, action: string, payload: string): Promise<Reply | void> {
    return this.adapter.deliver({ kind: 'button', action, payload, actor, conversation, idempotencyKey: `bench:${++this.sequence}` });
  }

  async close(): Promise<void> {
    await this.raw.close();
    await this.app.close();
    await this.cleanup();
  }
}
