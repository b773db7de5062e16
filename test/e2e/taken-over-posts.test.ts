import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/adapters/slack/slack-adapter';
import { FakeClock } from '../fakes/fake-clock';
import type { MessageRef } from '../../src/core/reply';
import { ChannelKind, FakeDiscord, snowflake } from '../fakes/discord/fake-discord';
import { FakeSlack, sendSignedRequest, slashCommand } from '../fakes/slack/fake-slack';
import { startTestBot, type TestBot } from '../support/running-bot';

const MINUTE = 60_000;
/** A claim older than this belongs to a dead process (the scheduler's default). */
const STALE_CLAIM_MS = 10 * MINUTE;
const DIGEST_DUE = '2026-03-16T09:00:00Z';

/**
 * The bot's process dies the moment the platform has accepted its next post: its database goes with
 * it before the post is recorded, so the job is left claimed, as a SIGKILL at that instant leaves it.
 */
function dieOnceThePlatformAccepts(bot: TestBot): Promise<MessageRef> {
  const adapter = bot.adapters[0]!;
  const post = adapter.post.bind(adapter);
  return new Promise((resolve) => {
    adapter.post = async (to, reply, once) => {
      const ref = await post(to, reply, once);
      await bot.app.database.close();
      resolve(ref);
      throw new Error('the process died');
    };
  });
}

async function weeklyDigestJob(bot: TestBot) {
  return bot.app.database.db.selectFrom('scheduled_jobs').select(['state', 'message_id', 'attempts']).where('job', '=', 'weekly-digest').executeTakeFirstOrThrow();
}

/**
 * The weekly digest's first process posts it and dies before recording it; a second process on the
 * same database takes the job over once the claim is stale.
 */
async function digestTakenOver(start: (options: { clock: FakeClock; sameDatabaseAs?: TestBot }) => Promise<TestBot>, setUp: (bot: TestBot) => Promise<void>) {
  const clock = new FakeClock(Date.parse('2026-03-16T08:59:00Z'));
  const first = await start({ clock });
  await setUp(first);
  const died = dieOnceThePlatformAccepts(first);
  clock.set(DIGEST_DUE);
  await first.app.scheduler.tick();
  const accepted = await died;
  const second = await start({ clock, sameDatabaseAs: first });
  clock.advance(STALE_CLAIM_MS + MINUTE);
  await second.app.scheduler.tick();
  return { first, second, accepted };
}

describe('a scheduled post whose process died between the platform accepting it and the bot recording it', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Starts bot processes on these settings (unscheduled: the test ticks them), each closed after the test. */
  const botsOn = (env: Record<string, string>) => {
    const bots: TestBot[] = [];
    cleanups.push(async () => {
      for (const bot of bots.reverse()) await bot.close();
    });
    return async (options: { clock: FakeClock; sameDatabaseAs?: TestBot }) => {
      const bot = await startTestBot(env, { ...options, schedule: false });
      bots.push(bot);
      return bot;
    };
  };

  it('is not posted again on Discord: the taken-over job resends its nonce with enforce_nonce and gets the first message back', async () => {
    const guildId = snowflake();
    const writing = snowflake();
    const ada = { id: snowflake(), username: 'ada', globalName: 'Ada' };
    const fake = await FakeDiscord.start({ guilds: [{ id: guildId, name: 'Writers', channels: [{ id: writing, name: 'writing', type: ChannelKind.GuildText }], members: [{ user: ada }] }] });
    cleanups.push(() => fake.stop());
    const env = { DISCORD_TOKEN: 'test-token-for-the-fake-discord', DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildId };
    const start = botsOn(env);
    const { second, accepted } = await digestTakenOver(start, async () => {
      const setup = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'setup', options: { timezone: 'UTC' }, memberPermissions: PermissionFlagsBits.ManageGuild });
      expect((await fake.waitForCallback(setup)).body).toMatchObject({ type: 4, data: { embeds: [{ title: 'Writing group ready' }] } });
    });

    const digests = fake.channelMessages(writing).filter((m) => m.embeds.some((e) => e.title?.startsWith('📬 Weekly digest')));
    expect(digests.map((m) => m.id)).toEqual([accepted.messageId]);
    const sends = fake.requestsTo('POST', `/channels/${writing}/messages`).map((r) => r.body as { nonce?: string; enforce_nonce?: boolean });
    expect(sends).toHaveLength(2);
    expect(sends[1]).toMatchObject({ nonce: sends[0]!.nonce, enforce_nonce: true });
    expect(await weeklyDigestJob(second)).toEqual({ state: 'done', message_id: accepted.messageId, attempts: 2 });
  });

  it('is not posted again on Slack: the taken-over job finds the first message by its metadata and records its ts', async () => {
    const channel = 'C0WRITING';
    const admin = 'U0ADMIN';
    const signingSecret = 'abcdef0123456789abcdef0123456789';
    const fake = await FakeSlack.start({ users: [{ id: admin, name: 'ada', realName: 'Ada Lovelace', isAdmin: true }] });
    cleanups.push(() => fake.stop());
    const env = { SLACK_BOT_TOKEN: 'xoxb-1111-2222-fake', SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: fake.apiUrl, PORT: '0' };
    const start = botsOn(env);
    const { second, accepted } = await digestTakenOver(start, async (bot) => {
      const port = (bot.adapters[0] as SlackAdapter).address!.port;
      const responseUrl = fake.responseUrl();
      const sent = await sendSignedRequest(`http://127.0.0.1:${port}/slack/events`, slashCommand({ command: '/setup', text: 'timezone:UTC', userId: admin, channelId: channel, responseUrl }), { signingSecret });
      expect(sent.status).toBe(200);
      expect((await fake.waitForResponse((r) => r.url === responseUrl)).body).toMatchObject({ response_type: 'in_channel' });
    });

    const digests = fake.messages.filter((m) => m.channel === channel && m.text.includes('Weekly digest'));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ ts: accepted.messageId, metadata: { event_type: 'inkwell_post', event_payload: { key: expect.stringMatching(/^job:\d+$/) } } });
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const lookups = fake.calls.filter((c) => c.method === 'conversations.history');
    expect(lookups.map((c) => c.params)).toEqual([expect.objectContaining({ channel, include_all_metadata: 'true', oldest: (Date.parse(DIGEST_DUE) / 1000).toFixed(6) })]);
    expect(await weeklyDigestJob(second)).toEqual({ state: 'done', message_id: accepted.messageId, attempts: 2 });
  });
});
