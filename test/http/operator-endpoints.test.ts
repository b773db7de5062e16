import { connect, createServer, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { RecordingAdapter } from '../fakes/recording-adapter';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';

/** A TCP relay in front of Postgres that a test can cut (the server becomes unreachable) and restore. */
class Relay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly target: { host: string; port: number },
    public port = 0,
  ) {}

  static async start(target: { host: string; port: number }): Promise<Relay> {
    const relay = new Relay(target);
    await relay.listen();
    return relay;
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.port, '127.0.0.1', () => {
      this.port = (server.address() as { port: number }).port;
      resolve();
    }));
  }

  /** Every connection dropped and the port closed, as when the database server goes away. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  restore(): Promise<void> {
    return this.listen();
  }
}

const silent = pino({ level: 'silent' });

interface Started {
  bot: RunningBot;
  origin: string;
}

describe('operator endpoints on the bot’s one HTTP server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(env: Record<string, string>, database?: TestDatabase, adapter = new RecordingAdapter()): Promise<Started> {
    const db = database ?? (await createTestDatabase('sqlite'));
    if (!database) cleanups.push(() => db.drop());
    const where = 'sqlitePath' in db.config ? { SQLITE_PATH: db.config.sqlitePath } : { DATABASE_URL: db.config.postgresUrl };
    const bot = await startBot(loadConfig({ PORT: '0', ...where, ...env }), silent, { fallback: () => adapter, schedule: false });
    cleanups.push(() => bot.stop(1000));
    return { bot, origin: `http://127.0.0.1:${bot.http.address!.port}` };
  }

  it('GIVEN a running bot THEN /healthz and /readyz answer 200 in plain text, and /metrics is 404 while METRICS is off', async () => {
    const { origin } = await start({});
    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await health.text()).toBe('ok\n');
    const ready = await fetch(`${origin}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
    expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    expect((await fetch(`${origin}/healthz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${origin}/readyz`, { method: 'POST' })).status).toBe(405);
  });

  it('GIVEN one address that the web page already refuses THEN its probes are still answered', async () => {
    const { origin } = await start({});
    let refused = 0;
    for (let i = 0; i < 70 && refused === 0; i++) if ((await fetch(`${origin}/g/nothing-here`)).status === 429) refused++;
    expect(refused).toBe(1);
    const probes = await Promise.all(Array.from({ length: 100 }, (_, i) => fetch(`${origin}/${i % 2 ? 'healthz' : 'readyz'}`).then((r) => r.status)));
    expect(probes.every((status) => status === 200)).toBe(true);
  });

  it('GIVEN a platform whose connection drops THEN /readyz is 503 naming it, and 200 again once it is back', async () => {
    const platform = new (class extends RecordingAdapter {
      up = true;
      connected() {
        return this.up;
      }
    })();
    const { origin } = await start({}, undefined, platform);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    platform.up = false;
    const down = await fetch(`${origin}/readyz`);
    expect([down.status, await down.text()]).toEqual([503, 'not ready: console is not connected\n']);
    platform.up = true;
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
  });

  for (const dialect of DIALECTS) {
    it(`GIVEN ${dialect} and a database that stops answering THEN /readyz is 503 with the reason, while /healthz stays 200`, async () => {
      const database = await createTestDatabase(dialect);
      cleanups.push(() => database.drop());
      if ('postgresUrl' in database.config) {
        const url = new URL(database.config.postgresUrl);
        const relay = await Relay.start({ host: url.hostname, port: Number(url.port || 5432) });
        cleanups.push(() => relay.cut());
        url.host = `127.0.0.1:${relay.port}`;
        const { origin } = await start({}, { ...database, config: { postgresUrl: url.toString() } });
        expect((await fetch(`${origin}/readyz`)).status).toBe(200);
        await relay.cut();
        const down = await fetch(`${origin}/readyz`);
        expect([down.status, await down.text()]).toEqual([503, 'not ready: the database does not answer\n']);
        expect((await fetch(`${origin}/healthz`)).status).toBe(200);
        // The pool reconnects by itself once the server is back.
        await relay.restore();
        expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      } else {
        const { bot, origin } = await start({}, database);
        expect((await fetch(`${origin}/readyz`)).status).toBe(200);
        await bot.app.database.close();
        const down = await fetch(`${origin}/readyz`);
        expect([down.status, await down.text()]).toEqual([503, 'not ready: the database does not answer\n']);
        expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      }
    });
  }

  it('GIVEN a drain THEN a request already arriving is answered (/readyz: 503, shutting down) and a new connection is refused', async () => {
    const { bot, origin } = await start({});
    const port = bot.http.address!.port;
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Half a request: the server has begun reading it, so it is under way, not an idle connection.
    socket.write('GET /readyz HTTP/1.1\r\nHost: bot\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = bot.stop();
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
    socket.write('\r\n');
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toContain('not ready: shutting down');
    await stopped;
  });
});
