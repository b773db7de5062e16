import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  REST,
  Routes,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientEvents,
  type ClientOptions,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelKind, FakeDiscord, snowflake, type GuildSpec } from '../fakes/discord/fake-discord';

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

const alice = { id: snowflake(), username: 'alice' };
const bob = { id: snowflake(), username: 'bob' };
const carol = { id: snowflake(), username: 'carol' };

function guildSpecs(count: number): GuildSpec[] {
  return Array.from({ length: count }, (_, index) => ({
    id: snowflake(),
    name: `Writers ${index + 1}`,
    channels: [
      { id: snowflake(), name: 'general', type: ChannelKind.GuildText },
      { id: snowflake(), name: 'sprints', type: ChannelKind.GuildText },
      { id: snowflake(), name: 'Voice', type: ChannelKind.GuildVoice },
    ],
    members: [{ user: alice }, { user: bob }],
  }));
}

const clients: Client[] = [];
const fakes: FakeDiscord[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

async function startFake(guildCount = 3, options: Parameters<typeof FakeDiscord.start>[0] = {}): Promise<{ fake: FakeDiscord; guilds: GuildSpec[] }> {
  const guilds = options.guilds ?? guildSpecs(guildCount);
  const fake = await FakeDiscord.start({ ...options, guilds });
  fakes.push(fake);
  return { fake, guilds };
}

/** A real discord.js client logged in to the fake and past clientReady. */
async function connect(fake: FakeDiscord, options: Partial<ClientOptions> = {}): Promise<Client> {
  const client = new Client({ intents: INTENTS, partials: [Partials.Channel], rest: { api: fake.apiUrl }, ...options });
  clients.push(client);
  const ready = nextEvent(client, Events.ClientReady);
  await client.login('test-token');
  await ready;
  return client;
}

function nextEvent<E extends keyof ClientEvents>(
  client: Client,
  event: E,
  accept: (...args: ClientEvents[E]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: ClientEvents[E]) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    client.on(event, listener);
  });
}

async function nextInteraction(client: Client, id: string): Promise<Interaction> {
  const [interaction] = await nextEvent(client, Events.InteractionCreate, (candidate) => candidate.id === id);
  return interaction;
}

