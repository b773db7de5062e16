import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/adapters/slack/slack-adapter';
import type { Invocation } from '../../src/core/invocation';
import { insertInboxEntry } from '../../src/db/command-inbox.repository';
import { ChannelKind, FakeDiscord, snowflake } from '../fakes/discord/fake-discord';
import { FakeClock } from '../fakes/fake-clock';
import { FAKE_SLACK_DEFAULTS, FakeSlack, sendSignedRequest, slashCommand } from '../fakes/slack/fake-slack';
import { startTestBot, type TestBot } from '../support/running-bot';

const MINUTE = 60_000;
const ADMIN = 'U0ADMIN';
const CHANNEL = 'C0WRITING';
const signingSecret = 'abcdef0123456789abcdef0123456789';

/**
 * A /log a process stored and acknowledged on Slack, then died holding; the bot behind the fake Slack
 * takes it up once the claim has run out.
 */
describe('a stored Slack command answered by a later process', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function botWithLeftCommand() {
    const fake = await FakeSlack.start({ users: [{ id: ADMIN, name: 'ada', realName: 'Ada Lovelace', isAdmin: true }] });
    cleanups.push(() => fake.stop());
    const clock = new FakeClock(Date.parse('2026-03-02T12:00:00Z'));
    const bot: TestBot = await startTestBot({ SLACK_BOT_TOKEN: 'xoxb-1111-2222-fake', SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: fake.apiUrl, PORT: '0' }, { clock, schedule: false });
    cleanups.push(() => bot.close());
    const port = (bot.adapters[0] as SlackAdapter).address!.port;
    const setup = slashCommand({ command: '/setup', text: 'timezone:UTC', userId: ADMIN, channelId: CHANNEL, responseUrl: fake.responseUrl('setup') });
    expect((await sendSignedRequest(`http://127.0.0.1:${port}/slack/events`, setup, { signingSecret })).status).toBe(200);
    await fake.waitForResponse((r) => r.id === 'setup');
    const invocation: Invocation = {
      kind: 'command',
      name: 'log',
      args: { text: '750' },
      actor: { platform: 'slack', workspaceId: FAKE_SLACK_DEFAULTS.teamId, userId: ADMIN, displayName: 'Ada', isAdmin: true },
      conversation: { platform: 'slack', workspaceId: FAKE_SLACK_DEFAULTS.teamId, channelId: CHANNEL },
      idempotencyKey: 'slack:command:left.behind',
    };
    await insertInboxEntry(bot.app.database.db, { invocation, replyTo: { responseUrl: fake.responseUrl('left') }, receivedAt: clock.now(), claimedBy: 'a dead process', claimedUntil: clock.now() + 10_000 });
    const logged = async () => (await bot.app.database.db.selectFrom('logs').select('words').where('event_key', '=', invocation.idempotencyKey).execute()).map((r) => r.words);
    return { fake, clock, bot, logged };
  }

  it('GIVEN its response_url still works THEN it is run once and answered there', async () => {
    const { fake, clock, bot, logged } = await botWithLeftCommand();
    clock.advance(MINUTE);
    expect(await bot.app.inbox.recover()).toBe(1);
    expect(await logged()).toEqual([750]);
    const answers = fake.responses.filter((r) => r.id === 'left');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('logged: 750 words') });
    expect(await bot.app.inbox.recover()).toBe(0);
  });

  it('GIVEN Slack no longer takes answers at its response_url (past 30 minutes) THEN it is answered by a direct message saying what happened', async () => {
    const { fake, clock, bot, logged } = await botWithLeftCommand();
    clock.advance(31 * MINUTE);
    expect(await bot.app.inbox.recover()).toBe(1);
    expect(await logged()).toEqual([750]);
    expect(fake.responses.filter((r) => r.id === 'left')).toEqual([]);
    const opened = fake.calls.filter((c) => c.method === 'conversations.open');
    expect(opened.map((c) => c.params.users)).toEqual([ADMIN]);
    const direct = fake.messages.filter((m) => m.channel !== CHANNEL);
    expect(direct).toHaveLength(1);
    expect(direct[0]!.text).toMatch(/^I couldn't answer your \/log 750 in .* there in time, so here is what happened:\n.*logged: 750 words/s);
  });
});

/**
 * A /log a Discord process stored and deferred (or not yet acknowledged), then died holding; a second
 * process on the same database takes it up once the claim has run out.
 */
