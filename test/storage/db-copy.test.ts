import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackInstallationStore } from '../../src/adapters/slack/installation-store';
import { TokenCipher } from '../../src/adapters/slack/token-cipher';
import { createApp } from '../../src/app';
import { FakeClock } from '../fakes/fake-clock';
import { copySqliteToPostgres } from '../../src/db/copy-database';
import { type Db, openDatabase } from '../../src/db/database';
import { mediumFeed } from '../fixtures/feeds';
import { RecordingAdapter } from '../fakes/recording-adapter';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { Harness } from '../support/harness';
import { WebServer } from '../support/web-server';

const admin = { name: 'Ada', admin: true };
const TOKEN_KEY = Buffer.alloc(32, 9);
const installations = (db: Db) => new SlackInstallationStore({ db, cipher: new TokenCipher(TOKEN_KEY), now: () => Date.parse('2026-03-10T12:00:00Z'), logger: pino({ level: 'silent' }) });

async function tables(db: Db): Promise<string[]> {
  return (await db.introspection.getTables()).map((t) => t.name).filter((name) => !name.startsWith('kysely_')).sort();
}

/** A table's rows in one order whatever the dialect (the first columns need not be unique: member_totals' are not). */
async function rowsOf(db: Db, table: string): Promise<Record<string, unknown>[]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
  return rows.map((row) => [JSON.stringify(row), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

// Moving to Postgres needs a Postgres server: CI always provides one (TEST_POSTGRES_URL).
describe.runIf(process.env.TEST_POSTGRES_URL)('npm run db:copy', () => {
  let h: Harness;
  let web: WebServer;
  let target: TestDatabase;

  /** A group that has used every feature once, so that every table holds rows. */
  beforeAll(async () => {
    web = await WebServer.start();
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup UTC');
    await h.send('Bo', '/log 500 first draft');
    await h.send(admin, '/config admin_add Bo');
    await h.send('Bo', '/log 200');
    await h.send('Bo', '/undo');
    await h.send('Cy', '/vacation start');
    await h.send('Bo', '/followers 150');
    const announced = await h.send('Bo', '/publish https://medium.com/@bo/my-story-1a2b3c title:"My story"');
    expect(announced?.text).toContain('Announced');
    const announcement = h.adapter.posts.find((p) => p.reply.text.startsWith('📣'))!;
    await h.press('Ana', announcement.reply.buttons!.find((b) => b.label === 'I read it')!);
    const respond = announcement.reply.buttons!.find((b) => b.label === 'Respond')!;
    const responder = { actor: h.actor({ name: 'Cy' }), conversation: h.conversation({ name: 'Cy' }), idempotencyKey: 'response' };
    await h.deliver({ ...responder, kind: 'form', action: respond.action, payload: respond.payload!, values: { text: 'The ending stayed with me.', choice: 'thread' } });
    web.serve('/feed', mediumFeed('bo', [{ id: 'a1', title: 'Old', link: 'https://medium.com/@bo/old-a1', published: new Date('2026-03-01T00:00:00Z') }]));
    await h.send('Bo', `/feed add ${web.url('/feed')}`);
    await h.send('Bo', '/sprint start 5 0');
    await h.send('Cy', '/sprint notify on');
    await h.send('Bo', '/goal set words 500 day');
    await h.send('Bo', '/project create Novel');
    await h.send('Bo', '/log 100');
    await h.send(admin, '/challenge create spring 2026-03-10 2026-03-31');
    await h.send('Bo', '/challenge join spring');
    h.clock.set(Date.parse('2026-03-16T09:05:00Z'));
    await h.tick();
    // The group's page, looked at once: its link was made by /setup in the console, its calendar keeps its settled days.
    await h.app.services.pages.calendar((await h.app.services.groups.find(h.conversation(admin)))!);
    // A command from a platform that acknowledges it, stored in the inbox first (after the tick, whose prune forgets old entries).
    const acknowledged = { kind: 'command', name: 'streak', args: { text: '' }, actor: h.actor({ name: 'Bo' }), conversation: h.conversation({ name: 'Bo' }), idempotencyKey: 'acknowledged' } as const;
    await h.app.inbox.handle(acknowledged, { acknowledge: async () => undefined, answer: async () => undefined });
    // A Slack workspace installed through OAuth: its token is copied sealed, and opens under the same key.
    await installations(h.db).storeInstallation({
      team: { id: 'T0COPIED', name: 'Copied' },
      enterprise: undefined,
      user: { token: undefined, scopes: undefined, id: 'U0ADA' },
      bot: { token: 'xoxb-copied-secret', scopes: ['commands'], id: 'B0COPIED', userId: 'U0COPIEDBOT' },
      isEnterpriseInstall: false,
      authVersion: 'v2',
    });
    target = await createTestDatabase('postgres');
  });

  afterAll(async () => {
    await h.close();
    await target.drop();
    await web.stop();
  });

  it('copies every row of every table, then refuses to copy into a database that holds data', async () => {
    const source = h.db;
    const names = await tables(source);
    for (const name of names) expect((await rowsOf(source, name)).length, `rows in ${name}`).toBeGreaterThan(0);

    const url = 'postgresUrl' in target.config ? target.config.postgresUrl : '';
    const report = await copySqliteToPostgres(h.app.database.location, url);
    expect(report.tables.map((t) => t.name).sort()).toEqual(names);
    // Parents come before the rows that point at them.
    const order = report.tables.map((t) => t.name);
    expect(order.indexOf('groups')).toBeLessThan(order.indexOf('members'));
    expect(order.indexOf('members')).toBeLessThan(order.indexOf('logs'));
    expect(order.indexOf('publications')).toBeLessThan(order.indexOf('reads'));

    const copied = openDatabase(target.config);
    try {
      for (const name of names) expect(await rowsOf(copied.db, name), name).toEqual(await rowsOf(source, name));
      expect(await installations(copied.db).botToken('T0COPIED')).toBe('xoxb-copied-secret');
    } finally {
      await copied.close();
    }

    await expect(copySqliteToPostgres(`${h.app.database.location}.missing`, url)).rejects.toThrow(/There is no SQLite database at .*\.missing\./);
    await expect(copySqliteToPostgres(h.app.database.location, url)).rejects.toThrow(/already holds data \(table \w+ has rows\)\. Copy into a new, empty database\./);
  });

  it('leaves a database the bot carries on with: new rows get new ids', async () => {
    const clock = new FakeClock(Date.parse('2026-03-16T10:00:00Z'));
    const app = await createApp({ database: target.config, logger: pino({ level: 'silent' }), clock });
    const adapter = new RecordingAdapter(clock);
    await app.attach(adapter);
    try {
      const actor = { platform: 'console', workspaceId: 'w1', userId: 'bo', displayName: 'Bo', isAdmin: false } as const;
      const conversation = { platform: 'console', workspaceId: 'w1', channelId: 'general' } as const;
      const reply = await adapter.deliver({ kind: 'command', name: 'log', args: { text: '300' }, actor, conversation, idempotencyKey: 'after-copy' });
      expect(reply?.text).toContain('Bo logged: 300 words today');
      const again = await adapter.deliver({ kind: 'command', name: 'publish', args: { text: 'https://medium.com/@bo/second-9f title:Second' }, actor, conversation, idempotencyKey: 'after-copy-2' });
      expect(again?.text).toContain('Announced');
    } finally {
      await app.close();
    }
  });
});
