import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { PermissionFlagsBits } from 'discord.js';
import { applicationKeys, ChannelKind, FakeDiscord, snowflake } from '../test/fakes/discord/fake-discord';
import { createTestDatabase } from '../test/support/databases';
import { startCommand } from '../test/support/processes';
import { startRoundRobinProxy } from '../test/support/round-robin-proxy';
import type { Figure } from './figure';
import { now, percentile } from './measure';

/** Interactions out at once, whatever the number of processes: the same offered load for one and for three. */
const CONCURRENCY = 24;
const MEMBERS = 200;
const WARM_UP = 200;
const MEASURED = 2400;
const TARGET_RATIO = 2.5;

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  /** Interactions whose answer Discord did not take (no response within its 3 s). */
  unanswered: number;
  seconds: number;
  /** CPU seconds used while measuring: by the bot processes together, and by this process (the fake Discord and the proxy). */
  botCpu: number;
  benchCpu: number;
}

/** CPU seconds a process has used so far (user and system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts the built bot (what `npm start` runs) over HTTP only; resolves with the process and its port. */
async function startBotProcess(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; exited: Promise<unknown> }> {
  // npm runs the bench from the project root (the bundled bench cannot find the root from its own path).
  const start = startCommand(process.cwd());
  const child = spawn(process.execPath, [...start.flags, 'dist/main.js'], { env: { ...start.env, PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.on('close', resolve));
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start: ${stderr.slice(-2000)}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk;
      const running = /"msg":"bot running".*?"port":(\d+)|"port":(\d+)[^\n]*"msg":"bot running"/.exec(stderr);
      if (running) {
        clearTimeout(timer);
        resolve(Number(running[1] ?? running[2]));
      }
    });
    child.once('close', () => reject(new Error(`the bot exited: ${stderr.slice(-2000)}`)));
  });
  // Keep reading its output so a full pipe never stalls it.
  child.stderr!.resume();
  return { child, port, exited };
}

/** `processes` bot processes on one fresh Postgres schema behind a round-robin proxy, sent /log interactions at a fixed concurrency. */
async function measure(processes: number): Promise<Run> {
  const database = await createTestDatabase('postgres');
  const guildId = snowflake();
  const channelId = snowflake();
  const admin = { id: snowflake(), username: 'ada' };
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ id: snowflake(), username: `writer${i}` }));
  const fake = await FakeDiscord.start({ guilds: [{ id: guildId, name: 'Writers', channels: [{ id: channelId, name: 'writing', type: ChannelKind.GuildText }], members: [{ user: admin }, ...members.map((user) => ({ user }))] }] });
  const keys = applicationKeys();
  const env = {
    DISCORD_TOKEN: 'bench-token-for-the-fake-discord',
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: guildId,
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    DISCORD_GATEWAY: 'false',
    DATABASE_URL: (database.config as { postgresUrl: string }).postgresUrl,
  };
  const bots: Awaited<ReturnType<typeof startBotProcess>>[] = [];
  try {
    // The first migrates the schema; the others start on it.
    bots.push(await startBotProcess(env));
    bots.push(...(await Promise.all(Array.from({ length: processes - 1 }, () => startBotProcess(env)))));
    const proxy = await startRoundRobinProxy(bots.map((bot) => `http://127.0.0.1:${bot.port}`));
    try {
      fake.useInteractionsEndpoint({ url: `${proxy.url}/discord/interactions`, privateKey: keys.privateKey });
      const setup = fake.slashCommand({ guildId, channelId, user: admin, name: 'setup', options: { timezone: 'UTC' }, memberPermissions: PermissionFlagsBits.ManageGuild });
      if (!(await fake.delivery(setup)).accepted) throw new Error('/setup was not answered');
      const send = async (count: number, latencies: number[]) => {
        let next = 0;
        let unanswered = 0;
        const worker = async () => {
          while (next < count) {
            const i = next++;
            const user = members[i % MEMBERS]!;
            const started = now();
            const delivery = await fake.delivery(fake.slashCommand({ guildId, channelId, user, name: 'log', options: { words: 100 + (i % 900) }, memberPermissions: PermissionFlagsBits.SendMessages }));
            latencies.push(now() - started);
            if (!delivery.accepted) unanswered++;
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        return unanswered;
      };
      await send(WARM_UP, []);
      const latencies: number[] = [];
      const botCpu = () => bots.reduce((sum, bot) => sum + cpuSeconds(bot.child.pid!), 0);
      const cpuBefore = { bots: botCpu(), bench: process.cpuUsage() };
      const started = now();
      const unanswered = await send(MEASURED, latencies);
      const seconds = (now() - started) / 1000;
      const bench = process.cpuUsage(cpuBefore.bench);
      return {
        perSecond: MEASURED / seconds,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        unanswered,
        seconds,
        botCpu: botCpu() - cpuBefore.bots,
        benchCpu: (bench.user + bench.system) / 1e6,
      };
    } finally {
      await proxy.close();
    }
  } finally {
    for (const bot of bots) bot.child.kill('SIGTERM');
    await Promise.all(bots.map((bot) => bot.exited));
    await fake.stop();
    await database.drop();
  }
}

/**
 * Discord interactions over HTTP: signed /log interactions from 200 members, 24 out at once, through a
 * round-robin proxy to one built bot process and then to three on one Postgres, each answered in its
 * HTTP response. Commands per second and p99 (from sending to the response) for each, and what three
 * processes gain over one. The fake Discord, the proxy and Postgres run on the same machine.
 */
export async function httpBench(): Promise<Figure[]> {
  const one = await measure(1);
  const three = await measure(3);
  const cores = cpus().length;
  const ratio = three.perSecond / one.perSecond;
  const load = `${MEASURED} /log interactions from ${MEMBERS} members, ${CONCURRENCY} at once, signed and sent by the fake Discord through a round-robin proxy (all on this machine's ${cores} cores, with Postgres)`;
  const describe = (run: Run) =>
    `p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms, ${run.unanswered} unanswered; over ${run.seconds.toFixed(1)} s the bots used ${run.botCpu.toFixed(1)} CPU-s (${((run.botCpu / MEASURED) * 1000).toFixed(1)} ms a command), the fake Discord and the proxy ${run.benchCpu.toFixed(1)} CPU-s`;
  return [
    { name: 'http /log, one process', value: one.perSecond, unit: 'cmd/s', baseline: null, ratio: null, target: 'p99 < 3000 ms', met: one.p99 < 3000 && one.unanswered === 0, notes: `${load}; ${describe(one)}` },
    {
      name: 'http /log, three processes',
      value: three.perSecond,
      unit: 'cmd/s',
      baseline: one.perSecond,
      ratio,
      target: `>= ${TARGET_RATIO} x one process`,
      met: ratio >= TARGET_RATIO && three.unanswered === 0,
      notes: `the same load on three processes; ${describe(three)}; ${cores} cores on this machine, so three processes, the fake Discord, the proxy and Postgres share them (load average ${loadavg()[0]!.toFixed(1)} at the end)`,
    },
    { name: 'http p99, one process', value: one.p99, unit: 'ms', baseline: null, ratio: null, target: '< 3000 ms', met: one.p99 < 3000, notes: `from sending to the HTTP response, ${describe(one)}` },
    { name: 'http p99, three processes', value: three.p99, unit: 'ms', baseline: one.p99, ratio: three.p99 / one.p99, target: '< 3000 ms', met: three.p99 < 3000, notes: `from sending to the HTTP response, ${describe(three)}` },
  ];
}