describe('a stored Discord command answered by a later process', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function botWithLeftCommand(options: { deferred: boolean }) {
    const guildId = snowflake();
    const writing = snowflake();
    const ada = { id: snowflake(), username: 'ada', globalName: 'Ada' };
    const fake = await FakeDiscord.start({ guilds: [{ id: guildId, name: 'Writers', channels: [{ id: writing, name: 'writing', type: ChannelKind.GuildText }], members: [{ user: ada }] }] });
    cleanups.push(() => fake.stop());
    const clock = new FakeClock(Date.parse('2026-03-02T12:00:00Z'));
    const env = { DISCORD_TOKEN: 'test-token-for-the-fake-discord', DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildId, DISCORD_CHAT_LOGGING: 'false' };
    const first: TestBot = await startTestBot(env, { clock, schedule: false });
    cleanups.push(() => first.database.drop());
    const setup = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'setup', options: { timezone: 'UTC' }, memberPermissions: PermissionFlagsBits.ManageGuild });
    await fake.waitForCallback(setup);
    await first.stop();

    // The interaction reached the process that is gone: it stored it and, maybe, deferred it.
    const left = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'log', options: { words: 750 } });
    if (options.deferred) {
      const deferral = await fetch(`${fake.apiUrl}/v10/interactions/${left.id}/${left.token}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 5, data: { flags: 64 } }),
      });
      expect(deferral.ok).toBe(true);
    }
    const second: TestBot = await startTestBot(env, { clock, schedule: false, sameDatabaseAs: first });
    cleanups.push(() => second.close());
    const invocation: Invocation = {
      kind: 'command',
      name: 'log',
      args: { values: { words: 750 } },
      actor: { platform: 'discord', workspaceId: guildId, userId: ada.id, displayName: 'Ada', isAdmin: false },
      conversation: { platform: 'discord', workspaceId: guildId, channelId: writing },
      idempotencyKey: `discord:interaction:${left.id}`,
    };
    await insertInboxEntry(second.app.database.db, {
      invocation,
      replyTo: { applicationId: fake.applicationId, token: left.token },
      receivedAt: clock.now(),
      claimedBy: 'a dead process',
      claimedUntil: clock.now() + 10_000,
    });
    const logged = async () => (await second.app.database.db.selectFrom('logs').select('words').where('event_key', '=', invocation.idempotencyKey).execute()).map((r) => r.words);
    const edits = () => fake.requestsTo('PATCH', new RegExp(`^/webhooks/${fake.applicationId}/${left.token}/messages/@original$`));
    const directMessages = () => fake.channelMessages(fake.dmChannelId(ada.id));
    return { fake, clock, bot: second, left, logged, edits, directMessages };
  }

  it('GIVEN its deferral is still loading within 15 minutes THEN it is run once and answered in the deferral', async () => {
    const { fake, clock, bot, left, logged, edits, directMessages } = await botWithLeftCommand({ deferred: true });
    clock.advance(MINUTE);
    expect(await bot.app.inbox.recover()).toBe(1);
    expect(await logged()).toEqual([750]);
    expect(edits()).toHaveLength(1);
    expect(fake.interaction(left.id).original?.content).toContain('logged: 750 words');
    expect(directMessages()).toEqual([]);
  });

  it('GIVEN its token is past 15 minutes THEN it is answered by a direct message saying what happened', async () => {
    const { clock, bot, logged, edits, directMessages } = await botWithLeftCommand({ deferred: true });
    clock.advance(16 * MINUTE);
    expect(await bot.app.inbox.recover()).toBe(1);
    expect(await logged()).toEqual([750]);
    expect(edits()).toEqual([]);
    expect(directMessages().map((m) => m.content)).toEqual([expect.stringMatching(/^I couldn't answer your \/log words:750 in .* there in time, so here is what happened:\n.*logged: 750 words/s)]);
  });

  it('GIVEN it was never acknowledged THEN Discord takes no answer for it and it is answered by a direct message', async () => {
    const { clock, bot, logged, edits, directMessages } = await botWithLeftCommand({ deferred: false });
    clock.advance(MINUTE);
    expect(await bot.app.inbox.recover()).toBe(1);
    expect(await logged()).toEqual([750]);
    expect(edits()).toEqual([]);
    expect(directMessages()).toHaveLength(1);
  });
});
