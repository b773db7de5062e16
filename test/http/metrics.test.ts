import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { scheduleJob } from '../../src/db/scheduled-job.repository';
import { JOB_NAMES } from '../../src/domain/job-names';
import { RecordingAdapter } from '../fakes/recording-adapter';
import { createTestDatabase, DIALECTS } from '../support/databases';
import { Harness } from '../support/harness';

/** The value of one series in a Prometheus text exposition, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Every label value in the exposition's inkwell_* series. */
function labelValues(text: string): Set<string> {
  const values = new Set<string>();
  for (const line of text.split('\n').filter((l) => l.startsWith('inkwell_'))) {
    for (const match of line.matchAll(/\w+="([^"]*)"/g)) values.add(match[1]!);
  }
  return values;
}

const HOSTILE_NAME = 'pwn3d<script>alert(1)</script>';
const HOSTILE_TEXT = 'SECRET-MEMBER-NOTE-42';

describe('metrics', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('GIVEN commands handled, refused and unknown, and scheduled jobs done and failed THEN the counters move under known names only', async () => {
    h = await Harness.create({ metrics: true });
    const text = async () => (await h!.app.metrics.exposition())!.text;
    const before = await text();
    expect(sample(before, 'inkwell_commands_total{name="log",outcome="handled"}')).toBe(0);

    await h.send({ name: 'Ada', admin: true }, '/setup UTC');
    await h.send('Ada', `/log 500 note:${HOSTILE_TEXT}`);
    await h.send('Ada', '/log 300');
    await h.send('Ada', '/log words:lots');
    await h.send('Ada', `/${HOSTILE_NAME} ${HOSTILE_TEXT}`);
    await h.send('Ada', `${HOSTILE_TEXT} in a chat message`);

    // One daily digest due a minute ago, one that cannot be posted (its channel refuses posts).
    const group = await h.db.selectFrom('groups').select('id').executeTakeFirstOrThrow();
    const now = h.clock.now();
    await scheduleJob(h.db, { job: JOB_NAMES.dailyDigest, subject: String(group.id), period: '2026-03-10', groupId: group.id }, now - 60_000, now);
    await h.tick();
    await h.send({ name: 'Ada', admin: true }, '/config channel bad');
    h.adapter.brokenChannels.add('bad');
    await scheduleJob(h.db, { job: JOB_NAMES.dailyDigest, subject: String(group.id), period: '2026-03-11', groupId: group.id }, now, now);
    await h.tick();

    const after = await text();
    expect(sample(after, 'inkwell_commands_total{name="setup",outcome="handled"}')).toBe(1);
    expect(sample(after, 'inkwell_commands_total{name="log",outcome="handled"}')).toBe(2);
    expect(sample(after, 'inkwell_commands_total{name="log",outcome="refused"}')).toBe(1);
    expect(sample(after, 'inkwell_commands_total{name="unknown",outcome="refused"}')).toBe(1);
    expect(sample(after, 'inkwell_commands_total{name="chat-message",outcome="handled"}')).toBe(1);
    expect(sample(after, 'inkwell_command_duration_seconds_count{name="log"}')).toBe(3);
    expect(sample(after, 'inkwell_scheduled_jobs_total{job="daily-digest",outcome="done"}')).toBe(1);
    expect(sample(after, 'inkwell_scheduled_job_failures_total{job="daily-digest"}')).toBe(1);
    expect(sample(after, 'inkwell_scheduled_job_lag_seconds_count{job="daily-digest"}')).toBe(2);
    // The clock stood still: the first was a minute late, the second on time.
    expect(sample(after, 'inkwell_scheduled_job_lag_seconds_sum{job="daily-digest"}')).toBe(60);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(after).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);

    // What people typed is never a label, nor anywhere in the output.
    expect(after).not.toContain('pwn3d');
    expect(after).not.toContain(HOSTILE_TEXT);
    expect(after).not.toContain('Ada');
    const allowed = new Set(['handled', 'refused', 'failed', 'done', 'skipped', 'unknown', 'chat-message', ...h.app.router.catalog.map((c) => c.name), ...Object.values(JOB_NAMES)]);
    for (const value of labelValues(after)) {
      if (!/^[\d.+Inf]+$/.test(value)) expect(allowed, value).toContain(value);
    }
    // Series for every known name exist from the start, and no new one appeared.
    expect(before.split('\n').filter((l) => l.startsWith('inkwell_')).length).toBe(after.split('\n').filter((l) => l.startsWith('inkwell_')).length);
  });

  it('GIVEN metrics off THEN nothing is counted and there is no exposition', async () => {
    h = await Harness.create();
    await h.send('Ada', '/log 500');
    expect(await h.app.metrics.exposition()).toBeUndefined();
  });

  for (const dialect of DIALECTS) {
    it(`GIVEN METRICS=true on ${dialect} THEN /metrics serves the exposition${dialect === 'postgres' ? ' with the pool’s connections' : ''}, and two bots in one process keep their own counts`, async () => {
      const database = await createTestDatabase(dialect);
      const where = 'sqlitePath' in database.config ? { SQLITE_PATH: database.config.sqlitePath } : { DATABASE_URL: database.config.postgresUrl };
      const config = loadConfig({ PORT: '0', METRICS: 'true', ...where });
      const adapters = [new RecordingAdapter(), new RecordingAdapter()];
      const bots = [];
      for (const adapter of adapters) bots.push(await startBot(config, pino({ level: 'silent' }), { fallback: () => adapter, schedule: false }));
      try {
        const conversation = { platform: 'console' as const, workspaceId: 'w1', channelId: 'general' };
        const actor = { platform: 'console' as const, workspaceId: 'w1', userId: 'ada', displayName: 'Ada', isAdmin: true };
        await adapters[0]!.deliver({ kind: 'command', name: 'help', args: { text: '' }, actor, conversation, idempotencyKey: 'k1' });
        const [first, second] = await Promise.all(bots.map((bot) => fetch(`http://127.0.0.1:${bot.http.address!.port}/metrics`)));
        expect(first!.status).toBe(200);
        expect(first!.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        const [one, two] = [await first!.text(), await second!.text()];
        expect(sample(one, 'inkwell_commands_total{name="help",outcome="handled"}')).toBe(1);
        expect(sample(two, 'inkwell_commands_total{name="help",outcome="handled"}')).toBe(0);
        if (dialect === 'postgres') {
          expect(sample(one, 'inkwell_db_pool_connections')).toBeGreaterThanOrEqual(1);
          expect(sample(one, 'inkwell_db_pool_waiting_queries')).toBe(0);
        } else {
          expect(one).not.toContain('inkwell_db_pool');
        }
      } finally {
        for (const bot of bots) await bot.stop(1000);
        await database.drop();
      }
    });
  }
});
