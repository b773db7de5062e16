import { PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index';
import { applicationCommands } from '../../src/adapters/discord/application-commands';
import { commandNames } from '../../src/router/command';
import { DiscordAdapter } from '../../src/adapters/discord/discord-adapter';
import { FakeClock } from '../fakes/fake-clock';
import type { Invocation } from '../../src/core/invocation';
import { channelReply, privateReply, type Reply } from '../../src/core/reply';
import { ChannelKind, FakeDiscord, type RecordedRequest, snowflake } from '../fakes/discord/fake-discord';
import { startTestBot, type TestBot } from '../support/running-bot';
import pino from 'pino';

const TOKEN = 'test-token-for-the-fake-discord';
const MANAGE_GUILD = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages;
const MEMBER = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;

const ada = { id: snowflake(), username: 'ada', globalName: 'Ada' };
const bo = { id: snowflake(), username: 'bo', globalName: 'Bo' };
const guildId = snowflake();
const writing = snowflake();
const offTopic = snowflake();

interface CallbackBody {
  type: number;
  data?: { content?: string; flags?: number; embeds?: { title?: string; description?: string }[]; components?: { components: { custom_id?: string; label: string }[] }[]; allowed_mentions?: unknown };
}

const callbackBody = (request: RecordedRequest) => request.body as CallbackBody;

describe('the Discord adapter, real bot wiring against a fake Discord', () => {
  let fake: FakeDiscord;
  let bot: TestBot;
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      guilds: [
        {
          id: guildId,
          name: 'Writers',
          channels: [
            { id: writing, name: 'writing', type: ChannelKind.GuildText },
            { id: offTopic, name: 'off-topic', type: ChannelKind.GuildText },
          ],
          members: [{ user: ada }, { user: bo, nick: 'Bo the Bard' }],
        },
      ],
    });
    bot = await startTestBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildId }, { clock });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  async function slash(user: typeof ada, name: string, options: Record<string, string | number> = {}, extra: { admin?: boolean; channelId?: string; dm?: boolean } = {}) {
    const sent = fake.slashCommand({
      ...(extra.dm ? {} : { guildId, channelId: extra.channelId ?? writing }),
      user,
      name,
      options,
      memberPermissions: extra.admin ? MANAGE_GUILD : MEMBER,
    });
    return callbackBody(await fake.waitForCallback(sent));
  }

  it('registers the slash commands from the definitions in one bulk overwrite, to the configured guild', async () => {
    const registration = await fake.waitForRequest({ method: 'PUT', path: `/applications/${fake.applicationId}/guilds/${guildId}/commands` });
    expect(registration.body).toEqual(applicationCommands(commands));
    expect(fake.commands(guildId).map((c) => c.name)).toEqual(commands.flatMap(commandNames));
  });

  it('answers a slash command in the channel, with its options', async () => {
    const setup = await slash(ada, 'setup', { timezone: 'Europe/London' }, { admin: true });
    expect(setup.type).toBe(4);
    expect(setup.data!.flags ?? 0).toBe(0);
    expect(setup.data!.embeds![0]!.title).toBe('Writing group ready');
    const log = await slash(bo, 'log', { words: 500, url: 'https://medium.com/@bo/draft' });
    expect(log.data).toMatchObject({ content: expect.stringMatching(/Bo the Bard logged: 500 words and a link today/), allowed_mentions: { parse: [] } });
    const rows = await bot.app.database.db.selectFrom('logs').select(['words', 'url']).execute();
    expect(rows).toEqual([{ words: 500, url: 'https://medium.com/@bo/draft' }]);
  });

  it('answers personal data privately (ephemeral), with the calendar attached and shown in the embed', async () => {
    const sent = fake.slashCommand({ guildId, channelId: writing, user: bo, name: 'streak', memberPermissions: MEMBER });
    const callback = await fake.waitForCallback(sent);
    const streak = callbackBody(callback);
    expect(streak.data!.flags).toBe(64);
    expect(streak.data!.embeds![0]).toMatchObject({ title: "Bo the Bard's streak", image: { url: 'attachment://streak-calendar.png' } });
    expect(callback.files.map((f) => [f.name, f.contentType])).toEqual([['streak-calendar.png', 'image/png']]);
    expect(callback.files[0]!.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('answers an alias as the command it stands for', async () => {
    const stats = await slash(bo, 'stats');
    expect(stats.data!.embeds![0]).toMatchObject({ title: "Bo the Bard's streak", image: { url: 'attachment://streak-calendar.png' } });
  });

  it('refuses members without permission, explains unknown commands, and DMs where a group is needed', async () => {
    expect((await slash(bo, 'config')).data).toMatchObject({ flags: 64, content: expect.stringMatching(/Only group admins/) });
    expect((await slash(bo, 'bogus')).data).toMatchObject({ flags: 64, content: expect.stringMatching(/There's no \/bogus command/) });
    expect((await slash(bo, 'log', { words: 5 }, { dm: true })).data).toMatchObject({
      flags: 64,
      content: '/log works in a writing group\'s channel, not in a direct message.',
    });
  });

  it('routes a button back through the router, and a second click does nothing twice', async () => {
    const ask = await slash(bo, 'forget');
    const customId = ask.data!.components![0]!.components[0]!.custom_id!;
    expect(customId.length).toBeLessThanOrEqual(100);
    const click = async () => callbackBody(await fake.waitForCallback(fake.buttonClick({ guildId, channelId: writing, user: bo, customId })));
    expect((await click()).data).toMatchObject({ flags: 64, content: expect.stringMatching(/Done: everything I kept about you/) });
    expect((await click()).data).toMatchObject({ flags: 64, content: expect.stringMatching(/nothing left to delete/) });
  });

  it('explains a stale button', async () => {
    const stale = callbackBody(await fake.waitForCallback(fake.buttonClick({ guildId, channelId: writing, user: bo, customId: 'vanished:12345' })));
    expect(stale.data).toMatchObject({ flags: 64, content: expect.stringMatching(/no longer works/) });
  });

  it('logs a chat message in the group channel and reacts with a check mark; ignores other channels', async () => {
    const message = fake.message({ guildId, channelId: writing, author: bo, content: '+300 words on chapter two' });
    await fake.waitForRequest({ method: 'PUT', path: `/channels/${writing}/messages/${message.id}/reactions/✅/@me` });
    fake.message({ guildId, channelId: offTopic, author: bo, content: '+999 words' });
    // The gateway delivers in order: once a later message in the group channel is answered, the other one was seen.
    const later = fake.message({ guildId, channelId: writing, author: bo, content: '+20 words' });
    await fake.waitForRequest({ method: 'PUT', path: `/channels/${writing}/messages/${later.id}/reactions/✅/@me` });
    const rows = await bot.app.database.db.selectFrom('logs').select(['words', 'source', 'message_id']).where('source', '=', 'chat').orderBy('id').execute();
    expect(rows).toEqual([
      { words: 300, source: 'chat', message_id: message.id },
      { words: 20, source: 'chat', message_id: later.id },
    ]);
  });

  it('follows an edit and a delete of a logged message', async () => {
    const message = fake.message({ guildId, channelId: writing, author: bo, content: '+100 words' });
    await fake.waitForRequest({ method: 'PUT', path: `/channels/${writing}/messages/${message.id}/reactions/✅/@me` });
    fake.messageUpdate({ guildId, channelId: writing, id: message.id, content: '+120 words', author: bo });
    const words = async () => (await bot.app.database.db.selectFrom('logs').select('words').where('message_id', '=', message.id).executeTakeFirst())?.words;
    await expect.poll(words).toBe(120);
    fake.messageDelete({ guildId, channelId: writing, id: message.id });
    await expect.poll(words).toBeUndefined();
  });

  it('tells the author privately why a message could not be logged', async () => {
    fake.message({ guildId, channelId: writing, author: bo, content: '#log' });
    const dm = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${fake.dmChannelId(bo.id)}/messages`);
    expect(dm.body).toMatchObject({ content: expect.stringMatching(/couldn't log that message/) });
  });

  it('announces a milestone in the channel without pinging anyone', async () => {
    for (let day = 0; day < 7; day++) {
      clock.set(Date.parse('2026-03-02T12:00:00Z') + day * 86_400_000);
      await slash(ada, 'log', { words: 100 });
    }
    const post = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${writing}/messages` && JSON.stringify(r.body).includes('7 days in a row'));
    expect(post.body).toMatchObject({ allowed_mentions: { parse: [], users: [], roles: [] } });
  });

  it('announces an article with a link button and an "I read it" button, counts a double click once, and edits the count in place', async () => {
    const cy = { id: snowflake(), username: 'cy' };
    fake.addUser(cy);
    await slash(bo, 'publish', { url: 'https://bo.example/why-i-write', title: 'Why I Write' });
    const post = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${writing}/messages` && JSON.stringify(r.body).includes('Why I Write'));
    const body = post.body as { embeds: { title: string; description: string }[]; components: { components: { style: number; url?: string; custom_id?: string }[] }[] };
    expect(body.embeds[0]!.title).toBe('📣 Why I Write');
    expect(body.embeds[0]!.description).toMatch(/First hour closes <t:\d+:R>/);
    const [link, read] = body.components[0]!.components;
    expect(link).toMatchObject({ style: 5, url: 'https://bo.example/why-i-write' });
    const announcementId = (post.response as { id: string }).id;
    const click = async () =>
      callbackBody(await fake.waitForCallback(fake.buttonClick({ guildId, channelId: writing, user: cy, customId: read!.custom_id!, message: announcementId })));
    expect((await click()).data).toMatchObject({ flags: 64, content: expect.stringMatching(/Counted: a first-hour read/) });
    expect((await click()).data).toMatchObject({ flags: 64, content: expect.stringMatching(/already counted/) });
    const edit = await fake.waitForRequest({ method: 'PATCH', path: `/channels/${writing}/messages/${announcementId}` });
    expect(JSON.stringify(edit.body)).toMatch(/1 read so far/);
  });

  it('keeps serving after the gateway connection drops', async () => {
    fake.dropConnections(4000);
    await fake.waitUntil(() => fake.connectedSessionCount > 0 && fake.resumeCount > 0, { timeoutMs: 10_000, description: 'the client resumes' });
    const help = await slash(bo, 'help');
    expect(help.data!.flags).toBe(64);
  });

  it('sends files as attachments of a private reply', async () => {
    const exported = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'export' });
    const callback = await fake.waitForCallback(exported);
    expect(callbackBody(callback).data!.flags).toBe(64);
    expect(callback.files.map((f) => f.name)).toEqual(['my-writing-data.json', 'my-writing-logs.csv']);
    expect(JSON.parse(callback.files[0]!.bytes.toString()).person.displayName).toBe('Ada');
  });

  it('answers in the channel, without a ping, when the author has closed direct messages', async () => {
    const cy = { id: snowflake(), username: 'cy' };
    fake.addUser(cy);
    fake.closeDirectMessages(cy.id);
    const message = fake.message({ guildId, channelId: writing, author: cy, content: '#log' });
    const reply = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${writing}/messages` && JSON.stringify(r.body).includes("couldn't log"));
    expect(reply.body).toMatchObject({ message_reference: { message_id: message.id }, allowed_mentions: { parse: [], replied_user: false } });
  });

  it('never logged a failure', () => {
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('the Discord adapter on its own, with a scripted handler', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  const logged: { msg: string }[] = [];
  let handler: (invocation: Invocation) => Promise<Reply | void>;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [{ id: guildId, name: 'Writers', channels: [{ id: writing, name: 'writing' }], members: [{ user: ada }] }] });
    adapter = new DiscordAdapter({
      token: TOKEN,
      apiUrl: fake.apiUrl,
      commands,
      chatLogging: true,
      deferAfterMs: 50,
      logger: pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) }),
    });
    // A handler acknowledges once it has what it needs (the bot's inbox stores the invocation first), then answers by returning.
    await adapter.start(async (invocation, delivery) => {
      await delivery?.acknowledge();
      return handler(invocation);
    });
  });
  afterEach(() => {
    logged.length = 0;
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.stop();
  });

  const slow = (reply: Reply) => () => new Promise<Reply>((resolve) => setTimeout(() => resolve(reply), 300));

  it('defers a slow handler privately, then completes the private answer in place', async () => {
    handler = slow(privateReply('took a while'));
    const sent = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'streak' });
    expect(callbackBody(await fake.waitForCallback(sent))).toMatchObject({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForRequest({ method: 'PATCH', path: new RegExp(`/webhooks/${fake.applicationId}/${sent.token}/messages/@original`) });
    expect(edit.body).toMatchObject({ content: 'took a while' });
  });

  it('defers a slow handler, then posts a public answer as a follow-up and removes the placeholder', async () => {
    handler = slow(channelReply('for everyone'));
    const sent = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'log' });
    await fake.waitForCallback(sent);
    const followUp = await fake.waitForRequest({ method: 'POST', path: `/webhooks/${fake.applicationId}/${sent.token}` });
    expect(followUp.body).toMatchObject({ content: 'for everyone' });
    expect((followUp.body as { flags?: number }).flags ?? 0).toBe(0);
    await fake.waitForRequest({ method: 'DELETE', path: new RegExp(`/webhooks/${fake.applicationId}/${sent.token}/messages/@original`) });
  });

  it('answers with an apology when a handler throws, and keeps the client alive', async () => {
    handler = async () => {
      throw new Error('boom');
    };
    const sent = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'log' });
    expect(callbackBody(await fake.waitForCallback(sent)).data).toMatchObject({ flags: 64, content: expect.stringMatching(/^Sorry/) });
    expect(logged.map((l) => l.msg)).toContain('discord handler failed');
    handler = async () => privateReply('still here');
    const next = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'help' });
    expect(callbackBody(await fake.waitForCallback(next)).data).toMatchObject({ content: 'still here' });
  });

  it('stops at start with the fix when Discord refuses the Message Content intent', async () => {
    const strict = await FakeDiscord.start({ guilds: [{ id: snowflake(), name: 'Strict', channels: [{ id: snowflake(), name: 'writing' }] }], enabledPrivilegedIntents: 0 });
    const refused = new DiscordAdapter({ token: TOKEN, apiUrl: strict.apiUrl, commands, chatLogging: true, logger: pino({ level: 'silent' }) });
    await expect(refused.start(async () => undefined)).rejects.toThrow(/Message Content intent.*DISCORD_CHAT_LOGGING=false/);
    await refused.stop();
    const withoutChat = new DiscordAdapter({ token: TOKEN, apiUrl: strict.apiUrl, commands, chatLogging: false, logger: pino({ level: 'silent' }) });
    await withoutChat.start(async () => undefined);
    expect(strict.identifies.at(-1)!.intents & (1 << 15)).toBe(0);
    await withoutChat.stop();
    await strict.stop();
  });

  it('logs a reply that Discord refused instead of crashing', async () => {
    handler = async () => privateReply('lost');
    fake.failNext('POST', /\/interactions\/.*\/callback/, 404, { message: 'Unknown interaction', code: 10062 });
    fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'help' });
    await expect.poll(() => logged.map((l) => l.msg)).toContain('discord reply lost');
  });
});

