import { channelReply } from '../src/core/reply';
import { BenchApp } from './bench-app';
import type { Figure } from './figure';
import { loopFigure } from './loop-figure';
import { now, percentile, sleep, watchEventLoop } from './measure';
import { DISCORD_LIMITS, RateLimitedAdapter, SLACK_LIMITS } from './rate-limited-adapter';
import { type GroupPlace, seed } from './seed';

/** A Monday, 09:00 UTC: when every group's weekly digest (the default schedule) falls due. */
const DUE = '2026-06-29T09:00:00Z';
const GROUPS = 1000;
const MEMBERS_PER_GROUP = 8;
/** Long enough for the digest's 12-week follower chart. */
const DAYS = 90;
/** node-cron ticks the scheduler every 15 s. */
const TICK_MS = 15_000;
/** Members keep logging while the digests go out, at this rate. */
const LOGS_PER_SECOND = 10;
/** A storm still going after this long is reported as it stands. */
const GIVE_UP_MS = 10 * 60_000;

/** Half the groups on Discord, half on Slack, each in a server or workspace and channel of its own. */
const place = (g: number): GroupPlace =>
  g % 2 === 0 ? { platform: 'discord', workspaceId: `guild${g}`, channelId: `c${g}` } : { platform: 'slack', workspaceId: `T${g}`, channelId: `C${g}` };

const isDigest = (post: { once?: { key: string }; title?: string }) => Boolean(post.once?.key.startsWith('job:') && post.title?.startsWith('📬'));

/**
 * 1,000 groups' weekly digests fall due at the same minute, pictures included, posted through
 * adapters limited as the platforms are (Discord: 50 requests a second for the bot; Slack: about one
 * message a second per channel), each post taking 150 ms. The scheduler is ticked as node-cron would
 * (at once, then every 15 s) while the fake clock follows real time. Measured: the time until the last
 * digest is posted, against the time the same posts take through the same limits when all are ready
 * at once; and `/log` from members of those groups during the storm.
 */
export async function stormBench(): Promise<Figure[]> {
  const bench = await BenchApp.create('sqlite', DUE);
  try {
    bench.clock.set(Date.parse(DUE) - 3_600_000);
    await seed(bench.db, { groups: GROUPS, membersPerGroup: MEMBERS_PER_GROUP, days: DAYS, today: '2026-06-29', zone: 'UTC', followers: true, place }, Date.parse(DUE) - 3_600_000);
    const adapters = [new RateLimitedAdapter('discord', DISCORD_LIMITS), new RateLimitedAdapter('slack', SLACK_LIMITS)];
    for (const adapter of adapters) await bench.app.attach(adapter);
    const digests = () => adapters.flatMap((a) => a.posts.filter(isDigest));

    bench.clock.set(Date.parse(DUE) + 1000);
    const stopClock = bench.followRealTime();
    const logLatencies: number[] = [];
    let stormDone = false;
    const { result: storm, ...loop } = await watchEventLoop(async () => {
      const start = now();
      const logging = logDuring(bench, () => stormDone, logLatencies);
      let nextTick = start;
      while (digests().length < GROUPS && now() - start < GIVE_UP_MS) {
        if (now() >= nextTick) {
          void bench.app.scheduler.tick();
          nextTick += TICK_MS;
        }
        await sleep(50);
      }
      const posted = digests();
      stormDone = true;
      await logging;
      return { seconds: (Math.max(...posted.map((p) => p.landedAt)) - start) / 1000, posted: posted.length };
    }).finally(stopClock);

    // The same posts, all ready at once, through fresh adapters with the same limits.
    const floorAdapters = { discord: new RateLimitedAdapter('discord', DISCORD_LIMITS), slack: new RateLimitedAdapter('slack', SLACK_LIMITS) };
    const floorStart = now();
    await Promise.all(digests().map((post) => floorAdapters[post.to.platform as 'discord' | 'slack'].post(post.to, channelReply('digest'))));
    const floor = (now() - floorStart) / 1000;

    const done = storm.posted >= GROUPS;
    const ratio = storm.seconds / floor;
    const logP99 = percentile(logLatencies, 99);
    const load = `${GROUPS} weekly digests due at one minute (${GROUPS / 2} Discord, ${GROUPS / 2} Slack; ${MEMBERS_PER_GROUP} members, ${DAYS} days of history and two pictures each)`;
    return [
      {
        name: 'storm',
        value: storm.seconds,
        unit: 's',
        baseline: floor,
        ratio,
        target: '<= 1.5 x baseline',
        met: done && ratio <= 1.5,
        notes: `${load}, until the last is posted${done ? '' : ` (only ${storm.posted} posted when measuring stopped after ${GIVE_UP_MS / 60_000} min)`}; adapters: Discord 50 requests/s, Slack 1 message/s per channel, 150 ms a post; baseline: the same posts through the same limits, all ready at once`,
      },
      {
        name: 'storm /log p99',
        value: logP99,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '< 100 ms',
        met: logP99 < 100,
        notes: `${logLatencies.length} /log (${LOGS_PER_SECOND} a second from members of those groups) during the storm, due to reply; p50 ${percentile(logLatencies, 50).toFixed(1)} ms`,
      },
      loopFigure('storm', loop, `while ${load} go out and members log`),
    ];
  } finally {
    await bench.close();
  }
}

/** `/log` from the storm's members at a steady rate until `over()`, each timed from when it was due. */
async function logDuring(bench: BenchApp, over: () => boolean, latencies: number[]): Promise<void> {
  const start = now();
  const sent: Promise<void>[] = [];
  for (let i = 0; !over(); i++) {
    const dueAt = start + (i * 1000) / LOGS_PER_SECOND;
    const wait = dueAt - now();
    if (wait > 0) await sleep(wait);
    if (over()) break;
    const g = (i * 7) % GROUPS;
    const where = place(g);
    const actor = bench.actor(where.workspaceId, `m${g}-${i % MEMBERS_PER_GROUP}`, false, where.platform);
    sent.push(
      bench.command(actor, bench.conversation(where.workspaceId, where.channelId, where.platform), '/log 250').then((reply) => {
        if (!reply || !/logged/.test(reply.text)) throw new Error(`unexpected reply to /log: ${reply?.text}`);
        latencies.push(now() - dueAt);
      }),
    );
  }
  await Promise.all(sent);
}
