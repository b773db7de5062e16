import type { KeyObject } from 'node:crypto';
import { PermissionFlagsBits } from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index';
import { DiscordAdapter } from '../../src/adapters/discord/discord-adapter';
import { channelReply, privateReply, type Reply } from '../../src/core/reply';
import { HttpServer } from '../../src/http/http-server';
import { applicationKeys, ChannelKind, FakeDiscord, type RecordedRequest, signatureHeaders, snowflake } from '../fakes/discord/fake-discord';
import { FakeClock } from '../fakes/fake-clock';
import { startTestBot, type TestBot } from '../support/running-bot';

const TOKEN = 'test-token-for-the-fake-discord';
const MANAGE_GUILD = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages;
const MEMBER = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;

const ada = { id: snowflake(), username: 'ada', globalName: 'Ada' };
const bo = { id: snowflake(), username: 'bo', globalName: 'Bo' };
const cy = { id: snowflake(), username: 'cy', globalName: 'Cy' };
/** An admin of another server, whose interactions name things of the first one. */
const mal = { id: snowflake(), username: 'mal', globalName: 'Mal' };
const guildId = snowflake();
const writing = snowflake();
const otherGuildId = snowflake();
const otherWriting = snowflake();

interface CallbackBody {
  type: number;
  data?: { content?: string; flags?: number; custom_id?: string; components?: { components?: { custom_id?: string; label?: string }[] }[] };
}
const callbackBody = (request: RecordedRequest) => request.body as CallbackBody;

/** A signed (or, with `sign`, mis-signed) POST to the endpoint, as only Discord should make. */
async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, text: await response.text() };
}