describe('the Discord adapter with two servers: a group posts and pings only in its own', () => {
  const guildA = snowflake();
  const writingA = snowflake();
  const announcementsA = snowflake();
  const readersA = snowflake();
  const guildB = snowflake();
  const generalB = snowflake();
  const readersB = snowflake();
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));
  let fake: FakeDiscord;
  let bot: TestBot;

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      guilds: [
        {
          id: guildA,
          name: 'Writers',
          channels: [
            { id: writingA, name: 'writing' },
            { id: announcementsA, name: 'announcements' },
          ],
          roles: [{ id: readersA, name: 'readers', mentionable: true }],
          members: [{ user: ada }],
        },
        { id: guildB, name: 'Elsewhere', channels: [{ id: generalB, name: 'general' }], roles: [{ id: readersB, name: 'readers', mentionable: true }], members: [{ user: bo }] },
      ],
    });
    bot = await startTestBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildA }, { clock });
    await slashInA('setup', { timezone: 'UTC' });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  async function slashInA(name: string, options: Record<string, string> = {}) {
    const sent = fake.slashCommand({ guildId: guildA, channelId: writingA, user: ada, name, options, memberPermissions: MANAGE_GUILD });
    return callbackBody(await fake.waitForCallback(sent)).data!;
  }

  const group = () => bot.app.database.db.selectFrom('groups').select(['announce_channel_id', 'readers_role_id']).executeTakeFirstOrThrow();

  /** Writes the group's row as an older build may have stored it, and lets the bot's short lookup cache lapse. */
  async function storeDirectly(values: { announce_channel_id?: string; readers_role_id?: string | null }) {
    await bot.app.database.db.updateTable('groups').set(values).execute();
    clock.advance(60_000);
  }

  it('refuses a channel of the other server in /config channel and /setup, and stores nothing', async () => {
    expect(await slashInA('config', { setting: 'channel', value: `<#${generalB}>` })).toMatchObject({
      flags: 64,
      content: 'That channel is not in this server: pick a channel of this server.',
    });
    expect(await slashInA('setup', { timezone: 'UTC', channel: generalB })).toMatchObject({ flags: 64, content: 'That channel is not in this server: pick a channel of this server.' });
    expect(await group()).toEqual({ announce_channel_id: writingA, readers_role_id: null });
  });

  it("refuses the other server's role in /config readers_role, and accepts this server's", async () => {
    expect(await slashInA('config', { setting: 'readers_role', value: `<@&${readersB}>` })).toMatchObject({
      flags: 64,
      content: 'That role is not in this server: pick a role of this server, or none.',
    });
    expect(await group()).toEqual({ announce_channel_id: writingA, readers_role_id: null });
    expect((await slashInA('config', { setting: 'readers_role', value: `<@&${readersA}>` })).flags).toBe(64);
    expect(await group()).toEqual({ announce_channel_id: writingA, readers_role_id: readersA });
  });

  it("never posts to a stored channel of the other server, and logs the refusal; this server's channel still gets the post", async () => {
    await storeDirectly({ announce_channel_id: generalB });
    const refused = await slashInA('publish', { url: 'https://ada.example/one', title: 'One' });
    expect(refused.content).toMatch(/^I couldn't post in the announcement channel \(that channel is not in this server\)/);
    expect(bot.logs).toContainEqual(expect.objectContaining({ msg: 'post refused: the channel is not in the workspace', workspace: guildA, channel: generalB }));
    // A channel Discord will not show the bot (deleted, or in a server it left) is refused the same way.
    const vanished = snowflake();
    await storeDirectly({ announce_channel_id: vanished });
    expect((await slashInA('publish', { url: 'https://ada.example/one', title: 'One' })).content).toMatch(/that channel is not in this server/);
    expect(fake.requestsTo('POST', `/channels/${vanished}/messages`)).toEqual([]);

    await storeDirectly({ announce_channel_id: announcementsA });
    await slashInA('publish', { url: 'https://ada.example/two', title: 'Two' });
    const post = await fake.waitForRequest({ method: 'POST', path: `/channels/${announcementsA}/messages` });
    expect(post.body).toMatchObject({ content: `<@&${readersA}>`, allowed_mentions: { parse: [], roles: [readersA] } });
    expect(fake.requestsTo('POST', `/channels/${generalB}/messages`)).toEqual([]);
    // The check reads the channel discord.js cached at connect: no extra request per post.
    expect(fake.requestsTo('GET', `/channels/${announcementsA}`)).toEqual([]);
  });

  it("drops a stored readers' role of the other server from the announcement: not pinged, not named", async () => {
    await storeDirectly({ announce_channel_id: announcementsA, readers_role_id: readersB });
    await slashInA('publish', { url: 'https://ada.example/three', title: 'Three' });
    const post = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${announcementsA}/messages` && JSON.stringify(r.body).includes('Three'));
    expect(post.body).toMatchObject({ content: '', allowed_mentions: { parse: [], roles: [] } });
    expect(JSON.stringify(post.body)).not.toContain(readersB);
    expect(bot.logs).toContainEqual(expect.objectContaining({ msg: 'ping dropped: the role is not in the workspace', workspace: guildA, role: readersB }));
  });
});

describe('a sprint announcement on Discord pings the sprint role when one is set, and nobody else', () => {
  const guild = snowflake();
  const writing = snowflake();
  const sprinters = snowflake();
  const elsewhere = snowflake();
  const elsewhereRole = snowflake();
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));
  let fake: FakeDiscord;
  let bot: TestBot;

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      guilds: [
        {
          id: guild,
          name: 'Writers',
          channels: [{ id: writing, name: 'writing' }],
          roles: [{ id: sprinters, name: 'sprinters', mentionable: true }],
          members: [{ user: ada }, { user: bo }],
        },
        { id: elsewhere, name: 'Elsewhere', channels: [{ id: snowflake(), name: 'general' }], roles: [{ id: elsewhereRole, name: 'sprinters', mentionable: true }], members: [] },
      ],
    });
    bot = await startTestBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guild }, { clock });
    await slash(ada, 'setup', { timezone: 'UTC' });
    await slash(bo, 'sprint', { action: 'notify', value: 'on' });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  async function slash(user: typeof ada, name: string, options: Record<string, string | number>) {
    const sent = fake.slashCommand({ guildId: guild, channelId: writing, user, name, options, memberPermissions: user === ada ? MANAGE_GUILD : MEMBER });
    return callbackBody(await fake.waitForCallback(sent)).data!;
  }

  /** Starts a sprint as Ada and returns the announcement Discord received, then cancels the sprint. */
  async function announce(): Promise<{ content?: string; allowed_mentions?: unknown }> {
    fake.clearRequests();
    expect((await slash(ada, 'sprint', { action: 'start', value: '20' })).content).toMatch(/^You're in/);
    const post = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${writing}/messages` && JSON.stringify(r.body).includes('Sprint!'));
    await slash(ada, 'sprint', { action: 'cancel' });
    return post.body as { content?: string; allowed_mentions?: unknown };
  }

  it('pings the members on the sprint list while no role is set', async () => {
    const body = await announce();
    expect(body.content).toContain(`<@${bo.id}>`);
    expect(body.allowed_mentions).toMatchObject({ parse: [], users: [bo.id], roles: [] });
  });

  it("refuses another server's role as sprint_role and keeps none", async () => {
    expect(await slash(ada, 'config', { setting: 'sprint_role', value: `<@&${elsewhereRole}>` })).toMatchObject({
      flags: 64,
      content: 'That role is not in this server: pick a role of this server, or none.',
    });
    expect(await bot.app.database.db.selectFrom('groups').select('sprint_role_id').executeTakeFirstOrThrow()).toEqual({ sprint_role_id: null });
  });

  it('with /config sprint_role set, pings exactly that role: not the sprint list, not anyone named', async () => {
    expect((await slash(ada, 'config', { setting: 'sprint_role', value: `<@&${sprinters}>` })).flags).toBe(64);
    const body = await announce();
    expect(body.content).toContain(`<@&${sprinters}>`);
    expect(body.content).not.toContain(`<@${bo.id}>`);
    expect(body.allowed_mentions).toMatchObject({ parse: [], users: [], roles: [sprinters] });
  });
});
