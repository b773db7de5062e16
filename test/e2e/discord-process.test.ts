import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelKind, FakeDiscord, type GuildSpec, snowflake } from '../fakes/discord/fake-discord';
import { commands } from '../../commands/index';
import { commandNames } from '../../src/router/command';
import { PROJECT_ROOT, runTypeScript, startCommand } from '../support/processes';

const MEMBERS_PER_GUILD = 20;

function residentMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function guildsWith(writer: { id: string; username: string }, count: number): GuildSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: snowflake(),
    name: `Writers ${i}`,
    channels: ['writing', 'general', 'off-topic'].map((name) => ({ id: snowflake(), name, type: ChannelKind.GuildText })),
    members: Array.from({ length: MEMBERS_PER_GUILD }, (_, j) => ({ user: j === 0 ? writer : { id: snowflake(), username: `member${i}-${j}` } })),
  }));
}

/**
 * Runs what `npm start` runs (the built bundle) against a fake Discord with `count` servers, sends a
 * command in each, and returns the process's resident memory; then stops it with SIGTERM.
 */
async function measure(count: number, dir: string): Promise<number> {
  const writer = { id: snowflake(), username: 'writer' };
  const guilds = guildsWith(writer, count);
  const fake = await FakeDiscord.start({ guilds });
  try {
    const start = startCommand();
    const child = spawn(process.execPath, [...start.flags, 'dist/main.js'], {
      cwd: PROJECT_ROOT,
      env: {
        ...start.env,
        PATH: process.env.PATH,
        PORT: '0',
        DISCORD_TOKEN: 'test-token-for-the-fake-discord',
        DISCORD_API_URL: fake.apiUrl,
        SQLITE_PATH: join(dir, `bot-${count}.sqlite`),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await fake.waitUntil(() => stderr.includes('"msg":"bot running"'), { timeoutMs: 20_000, description: 'the bot reports it is running' });

    const first = guilds[0]!;
    const setup = fake.slashCommand({ guildId: first.id, channelId: first.channels[0]!.id, user: writer, name: 'setup', options: { timezone: 'UTC' }, memberPermissions: 32n });
    expect((await fake.waitForCallback(setup)).body).toMatchObject({ type: 4 });
    for (const guild of guilds) await fake.waitForCallback(fake.slashCommand({ guildId: guild.id, channelId: guild.channels[0]!.id, user: writer, name: 'streak' }));
    const rss = residentMegabytes(child.pid!);
    expect(stderr).not.toContain('test-token-for-the-fake-discord');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    return rss;
  } finally {
    await fake.stop();
  }
}

describe('npm start with a Discord token', () => {
  let dir: string;
  beforeAll(() => {
    execSync('npm run build --silent', { cwd: PROJECT_ROOT, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'discord-process-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves 1 and 100 servers from the built entry point with the same memory, and stops cleanly', async () => {
    const one = await measure(1, dir);
    const hundred = await measure(100, dir);
    console.log(`Bot RSS against the fake Discord: ${one.toFixed(0)} MB with 1 server, ${hundred.toFixed(0)} MB with 100 servers (${100 * MEMBERS_PER_GUILD} members)`);
    expect(hundred).toBeLessThan(one + 40);
    expect(hundred).toBeLessThan(200);
  });

  it('npm run discord:register overwrites the commands of a guild, or globally, without starting the bot', async () => {
    const guildId = snowflake();
    const fake = await FakeDiscord.start({ guilds: [{ id: guildId, name: 'Writers', channels: [{ id: snowflake(), name: 'writing' }] }] });
    try {
      const env = { DISCORD_TOKEN: 'test-token-for-the-fake-discord', DISCORD_API_URL: fake.apiUrl };
      expect(await runTypeScript('src/cli/discord-register.ts', [], { ...env, DISCORD_GUILD_ID: guildId })).toBe(
        `Registered ${commands.flatMap(commandNames).length} commands in guild ${guildId}.\n`,
      );
      expect(await runTypeScript('src/cli/discord-register.ts', [], env)).toBe(`Registered ${commands.flatMap(commandNames).length} commands globally.\n`);
      expect(fake.commands(guildId).map((c) => c.name)).toEqual(commands.flatMap(commandNames));
      expect(fake.commands().map((c) => c.name)).toEqual(commands.flatMap(commandNames));
    } finally {
      await fake.stop();
    }
  });
});