describe('FakeDiscord with the real discord.js client', () => {
  it('logs in and becomes ready with every guild and channel cached', async () => {
    const { fake, guilds } = await startFake(3);
    const client = await connect(fake);

    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect([...client.guilds.cache.keys()].sort()).toEqual(guilds.map((guild) => guild.id).sort());
    for (const guild of guilds) {
      const cached = client.guilds.cache.get(guild.id)!;
      expect(cached.available).toBe(true);
      expect(cached.name).toBe(guild.name);
      expect(cached.channels.cache.map((channel) => channel.id).sort()).toEqual(guild.channels.map((channel) => channel.id).sort());
      expect(cached.members.me?.id).toBe(fake.botUser.id);
      expect(cached.memberCount).toBe(3);
    }
    expect(fake.identifyCount).toBe(1);
    expect(fake.identifies[0]).toMatchObject({ token: 'test-token', intents: (1 << 0) | (1 << 9) | (1 << 15) | (1 << 12), shard: [0, 1] });
    const gatewayBot = await fake.waitForRequest({ method: 'GET', path: '/gateway/bot' });
    expect(gatewayBot.headers.authorization).toBe('Bot test-token');
    expect(fake.token).toBe('test-token');
  });

  it('acknowledges heartbeats', async () => {
    const { fake } = await startFake(1, { heartbeatIntervalMs: 30 });
    const client = await connect(fake);
    await fake.waitUntil(() => fake.gatewayPayloads.filter((payload) => payload.op === 1).length >= 2, { description: 'two heartbeats' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
    expect(client.ws.status).toBe(0); // Status.Ready: no zombie-connection reconnect happened
    expect(fake.identifyCount).toBe(1);
  });

  it('becomes ready with 100 guilds', async () => {
    const { fake } = await startFake(100);
    const started = Date.now();
    const client = await connect(fake);
    expect(client.guilds.cache.size).toBe(100);
    expect(client.channels.cache.size).toBe(300);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('delivers a slash command with its options and takes an ephemeral reply', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const guild = guilds[0]!;

    const sent = fake.slashCommand({ guildId: guild.id, user: alice, name: 'log', options: { words: 500, note: 'chapter one', public: false } });
    const interaction = (await nextInteraction(client, sent.id)) as ChatInputCommandInteraction;

    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.commandName).toBe('log');
    expect(interaction.options.getInteger('words')).toBe(500);
    expect(interaction.options.getString('note')).toBe('chapter one');
    expect(interaction.options.getBoolean('public')).toBe(false);
    expect(interaction.user.id).toBe(alice.id);
    expect(interaction.guildId).toBe(guild.id);
    expect(interaction.channelId).toBe(guild.channels[0]!.id);
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.memberPermissions?.has('SendMessages')).toBe(true);
    expect(interaction.appPermissions.has('SendMessages')).toBe(true);

    await interaction.reply({ content: 'Logged 500 words.', flags: MessageFlags.Ephemeral });

    const callback = await fake.waitForCallback(sent);
    expect(callback.status).toBe(204);
    expect(callback.headers.authorization).toBeUndefined();
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'Logged 500 words.', flags: 64 } });
    expect(fake.interaction(sent.id).original).toMatchObject({ content: 'Logged 500 words.', flags: 64 });
    expect(fake.channelMessages(guild.channels[0]!.id)).toEqual([]);
  });

  it('defers, edits the original reply and sends a follow-up', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const channelId = guilds[1]!.channels[1]!.id;

    const sent = fake.slashCommand({ channelId, user: bob, name: 'streak' });
    const interaction = (await nextInteraction(client, sent.id)) as ChatInputCommandInteraction;
    await interaction.deferReply();
    const edited = await interaction.editReply({ content: 'Your streak is 3 days.' });
    const followUp = await interaction.followUp({ content: 'Keep going!', flags: MessageFlags.Ephemeral });

    expect((await fake.waitForCallback(sent)).body).toMatchObject({ type: 5, data: { flags: 0 } });
    const patch = await fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${fake.applicationId}/${sent.token}/messages/@original` });
    expect(patch.body).toMatchObject({ content: 'Your streak is 3 days.' });
    const post = await fake.waitForRequest({ method: 'POST', path: `/webhooks/${fake.applicationId}/${sent.token}` });
    expect(post.query.wait).toBe('true');
    expect(post.body).toMatchObject({ content: 'Keep going!', flags: 64 });

    expect(edited.content).toBe('Your streak is 3 days.');
    expect(edited.flags.has(MessageFlags.Loading)).toBe(false);
    expect(followUp.id).not.toBe(edited.id);
    expect(followUp.flags.has(MessageFlags.Ephemeral)).toBe(true);
    const view = fake.interaction(sent.id);
    expect(view.responseType).toBe(5);
    expect(view.original?.content).toBe('Your streak is 3 days.');
    expect(view.followUps.map((message) => message.content)).toEqual(['Keep going!']);
    expect(fake.channelMessages(channelId).map((message) => message.content)).toEqual(['Your streak is 3 days.']);
  });

  it('answers with the callback response when withResponse is set', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const sent = fake.slashCommand({ guildId: guilds[0]!.id, user: alice, name: 'help' });
    const interaction = (await nextInteraction(client, sent.id)) as ChatInputCommandInteraction;

    const response = await interaction.reply({ content: 'Help text', withResponse: true });

    const callback = await fake.waitForCallback(sent);
    expect(callback.query.with_response).toBe('true');
    expect(callback.status).toBe(200);
    expect(response.interaction.id).toBe(sent.id);
    expect(response.resource?.message?.content).toBe('Help text');
    expect(response.interaction.responseMessageId).toBe(fake.interaction(sent.id).original?.id);
  });

  it('refuses a callback after the response deadline with 10062 Unknown interaction', async () => {
    const { fake, guilds } = await startFake(1, { interactionResponseDeadlineMs: 50 });
    const client = await connect(fake);
    const sent = fake.slashCommand({ guildId: guilds[0]!.id, user: alice, name: 'slow' });
    const interaction = (await nextInteraction(client, sent.id)) as ChatInputCommandInteraction;
    await new Promise((resolve) => setTimeout(resolve, 100));

    const error = await interaction.deferReply().catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(10062);
  });

  it('answers a second reply to the same interaction with 40060, as Discord does', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const sent = fake.slashCommand({ guildId: guilds[0]!.id, user: alice, name: 'help' });
    const interaction = (await nextInteraction(client, sent.id)) as ChatInputCommandInteraction;
    await interaction.reply({ content: 'Help text' });

    interaction.replied = false; // pretend the adapter lost track, to see Discord's answer
    const error = await interaction.reply({ content: 'again' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(40060);
  });

  it('delivers a button press on the bot message as a ButtonInteraction and applies update()', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const channel = client.channels.cache.get(guilds[0]!.channels[0]!.id) as TextChannel;

    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('undo:42').setLabel('Undo').setStyle(ButtonStyle.Secondary),
    );
    const posted = await channel.send({ content: 'Logged 500 words.', components: [row] });

    const sent = fake.buttonClick({ user: alice, customId: 'undo:42' });
    const interaction = (await nextInteraction(client, sent.id)) as ButtonInteraction;
    expect(interaction.isButton()).toBe(true);
    expect(interaction.customId).toBe('undo:42');
    expect(interaction.message.id).toBe(posted.id);
    expect(interaction.user.id).toBe(alice.id);

    await interaction.update({ content: 'Undone.', components: [] });

    expect((await fake.waitForCallback(sent)).body).toMatchObject({ type: 7, data: { content: 'Undone.', components: [] } });
    expect(fake.getMessage(posted.id)).toMatchObject({ content: 'Undone.', components: [] });
  });

  it('delivers chat messages with content and accepts a reaction', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const channelId = guilds[2]!.channels[1]!.id;

    const arrived = nextEvent(client, Events.MessageCreate, (message) => !message.author.bot);
    const sent = fake.message({ channelId, author: alice, content: 'wrote 750 words today' });
    const [message] = await arrived;
    expect(message.id).toBe(sent.id);
    expect(message.content).toBe('wrote 750 words today');
    expect(message.guildId).toBe(guilds[2]!.id);
    expect(message.member?.id).toBe(alice.id);

    await message.react('✅');
    const reaction = await fake.waitForRequest({ method: 'PUT', path: `/channels/${channelId}/messages/${sent.id}/reactions/:emoji/@me` });
    expect(reaction.path).toBe(`/channels/${channelId}/messages/${sent.id}/reactions/✅/@me`);
    expect(reaction.rawPath).toContain(encodeURIComponent('✅'));
    expect(reaction.status).toBe(204);
    expect(fake.reactionsOn(sent.id)).toEqual(['✅']);

    const updated = nextEvent(client, Events.MessageUpdate, (_old, message) => message.id === sent.id);
    fake.messageUpdate({ channelId, id: sent.id, content: 'wrote 800 words today' });
    const [before, after] = await updated;
    expect(before.content).toBe('wrote 750 words today');
    expect(after.content).toBe('wrote 800 words today');
    expect(after.editedTimestamp).not.toBeNull();

    const deleted = nextEvent(client, Events.MessageDelete, (message) => message.id === sent.id);
    fake.messageDelete({ channelId, id: sent.id });
    await deleted;
  });

  it('hides message content from a client without the MessageContent intent', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    const arrived = nextEvent(client, Events.MessageCreate);
    fake.message({ guildId: guilds[0]!.id, author: alice, content: 'secret words' });
    const [message] = await arrived;
    expect(message.content).toBe('');
  });

  it('delivers DMs: a slash command in the bot DM, a DM message, and a DM the bot sends', async () => {
    const { fake } = await startFake();
    const client = await connect(fake);

    const sent = fake.slashCommand({ user: alice, name: 'settings' });
    const interaction = (await nextInteraction(client, sent.id)) as ChatInputCommandInteraction;
    expect(interaction.guildId).toBeNull();
    expect(interaction.member).toBeNull();
    expect(interaction.user.id).toBe(alice.id);
    expect(interaction.channel?.isDMBased()).toBe(true);
    await interaction.reply({ content: 'Your settings', flags: MessageFlags.Ephemeral });
    expect((await fake.waitForCallback(sent)).body).toMatchObject({ type: 4 });

    const arrived = nextEvent(client, Events.MessageCreate, (message) => !message.author.bot);
    fake.message({ author: bob, content: 'log 300' });
    const [dm] = await arrived;
    expect(dm.channel.isDMBased()).toBe(true);
    expect(dm.content).toBe('log 300');

    // The DM channel cached from bob's message is reused; carol's has to be opened first.
    const reply = await (await client.users.fetch(bob.id)).send('Logged.');
    expect(reply.channelId).toBe(dm.channelId);
    expect(fake.requestsTo('POST', '/users/@me/channels')).toEqual([]);

    fake.addUser(carol);
    const user = await client.users.fetch(carol.id);
    const delivered = await user.send('Your weekly digest');
    expect(delivered.channelId).toBe(fake.dmChannelId(carol.id));
    expect((await fake.waitForRequest({ method: 'POST', path: '/users/@me/channels' })).body).toEqual({ recipient_id: carol.id });

    fake.closeDirectMessages(carol.id);
    const refused = await user.send('another').catch((caught: unknown) => caught);
    expect((refused as DiscordAPIError).code).toBe(50007);
  });

  it('sends an embed with a file attachment as multipart with payload_json', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const channel = client.channels.cache.get(guilds[0]!.channels[0]!.id) as TextChannel;
    const csv = Buffer.from('date,words\n2024-05-01,500\n');

    const message = await channel.send({
      embeds: [new EmbedBuilder().setTitle('Weekly digest').setDescription('1,200 words').addFields({ name: 'Streak', value: '3 days' })],
      files: [new AttachmentBuilder(csv, { name: 'export.csv', description: 'Your logs' })],
    });

    const request = await fake.waitForRequest({ method: 'POST', path: `/channels/${channel.id}/messages` });
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.body).toMatchObject({
      embeds: [{ title: 'Weekly digest', description: '1,200 words', fields: [{ name: 'Streak', value: '3 days' }] }],
      attachments: [{ id: '0', description: 'Your logs' }],
    });
    expect(request.files).toHaveLength(1);
    expect(request.files[0]).toMatchObject({ field: 'files[0]', name: 'export.csv' });
    expect(request.files[0]!.bytes.equals(csv)).toBe(true);

    expect(message.embeds[0]?.title).toBe('Weekly digest');
    expect(message.attachments.first()).toMatchObject({ name: 'export.csv', size: csv.length, description: 'Your logs' });
    expect(message.author.id).toBe(fake.botUser.id);
  });

  it('refuses messages Discord would refuse', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const channel = client.channels.cache.get(guilds[0]!.channels[0]!.id) as TextChannel;

    const tooLong = await channel.send('x'.repeat(2001)).catch((caught: unknown) => caught);
    expect(tooLong).toBeInstanceOf(DiscordAPIError);
    expect((tooLong as DiscordAPIError).code).toBe(50035);
    expect((tooLong as DiscordAPIError).rawError).toMatchObject({ errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });

    const empty = await channel.send({ content: '   ' }).catch((caught: unknown) => caught);
    expect((empty as DiscordAPIError).code).toBe(50006);
  });

  it('answers a repeated nonce sent with enforce_nonce with the first message, in that channel only, and refuses a nonce over 25 characters', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const sendable = (id: string) => {
      const channel = client.channels.cache.get(id);
      if (!channel?.isSendable()) throw new Error(`channel ${id} is not sendable`);
      return channel;
    };
    const general = sendable(guilds[0]!.channels[0]!.id);
    const sprints = sendable(guilds[0]!.channels[1]!.id);

    const first = await general.send({ content: 'weekly digest', nonce: 'job-1', enforceNonce: true });
    const repeat = await general.send({ content: 'weekly digest', nonce: 'job-1', enforceNonce: true });
    const unenforced = await general.send({ content: 'weekly digest', nonce: 'job-1' });
    const elsewhere = await sprints.send({ content: 'weekly digest', nonce: 'job-1', enforceNonce: true });
    expect(repeat.id).toBe(first.id);
    expect(unenforced.id).not.toBe(first.id);
    expect(elsewhere.id).not.toBe(first.id);
    expect(fake.channelMessages(general.id).map((m) => m.id)).toEqual([first.id, unenforced.id]);

    const tooLong = await general.send({ content: 'x', nonce: 'n'.repeat(26), enforceNonce: true }).catch((caught: unknown) => caught);
    expect(tooLong).toBeInstanceOf(DiscordAPIError);
    expect(tooLong).toMatchObject({ code: 50035, rawError: { errors: { nonce: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } });
  });

  it('registers commands through client.application.commands.set and through REST', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const guildId = guilds[0]!.id;
    const definitions = [
      { name: 'log', description: 'Log your writing', options: [{ type: 4, name: 'words', description: 'Words written', required: true }] },
      { name: 'streak', description: 'Show your streak' },
    ];

    const registered = await client.application!.commands.set(definitions, guildId);
    expect(registered.map((command) => command.name).sort()).toEqual(['log', 'streak']);
    const put = await fake.waitForRequest({ method: 'PUT', path: `/applications/${fake.applicationId}/guilds/${guildId}/commands` });
    expect(put.body).toMatchObject([{ name: 'log' }, { name: 'streak' }]);
    expect(fake.commands(guildId).map((command) => command.name)).toEqual(['log', 'streak']);

    const rest = new REST({ api: fake.apiUrl }).setToken('test-token');
    const globalAnswer = (await rest.put(Routes.applicationCommands(fake.applicationId), { body: [definitions[1]] })) as { id: string }[];
    expect(globalAnswer[0]!.id).toMatch(/^\d+$/);
    const again = (await rest.put(Routes.applicationGuildCommands(fake.applicationId, guildId), { body: definitions })) as { id: string; name: string }[];
    expect(again.find((command) => command.name === 'log')!.id).toBe(registered.find((command) => command.name === 'log')!.id);
    expect(fake.commands().map((command) => command.name)).toEqual(['streak']);

    // A registered integer option arrives typed as an integer even when given as text.
    const sent = fake.slashCommand({ guildId, user: alice, name: 'log', options: { words: '800' } });
    const interaction = (await nextInteraction(client, sent.id)) as ChatInputCommandInteraction;
    expect(interaction.commandId).toBe(registered.find((command) => command.name === 'log')!.id);
    expect(interaction.options.getInteger('words', true)).toBe(800);

    const invalid = await rest
      .put(Routes.applicationGuildCommands(fake.applicationId, guildId), {
        body: [{ name: 'Bad Name', description: 'x', options: [{ type: 3, name: 'a', description: 'a' }, { type: 3, name: 'b', description: 'b', required: true }] }],
      })
      .catch((caught: unknown) => caught);
    expect((invalid as DiscordAPIError).code).toBe(50035);
  });

  it('resumes after the gateway drops and still receives interactions, including ones sent while away', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const guildId = guilds[0]!.id;

    const resumed = nextEvent(client, Events.ShardResume);
    expect(fake.dropConnections()).toBe(1);
    const whileAway = fake.slashCommand({ guildId, user: alice, name: 'streak' });
    const replayed = await nextInteraction(client, whileAway.id);
    await resumed;
    expect(replayed.isChatInputCommand()).toBe(true);
    expect(fake.resumeCount).toBe(1);
    expect(fake.identifyCount).toBe(1);
    expect(fake.gatewayConnectionPaths).toEqual(['/gateway', '/resume-gateway']);

    const sent = fake.slashCommand({ guildId, user: bob, name: 'help' });
    const interaction = (await nextInteraction(client, sent.id)) as ChatInputCommandInteraction;
    await interaction.reply({ content: 'still here' });
    expect((await fake.waitForCallback(sent)).status).toBe(204);
  });

  it('identifies again after a close with 1000 or an invalid session', async () => {
    const { fake, guilds } = await startFake();
    // Skip @discordjs/ws's 5 s identify spacing so a quick re-identify does not wait.
    const client = await connect(fake, { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } });

    fake.dropConnections(1000);
    await fake.waitUntil(() => fake.identifyCount === 2 && fake.connectedSessionCount === 1, { description: 'a second IDENTIFY' });
    fake.invalidateSessions(false);
    await fake.waitUntil(() => fake.identifyCount === 3 && fake.connectedSessionCount === 1, { description: 'a third IDENTIFY' });
    expect(fake.resumeCount).toBe(0);

    const sent = fake.slashCommand({ guildId: guilds[1]!.id, user: alice, name: 'help' });
    const interaction = await nextInteraction(client, sent.id);
    expect(interaction.guildId).toBe(guilds[1]!.id);
    expect(client.guilds.cache.get(guilds[1]!.id)?.available).toBe(true);
  });

  it('lets tests make requests fail: a 429 is waited out, a 403 reaches the caller', async () => {
    const { fake, guilds } = await startFake();
    const client = await connect(fake);
    const channel = client.channels.cache.get(guilds[0]!.channels[0]!.id) as TextChannel;

    fake.failNext('POST', '/channels/:id/messages', 429, undefined, { retryAfterSeconds: 0.05 });
    const message: Message = await channel.send('after a rate limit');
    const attempts = fake.requestsTo('POST', `/channels/${channel.id}/messages`);
    expect(attempts.map((attempt) => attempt.status)).toEqual([429, 200]);
    expect(message.content).toBe('after a rate limit');

    fake.failNext('POST', '/channels/:id/messages', 403);
    const refused = await channel.send('forbidden').catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).status).toBe(403);
    expect((refused as DiscordAPIError).code).toBe(50013);

    const unknown = await client.rest.get('/nowhere' as `/${string}`).catch((caught: unknown) => caught);
    expect((unknown as DiscordAPIError).status).toBe(404);
    expect(fake.requests.at(-1)?.path).toBe('/nowhere');
    expect(fake.internalErrors).toEqual([]);
  });
});
