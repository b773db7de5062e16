import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, type LogEntry, type Speaker } from '../support/harness';

const COMMANDS = 50_000;
const MEMBERS = 500;
const GROUPS = 20;
const IN_FLIGHT = 200;

type Kind = 'log' | 'followers' | 'publish' | 'read' | 'streak' | 'leaderboard' | 'bad';

describe('load', () => {
  let h: Harness;
  const refusals: LogEntry[] = [];
  const group = (g: number): Speaker => ({ name: `Admin${g}`, admin: true, channel: `group-${g}` });
  // Members spread over the groups: member m writes in group m % GROUPS.
  const member = (m: number): Speaker => ({ name: `Writer${m}`, channel: `group-${m % GROUPS}` });

  beforeAll(async () => {
    // The fake clock stands still through the run, so the default rate limits would refuse nearly every
    // picture: this measures commands answered in full (test/commands/rate-limits.test.ts covers the limits).
    const unlimited = { capacity: COMMANDS, refillEveryMs: 1 };
    const rateLimits = { picture: { member: unlimited, group: unlimited }, fetch: { member: unlimited, group: unlimited } };
    h = await Harness.create({ now: '2026-03-10T12:00:00Z', settings: { rateLimits }, onLog: (entry) => entry.msg === 'refused' && refusals.push(entry) });
    for (let g = 0; g < GROUPS; g++) await h.send(group(g), '/setup timezone:Europe/London');
  });
  afterAll(() => h.close());

  it(`answers ${COMMANDS} mixed commands from ${MEMBERS} members in ${GROUPS} groups, ${IN_FLIGHT} at a time, and stores exactly what it acknowledged`, async () => {
    const plan = fc.sample(
      fc.record({
        member: fc.integer({ min: 0, max: MEMBERS - 1 }),
        kind: fc.constantFrom<Kind>('log', 'log', 'log', 'log', 'followers', 'publish', 'read', 'read', 'streak', 'leaderboard', 'bad'),
        n: fc.integer({ min: 1, max: 900 }),
      }),
      { numRuns: COMMANDS - MEMBERS, seed: 50_000 },
    );
    const acknowledged = { logs: 0, words: 0, followers: 0, publications: 0, reads: 0 };
    const wordsByGroup = new Array<number>(GROUPS).fill(0);
    const unexpected: string[] = [];
    let bad = 0;
    let announcements = 0;

    const run = async ({ member: m, kind, n }: (typeof plan)[number], i: number) => {
      const who = member(m);
      const g = m % GROUPS;
      switch (kind) {
        case 'log': {
          const text = await h.text(who, `/log ${n}`);
          if (!/ logged: /.test(text)) return unexpected.push(`/log ${n}: ${text}`);
          acknowledged.logs++;
          acknowledged.words += n;
          wordsByGroup[g]! += n;
          return;
        }
        case 'followers': {
          const text = await h.text(who, `/followers ${n * 10}`);
          if (!/ followers on /.test(text)) return unexpected.push(`/followers: ${text}`);
          acknowledged.followers++;
          return;
        }
        case 'publish': {
          const text = await h.text(who, `/publish https://example.com/${m}/story-${i} Story ${i}`);
          if (!/Announced/.test(text)) return unexpected.push(`/publish: ${text}`);
          acknowledged.publications++;
          announcements++;
          return;
        }
        case 'read': {
          const post = [...h.adapter.posts].reverse().find((p) => p.to.channelId === who.channel && p.reply.buttons?.some((b) => b.action === 'read'));
          if (!post) return;
          const reply = await h.press(who, post.reply.buttons!.find((b) => b.action === 'read')!);
          // A reader's first click counts; the author's own click and a second click are turned down politely.
          if (reply && /Counted/.test(reply.text)) acknowledged.reads++;
          return;
        }
        case 'streak':
        case 'leaderboard': {
          const text = await h.text(who, kind === 'streak' ? '/streak' : '/leaderboard words week');
          if (!text) unexpected.push(`/${kind}: no answer`);
          return;
        }
        case 'bad': {
          bad++;
          await h.text(who, n % 2 ? `/log -${n}` : '/log words:lots');
          return;
        }
      }
    };

    const started = Date.now();
    // Everyone joins with a first log, so that asking for one's streak is never refused; then all at once.
    for (let m = 0; m < MEMBERS; m++) await run({ member: m, kind: 'log', n: 1 }, -1);
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < plan.length) {
          const i = next++;
          await run(plan[i]!, i);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;

    const count = async (table: 'logs' | 'follower_snapshots' | 'publications' | 'reads') =>
      Number((await h.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const stored = {
      logs: await count('logs'),
      words: Number((await h.db.selectFrom('logs').select((eb) => eb.fn.sum<number>('words').as('w')).executeTakeFirstOrThrow()).w),
      followers: await count('follower_snapshots'),
      publications: await count('publications'),
      reads: await count('reads'),
    };
    const storedByGroup = await h.db
      .selectFrom('logs')
      .innerJoin('groups', 'groups.id', 'logs.group_id')
      .select(['groups.channel_id', (eb) => eb.fn.sum<number>('logs.words').as('words')])
      .groupBy('groups.channel_id')
      .execute();
    console.log(
      `load: ${MEMBERS + plan.length} commands in ${seconds.toFixed(1)} s (${Math.round((MEMBERS + plan.length) / seconds)}/s), ${IN_FLIGHT} in flight; acknowledged ${acknowledged.logs} logs (${acknowledged.words} words), ${acknowledged.followers} follower counts, ${acknowledged.publications} articles, ${acknowledged.reads} reads; ${bad} bad inputs, ${refusals.filter((r) => (r.invocation as { kind: string }).kind === 'command').length} commands refused; unexpected replies ${unexpected.length}`,
    );
    expect(unexpected).toEqual([]);
    expect(h.errors).toEqual([]);
    // Only the bad inputs are refused among commands (a reader's second click on a button is turned down too).
    const refusedCommands = refusals.filter((r) => (r.invocation as { kind: string }).kind === 'command');
    expect(refusedCommands).toHaveLength(bad);
    expect(stored).toEqual(acknowledged);
    expect(Object.fromEntries(storedByGroup.map((r) => [r.channel_id, Number(r.words)]))).toEqual(Object.fromEntries(wordsByGroup.map((w, g) => [`group-${g}`, w])));
    expect(announcements).toBeGreaterThan(0);
  }, 600_000);
});