describe('Discord interactions over HTTP, with no gateway: the real bot against a fake Discord', () => {
  let fake: FakeDiscord;
  let bot: TestBot;
  let endpoint: string;
  let privateKey: KeyObject;
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      guilds: [
        { id: guildId, name: 'Writers', channels: [{ id: writing, name: 'writing', type: ChannelKind.GuildText }], members: [{ user: ada }, { user: bo }, { user: cy }] },
        { id: otherGuildId, name: 'Elsewhere', channels: [{ id: otherWriting, name: 'writing', type: ChannelKind.GuildText }], members: [{ user: mal }] },
      ],
    });
    const keys = applicationKeys();
    privateKey = keys.privateKey;
    bot = await startTestBot(
      { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildId, DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_GATEWAY: 'false' },
      { clock },
    );
    endpoint = `http://127.0.0.1:${bot.http.address!.port}/discord/interactions`;
    fake.useInteractionsEndpoint({ url: endpoint, privateKey });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  async function slash(user: typeof ada, name: string, options: Record<string, string | number> = {}, extra: { admin?: boolean; guild?: string; channel?: string } = {}) {
    const sent = fake.slashCommand({ guildId: extra.guild ?? guildId, channelId: extra.channel ?? writing, user, name, options, memberPermissions: extra.admin ? MANAGE_GUILD : MEMBER });
    return { sent, answer: callbackBody(await fake.waitForCallback(sent)) };
  }
  const logCount = async () => Number((await bot.app.database.db.selectFrom('logs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('GIVEN DISCORD_GATEWAY=false THEN no gateway connection is made, the commands are registered over REST, and a PING is answered with a PONG', async () => {
    expect(fake.identifyCount).toBe(0);
    expect(fake.commands(guildId).map((c) => c.name)).toContain('log');
    const ping = JSON.stringify({ id: snowflake(), application_id: fake.applicationId, type: 1, token: 'ping', version: 1 });
    const answer = await post(endpoint, ping, signatureHeaders(privateKey, ping));
    expect(answer).toEqual({ status: 200, text: JSON.stringify({ type: 1 }) });
  });

  it('GIVEN /setup and /log over HTTP THEN each is answered in the HTTP response itself, and a second delivery of the same interaction logs nothing', async () => {
    const setup = await slash(ada, 'setup', { timezone: 'UTC' }, { admin: true });
    expect(setup.answer.type).toBe(4);
    expect((await fake.delivery(setup.sent)).accepted).toBe(true);
    const { sent, answer } = await slash(bo, 'log', { words: 500 });
    expect(answer).toMatchObject({ type: 4, data: { content: expect.stringMatching(/Bo logged: 500 words today/) } });
    expect(fake.interaction(sent.id).original?.content).toMatch(/500 words/);
    expect(await logCount()).toBe(1);
    const again = await fake.redeliver(sent);
    expect(again.status).toBe(200);
    expect(again.accepted).toBe(false);
    expect(await logCount()).toBe(1);
  });

  it('GIVEN /streak with its calendar THEN the response defers (a picture cannot ride in it) and the webhook fills it in with the file', async () => {
    const { sent, answer } = await slash(bo, 'streak');
    expect(answer).toMatchObject({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${fake.applicationId}/${sent.token}/messages/@original` });
    expect(edit.files).toHaveLength(1);
    expect(edit.files[0]!.contentType).toBe('image/png');
    expect(fake.interaction(sent.id).original?.attachments).toHaveLength(1);
  });

  it('GIVEN an announcement posted over REST THEN its "I read it" button counts once, and Respond opens a modal whose submission is answered', async () => {
    await slash(bo, 'publish', { url: 'https://bo.example/why-i-write', title: 'Why I Write' });
    const posted = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${writing}/messages` && JSON.stringify(r.body).includes('Why I Write'));
    expect(posted.headers.authorization).toBe(`Bot ${TOKEN}`);
    const announcementId = (posted.response as { id: string }).id;
    const buttons = (posted.body as { components: { components: { label: string; custom_id?: string }[] }[] }).components[0]!.components;
    const read = buttons.find((b) => b.label === 'I read it')!.custom_id!;
    const respond = buttons.find((b) => b.label === 'Respond')!.custom_id!;
    const click = async (customId: string) => callbackBody(await fake.waitForCallback(fake.buttonClick({ guildId, channelId: writing, user: cy, customId, message: announcementId, memberPermissions: MEMBER })));
    expect((await click(read)).data).toMatchObject({ flags: 64, content: expect.stringMatching(/Counted: a first-hour read/) });
    expect((await click(read)).data).toMatchObject({ flags: 64, content: expect.stringMatching(/already counted/) });
    await fake.waitForRequest({ method: 'PATCH', path: `/channels/${writing}/messages/${announcementId}` });

    const opened = await click(respond);
    expect(opened).toMatchObject({ type: 9, data: { custom_id: respond } });
    const submitted = fake.modalSubmit({ guildId, channelId: writing, user: cy, customId: respond, values: { text: 'The second paragraph stayed with me.', choice: ['private'] }, message: announcementId, memberPermissions: MEMBER });
    expect(callbackBody(await fake.waitForCallback(submitted)).data).toMatchObject({ flags: 64, content: expect.stringMatching(/^💬 Response: sent privately to Bo/) });
    await fake.waitUntil(() => fake.channelMessages(fake.dmChannelId(bo.id)).some((m) => m.content.includes('The second paragraph stayed with me.')), { description: 'the DM to the author over REST' });
  });

  it('GIVEN unsigned, forged, stale, tampered or oversized requests THEN 401 (413 for the size) and nothing runs; the same interaction signed is then run', async () => {
    const before = await logCount();
    const { sent } = await slash(bo, 'log', { words: 1 });
    const payload = JSON.stringify({ ...sent.payload, id: snowflake() });
    const key = payload.match(/"id":"(\d+)"/)![1];
    const forger = applicationKeys().privateKey;
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const refused = [
      await post(endpoint, payload, {}),
      await post(endpoint, payload, signatureHeaders(forger, payload)),
      await post(endpoint, payload, signatureHeaders(privateKey, payload, sixMinutesAgo)),
      await post(endpoint, payload, signatureHeaders(privateKey, payload, Math.floor(Date.now() / 1000) + 6 * 60)),
      await post(endpoint, payload, signatureHeaders(privateKey, payload.replace('"words"', '"minutes"'))),
      await post(endpoint, payload, { ...signatureHeaders(privateKey, payload), 'x-signature-ed25519': 'zz' }),
    ];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
    const huge = JSON.stringify({ ...sent.payload, padding: 'x'.repeat(300_000) });
    expect((await post(endpoint, huge, signatureHeaders(privateKey, huge))).status).toBe(413);
    expect((await fetch(endpoint)).status).toBe(405);
    expect(await logCount()).toBe(before + 1);
    const inbox = await bot.app.database.db.selectFrom('command_inbox').select('idempotency_key').where('idempotency_key', '=', `discord:interaction:${key}`).execute();
    expect(inbox).toEqual([]);
    // The positive signal: the very same bytes, signed by the application's key, are run.
    const accepted = await post(endpoint, payload, signatureHeaders(privateKey, payload));
    expect(accepted.status).toBe(200);
    expect(JSON.parse(accepted.text)).toMatchObject({ type: 4, data: { content: expect.stringMatching(/Bo logged: 1 word/) } });
    expect(await logCount()).toBe(before + 2);
  });

  it("GIVEN another server's interactions naming the first server's channel or announcement THEN nothing is done in the first server's group", async () => {
    await slash(mal, 'setup', { timezone: 'UTC' }, { admin: true, guild: otherGuildId, channel: otherWriting });
    const before = await logCount();
    const reads = async () => (await bot.app.database.db.selectFrom('reads').select('id').execute()).length;
    const readsBefore = await reads();
    // A button of the first server's announcement pressed in the other server.
    const announcement = await bot.app.database.db.selectFrom('publications').select('id').executeTakeFirstOrThrow();
    const pressed = fake.buttonClick({ guildId: otherGuildId, channelId: otherWriting, user: mal, customId: `read:${announcement.id}`, memberPermissions: MANAGE_GUILD });
    expect(callbackBody(await fake.waitForCallback(pressed)).data?.content).toBe('That article belongs to another group: press I read it on its own announcement.');
    // A /log from the other server whose channel is the first server's group channel.
    const { sent } = await slash(mal, 'log', { words: 700 }, { guild: otherGuildId, channel: otherWriting });
    const crossed = JSON.stringify({ ...sent.payload, id: snowflake(), channel_id: writing, channel: { ...(sent.payload.channel as object), id: writing } });
    const answer = await post(endpoint, crossed, signatureHeaders(privateKey, crossed));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data.content).toMatch(/^There's no writing group in this channel yet/);
    const firstGroup = await bot.app.database.db
      .selectFrom('logs')
      .innerJoin('members', 'members.id', 'logs.member_id')
      .innerJoin('groups', 'groups.id', 'members.group_id')
      .select('logs.words')
      .where('groups.workspace_id', '=', guildId)
      .execute();
    expect(firstGroup.map((l) => l.words)).not.toContain(700);
    expect(await reads()).toBe(readsBefore);
    // The other server's own log went to its own group.
    expect(await logCount()).toBe(before + 1);
  });

  it("GIVEN the other server's channel in /config channel THEN REST says where it is and it is refused; this server's channel is taken", async () => {
    const refused = await slash(ada, 'config', { setting: 'channel', value: `<#${otherWriting}>` }, { admin: true });
    expect(refused.answer.data).toMatchObject({ flags: 64, content: 'That channel is not in this server: pick a channel of this server.' });
    expect(fake.requestsTo('GET', `/channels/${otherWriting}`).length).toBeGreaterThan(0);
    const group = await bot.app.database.db.selectFrom('groups').select('announce_channel_id').where('workspace_id', '=', guildId).executeTakeFirstOrThrow();
    expect(group.announce_channel_id).toBe(writing);
  });

  it('never logged a failure', () => {
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('the Discord adapter over HTTP on its own, with a scripted handler', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  let http: HttpServer;
  let handler: () => Promise<Reply>;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [{ id: guildId, name: 'Writers', channels: [{ id: writing, name: 'writing' }], members: [{ user: ada }] }] });
    const keys = applicationKeys();
    http = new HttpServer(logger);
    adapter = new DiscordAdapter({ token: TOKEN, apiUrl: fake.apiUrl, commands, chatLogging: false, gateway: false, publicKey: keys.publicKeyHex, http, deferAfterMs: 50, logger });
    await adapter.start(async (_invocation, delivery) => {
      await delivery?.acknowledge();
      return handler();
    });
    await http.listen(0);
    fake.useInteractionsEndpoint({ url: `http://127.0.0.1:${http.address!.port}/discord/interactions`, privateKey: keys.privateKey });
  });
  afterAll(async () => {
    await http?.close();
    await adapter?.stop();
    await fake?.stop();
  });

  const slow = (reply: Reply) => () => new Promise<Reply>((resolve) => setTimeout(() => resolve(reply), 300));

  it('defers a slow handler privately in the HTTP response, then completes the private answer in place', async () => {
    handler = slow(privateReply('took a while'));
    const sent = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'streak' });
    const delivery = await fake.delivery(sent);
    expect(delivery.answer).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(delivery.ms).toBeLessThan(300);
    const edit = await fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${fake.applicationId}/${sent.token}/messages/@original` });
    expect(edit.body).toMatchObject({ content: 'took a while' });
    expect(fake.interaction(sent.id).original?.content).toBe('took a while');
  });

  it('defers a slow handler, then posts a public answer as a follow-up and removes the placeholder', async () => {
    handler = slow(channelReply('for everyone'));
    const sent = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'log' });
    await fake.waitForCallback(sent);
    const followUp = await fake.waitForRequest({ method: 'POST', path: `/webhooks/${fake.applicationId}/${sent.token}` });
    expect(followUp.body).toMatchObject({ content: 'for everyone' });
    await fake.waitForRequest({ method: 'DELETE', path: `/webhooks/${fake.applicationId}/${sent.token}/messages/@original` });
    expect(fake.interaction(sent.id).followUps.map((m) => m.content)).toEqual(['for everyone']);
  });

  it('GIVEN a public answer whose follow-up Discord refuses THEN the placeholder holds the answer and says it was not posted', async () => {
    handler = slow(channelReply('for everyone'));
    const sent = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'log' });
    // Every try of the follow-up fails (the REST client tries a 5xx four times).
    fake.failNext('POST', `/webhooks/${fake.applicationId}/${sent.token}`, 503, undefined, { times: 4 });
    await fake.waitForCallback(sent);
    await vi.waitFor(() => expect(fake.interaction(sent.id).original?.content).toBe("for everyone\n(I couldn't post this in the channel, so only you see it.)"), { timeout: 10_000 });
    expect(fake.interaction(sent.id).followUps).toEqual([]);
  });

  it('answers with an apology when a handler throws', async () => {
    handler = async () => {
      throw new Error('boom');
    };
    const sent = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'log' });
    expect(callbackBody(await fake.waitForCallback(sent))).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/sorry/i) } });
  });
});

describe('Discord with the gateway and the interactions endpoint in one process', () => {
  let fake: FakeDiscord;
  let bot: TestBot;
  let keys: ReturnType<typeof applicationKeys>;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [{ id: guildId, name: 'Writers', channels: [{ id: writing, name: 'writing', type: ChannelKind.GuildText }], members: [{ user: ada }, { user: bo }] }] });
    keys = applicationKeys();
    bot = await startTestBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildId, DISCORD_PUBLIC_KEY: keys.publicKeyHex });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  it('answers interactions from either path the same way, and logs chat messages from the gateway', async () => {
    expect(fake.identifyCount).toBe(1);
    const overGateway = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'setup', options: { timezone: 'UTC' }, memberPermissions: MANAGE_GUILD });
    const gatewayAnswer = await fake.waitForCallback(overGateway);
    expect(gatewayAnswer.via).toBeUndefined();
    fake.useInteractionsEndpoint({ url: `http://127.0.0.1:${bot.http.address!.port}/discord/interactions`, privateKey: keys.privateKey });
    const overHttp = fake.slashCommand({ guildId, channelId: writing, user: bo, name: 'log', options: { words: 321 }, memberPermissions: MEMBER });
    const httpAnswer = await fake.waitForCallback(overHttp);
    expect(httpAnswer.via).toBe('interactions endpoint');
    expect(callbackBody(httpAnswer)).toMatchObject({ type: 4, data: { content: expect.stringMatching(/Bo logged: 321 words today/) } });
    const message = fake.message({ guildId, channelId: writing, author: bo, content: '+200 words' });
    await fake.waitUntil(() => fake.reactionsOn(message.id).includes('✅'), { description: 'the chat log reaction' });
  });
});
