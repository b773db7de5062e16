import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app';
import { insertFollowerSnapshot } from '../src/db/follower.repository';
import { ChannelKind, FakeDiscord, type GuildSpec, snowflake } from '../test/fakes/discord/fake-discord';
import pino from 'pino';
import { startCommand } from '../test/support/processes';
import type { Figure } from './figure';

const GROUPS = 1000;
const MEMBERS = 5;

function peakResidentMegabytes(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/**
 * The built bot (what `npm start` runs) serving 1,000 Discord servers, each a group whose digest
 * fell due a minute before start (so its first tick catches it up): its peak resident memory once every digest is out.
 */
export async function memoryBench(): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
  const sqlitePath = join(dir, 'bot.sqlite');
  const writers = Array.from({ length: MEMBERS }, (_, i) => ({ id: snowflake(), username: `writer${i}` }));
  const guilds: GuildSpec[] = Array.from({ length: GROUPS }, (_, i) => ({
    id: snowflake(),
    name: `Writers ${i}`,
    channels: [{ id: snowflake(), name: 'writing', type: ChannelKind.GuildText }],
    members: writers.map((user) => ({ user })),
  }));
  const fake = await FakeDiscord.start({ guilds });
  try {
    // The groups, with a little history each, and a digest due at the next full minute (UTC).
    const app = await createApp({ database: { sqlitePath }, logger: pino({ level: 'silent' }) });
    // Due a minute or two ago: the bot catches it up on its first tick, so every digest goes out at once.
    const due = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const now = Date.now();
    for (const guild of guilds) {
      const group = await app.database.db
        .insertInto('groups')
        .values({ platform: 'discord', workspace_id: guild.id, channel_id: guild.channels[0]!.id, announce_channel_id: guild.channels[0]!.id, timezone: 'UTC', log_pattern: null, readers_role_id: null, daily_digest_cron: null, digest_cron: `${due.getUTCMinutes()} ${due.getUTCHours()} * * *`, created_by: writers[0]!.id, created_at: now - 30 * 86_400_000, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [j, writer] of writers.entries()) {
        const actor = { platform: 'discord' as const, workspaceId: guild.id, userId: writer.id, displayName: writer.username, isAdmin: false };
        const { member } = await app.services.members.ensure({ ...(await app.services.groups.get(group.id)) }, actor);
        await app.database.db.insertInto('logs').values({ member_id: member.id, group_id: group.id, local_date: new Date(now - 86_400_000).toISOString().slice(0, 10), zone: 'UTC', rollover_hour: 0, words: 300 + j, minutes: 0, url: null, note: null, source: 'command', event_key: `m:${member.id}`, message_id: null, logged_at: now }).execute();
        await insertFollowerSnapshot(app.database.db, { memberId: member.id, groupId: group.id, platform: 'medium', count: 100 + j, total: 100 + j, previousTotal: null, recordedAt: now - 3 * 86_400_000, eventKey: `f:${member.id}` });
      }
    }
    await app.close();

    // npm runs the bench from the project root (the bundled bench cannot find the root from its own path).
    const start = startCommand(process.cwd());
    const child = spawn(process.execPath, [...start.flags, 'dist/main.js'], {
      env: { ...start.env, PATH: process.env.PATH, DISCORD_TOKEN: 'bench-token-for-the-fake-discord', DISCORD_API_URL: fake.apiUrl, SQLITE_PATH: sqlitePath, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const digests = () => fake.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && JSON.stringify(r.body).includes('Weekly digest')).length;
    await fake.waitUntil(() => digests() >= GROUPS, { timeoutMs: 240_000, description: `${GROUPS} digests posted` }).catch((error: unknown) => { process.stderr.write(stderr.slice(-3000)); throw error; });
    const peak = peakResidentMegabytes(child.pid!);
    child.kill('SIGTERM');
    await exited;
    return { name: 'memory', value: peak, unit: 'MB', baseline: null, ratio: null, target: '<= 150 MB', met: peak <= 150, notes: `peak RSS of the built bot serving ${GROUPS} Discord servers, after a digest tick that posted ${GROUPS} digests` };
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
