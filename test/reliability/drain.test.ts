import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { claimDueJobs, scheduleJobs } from '../../src/db/scheduled-job.repository';
import { JOB_NAMES } from '../../src/domain/job-names';
import { FakeSlack, sendSignedRequest, slashCommand } from '../fakes/slack/fake-slack';
import { signedHeaders } from '../fakes/slack/signed-requests';
import { cleanUpAfterEach, databaseEnv, spawnBot, until } from '../support/bot-process';
import { createTestDatabase, DIALECTS } from '../support/databases';

const SIGNING_SECRET = 'abcdef0123456789abcdef0123456789';
const CHANNEL = 'C0WRITING';
const DIGESTS = 20;
/** Several processes share Postgres, so that is where giving claims back matters most. */
const DIALECT = DIALECTS.at(-1)!;

/** A raw connection to the bot's server, for requests sent a piece at a time. */
async function openConnection(port: number): Promise<{ socket: Socket; answer: () => string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, answer: () => answer, closed };
}

/** Whether a new connection to `port` is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe(`a bot process draining on SIGTERM (${DIALECT})`, () => {
  const cleanup = cleanUpAfterEach();

  it('GIVEN a request under way and scheduled jobs claimed THEN the request is answered, new connections are refused, the unstarted jobs are given back at once, and it exits 0', { timeout: 90_000 }, async () => {
    const fake = await FakeSlack.start({ users: [{ id: 'U0ADMIN', name: 'ada', realName: 'Ada Lovelace', isAdmin: true }] });
    cleanup.later(() => fake.stop());
    const database = await createTestDatabase(DIALECT);
    cleanup.later(() => database.drop());
    const bot = cleanup.started(
      spawnBot({ ...databaseEnv(database), SLACK_BOT_TOKEN: 'xoxb-1111-2222-fake', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl }),
    );
    const port = Number((await bot.waitForLog('slack connected')).port);
    const origin = `http://127.0.0.1:${port}`;
    const command = (text: string, responseUrl: string) => {
      const [name = '', ...rest] = text.split(' ');
      return slashCommand({ command: name, text: rest.join(' '), userId: 'U0ADMIN', channelId: CHANNEL, responseUrl });
    };
    const setupUrl = fake.responseUrl();
    expect((await sendSignedRequest(`${origin}/slack/events`, command('/setup timezone:UTC', setupUrl), { signingSecret: SIGNING_SECRET })).status).toBe(200);
    await fake.waitForResponse((r) => r.url === setupUrl);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);

    // Daily digests long overdue: the send queue posts about one a second in the channel, so at the
    // signal a few are running and the rest of the batch is claimed and waiting.
    const handle = openDatabase(database.config);
    cleanup.later(() => handle.close());
    const { db } = handle;
    const group = await db.selectFrom('groups').select('id').executeTakeFirstOrThrow();
    const now = Date.now();
    const jobs = Array.from({ length: DIGESTS }, (_, i) => ({ job: JOB_NAMES.dailyDigest, subject: String(group.id), period: `2026-01-${String(i + 1).padStart(2, '0')}`, groupId: group.id, dueAt: now - 3_600_000, state: 'pending' as const }));
    await scheduleJobs(db, jobs, now);
    const digests = () => db.selectFrom('scheduled_jobs').selectAll().where('job', '=', JOB_NAMES.dailyDigest).execute();
    await fake.waitForCall('chat.postMessage', () => true, 30_000);
    const claimedAtSignal = (await digests()).filter((row) => row.claimed_at !== null && row.state !== 'done').length;
    expect(claimedAtSignal).toBeGreaterThan(8);

    // A slash command under way: its headers and half its body are in, the rest comes during the drain.
    const logUrl = fake.responseUrl();
    const delivery = command('/log 300', logUrl);
    const headers = { ...signedHeaders(delivery, { signingSecret: SIGNING_SECRET }), Host: `127.0.0.1:${port}`, 'Content-Length': String(Buffer.byteLength(delivery.rawBody)) };
    const slow = await openConnection(port);
    const half = Math.floor(delivery.rawBody.length / 2);
    slow.socket.write(`POST /slack/events HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${delivery.rawBody.slice(0, half)}`);
    // And a probe that is arriving: it is answered, not ready.
    const probe = await openConnection(port);
    probe.socket.write('GET /readyz HTTP/1.1\r\nHost: bot\r\n');
    await new Promise((resolve) => setTimeout(resolve, 300));

    bot.child.kill('SIGTERM');
    const exited = new Promise<number | null>((resolve) => bot.child.once('exit', (code) => resolve(code)));
    await until(() => refused(port), 'new connections to be refused', 5_000);
    // Claimed and never started: free for another process now, not when the claims would go stale.
    await until(async () => (await digests()).some((row) => row.claimed_at === null && row.state === 'pending' && row.attempts === 0), 'claims given back', 5_000);

    slow.socket.write(delivery.rawBody.slice(half));
    probe.socket.write('\r\n');
    await Promise.all([slow.closed, probe.closed]);
    expect(slow.answer()).toMatch(/^HTTP\/1\.1 200 /);
    expect(probe.answer()).toMatch(/^HTTP\/1\.1 503 /);
    expect(probe.answer()).toContain('not ready: shutting down');
    const logged = await fake.waitForResponse((r) => r.url === logUrl);
    expect(JSON.stringify(logged.body)).toContain('300');

    expect(await exited).toBe(0);
    expect(bot.logs.some((line) => line.msg === 'stopped')).toBe(true);
    const rows = await digests();
    // Nothing is left held by the process that is gone; what it did not finish is claimable at once.
    expect(rows.filter((row) => row.claimed_at !== null && row.state !== 'done')).toEqual([]);
    const done = rows.filter((row) => row.state === 'done').length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(DIGESTS);
    const at = Date.now();
    const taken = await claimDueJobs(db, { now: at, staleBefore: at - 3 * 60_000, owner: 'another process', limit: 100 });
    expect(taken.length).toBe(DIGESTS - done);
  });
});
