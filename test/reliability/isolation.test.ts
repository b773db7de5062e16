import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply';
import { Harness, type Speaker } from '../support/harness';

const WORKSPACES = ['w1', 'w2'];
const CHANNELS = ['writing', 'drafts', 'essays'];
const MEMBERS = 6;
const STEPS = 3000;

/** Group `g`, member `m`: every name says which group it belongs to, so a leak is visible in any text. */
const nameOf = (g: number, m: number) => `G${g}M${m}`;
const NAME = /\bG(\d+)M\d+\b/g;

interface Group {
  index: number;
  workspace: string;
  channel: string;
}

const groups: Group[] = WORKSPACES.flatMap((workspace, w) => CHANNELS.map((channel, c) => ({ index: w * CHANNELS.length + c, workspace, channel })));
const speaker = (g: Group, m: number, admin = false): Speaker => ({ name: nameOf(g.index, m), workspace: g.workspace, channel: g.channel, admin });

const everything = (reply: Reply) => JSON.stringify({ text: reply.text, title: reply.title, fields: reply.fields, images: reply.images?.map((i) => i.alt) });

/** Names of other groups' members in a text, leaving out any the speaker typed themselves. */
function foreignNames(text: string, group: Group, typed = ''): string[] {
  return [...text.matchAll(NAME)].filter((m) => Number(m[1]) !== group.index && !typed.includes(m[0])).map((m) => m[0]);
}

describe('isolation between groups', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create({ now: '2026-03-04T12:00:00Z' });
    for (const g of groups) await h.send(speaker(g, 0, true), '/setup timezone:Europe/London');
  });
  afterAll(() => h.close());

  it(`keeps every reply, leaderboard and digest to its own group over ${STEPS} generated steps in ${groups.length} groups`, async () => {
    const step = fc.record({
      group: fc.constantFrom(...groups),
      member: fc.integer({ min: 0, max: MEMBERS - 1 }),
      target: fc.record({ group: fc.integer({ min: 0, max: groups.length - 1 }), member: fc.integer({ min: 0, max: MEMBERS - 1 }) }),
      line: fc.constantFrom(
        '/log 250', '/log 1200', '/followers {n}', '/publish https://medium.com/@x/story-{n}', '/read',
        '/leaderboard followers week', '/leaderboard streaks all', '/leaderboard words month', '/leaderboard reads week',
        '/streak', '/stats {target}', '/reads', '/reads {target}', '/readers join', '/undo', '/export',
      ),
      n: fc.integer({ min: 1, max: 5000 }),
    });
    const steps = fc.sample(step, { numRuns: STEPS, seed: 42 });
    const leaks: string[] = [];
    let replies = 0;
    for (const [i, s] of steps.entries()) {
      if (i % 200 === 0) h.clock.advance(20 * 3_600_000);
      const who = speaker(s.group, s.member);
      if (s.line === '/read') {
        const announcement = [...h.adapter.posts].reverse().find((p) => p.to.workspaceId === s.group.workspace && p.to.channelId === s.group.channel && p.reply.buttons?.some((b) => b.action === 'read'));
        if (!announcement) continue;
        const reply = await h.press(who, announcement.reply.buttons!.find((b) => b.action === 'read')!);
        if (reply) replies++;
        if (reply) leaks.push(...foreignNames(everything(reply), s.group));
        continue;
      }
      const line = s.line.replace('{n}', String(s.n)).replace('{target}', nameOf(s.target.group, s.target.member));
      const reply = await h.send(who, line);
      if (reply) replies++;
      if (reply) leaks.push(...foreignNames(everything(reply), s.group, line).map((name) => `${line} in group ${s.group.index}: ${name}`));
    }
    // The week's digests, posted by the scheduler into every group's channel.
    h.at('2026-03-16 09:00', 'Europe/London');
    await h.tick();
    const digests = h.adapter.posts.filter((p) => p.reply.text.startsWith('📬'));
    for (const post of digests) {
      const group = groups.find((g) => g.workspace === post.to.workspaceId && g.channel === post.to.channelId)!;
      leaks.push(...foreignNames(everything(post.reply), group).map((name) => `digest of group ${group.index}: ${name}`));
    }
    // Everything posted in a channel (announcements, wrap-ups, milestones) belongs to that channel's group.
    for (const post of h.adapter.posts) {
      const group = groups.find((g) => g.workspace === post.to.workspaceId && g.channel === post.to.channelId);
      if (group) leaks.push(...foreignNames(everything(post.reply), group).map((name) => `post in group ${group.index}: ${name}`));
    }
    console.log(`isolation: ${steps.length} steps, ${replies} replies and ${h.adapter.posts.length} posts in ${groups.length} groups checked, ${digests.length} digests, foreign members shown = ${leaks.length}`);
    expect(digests).toHaveLength(groups.length);
    expect(h.errors).toEqual([]);
    expect(leaks).toEqual([]);
  }, 300_000);
});
