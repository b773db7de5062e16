import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index';
import type { SlackAdapter } from '../../src/adapters/slack/slack-adapter';
import { slackManifest } from '../../src/adapters/slack/slack-commands';
import { FakeClock } from '../fakes/fake-clock';
import { describeOptions, usage } from '../../src/router/options';
import { commandNames } from '../../src/router/command';
import {
  blockAction,
  eventCallback,
  FakeSlack,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  nowSeconds,
  type SlackDelivery,
  sendSignedRequest,
  slashCommand,
} from '../fakes/slack/fake-slack';
import { startTestBot, type TestBot } from '../support/running-bot';

const BOT_TOKEN = 'xoxb-1111-2222-fake';
const SIGNING_SECRET = 'abcdef0123456789abcdef0123456789';
const ADMIN = 'U0ADMIN';
const WRITER = 'U0WRITER';
/** A member whose direct messages are closed to the app. */
const PRIVATE_WRITER = 'U0NODMS';
const CHANNEL = 'C0WRITING';

async function logRows(bot: TestBot) {
  return bot.app.database.db.selectFrom('logs').select(['words', 'url', 'source', 'message_id']).orderBy('id').execute();
}

describe('the Slack adapter over HTTP, against a fake Slack', () => {
  let fake: FakeSlack;
  let bot: TestBot;
  let eventsUrl: string;

  beforeAll(async () => {
    fake = await FakeSlack.start({
      users: [
        { id: ADMIN, name: 'ada', realName: 'Ada Lovelace', isAdmin: true },
        { id: WRITER, name: 'bo', realName: 'Bo Writer' },
        { id: PRIVATE_WRITER, name: 'cy', realName: 'Cy Quiet', dmError: 'user_not_visible' },
      ],
    });
    bot = await startTestBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' });
    const adapter = bot.adapters[0] as SlackAdapter;
    eventsUrl = `http://127.0.0.1:${adapter.address!.port}/slack/events`;
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  const send = (
    delivery: SlackDelivery,
    options: { retryNum?: number; secret?: string; timestamp?: number; omitSignature?: boolean; omitTimestamp?: boolean; headers?: Record<string, string> } = {},
  ) =>
    sendSignedRequest(eventsUrl, delivery, { signingSecret: options.secret ?? SIGNING_SECRET, ...options });

  /** Runs a slash command and returns what the bot answered through response_url. */
  async function command(userId: string, text: string, name = text.split(' ')[0]!, teamId?: string) {
    const responseUrl = fake.responseUrl();
    const args = text.slice(name.length).trim();
    const result = await send(slashCommand({ command: name, text: args, userId, channelId: CHANNEL, responseUrl, teamId }));
    expect(result.status).toBe(200);
    const response = await fake.waitForResponse((r) => r.url === responseUrl);
    return response.body as { response_type: string; text: string; blocks: { type: string }[] };
  }

  it('acknowledges a signed slash command and answers through response_url', async () => {
    const answer = await command(ADMIN, '/setup timezone:Europe/London');
    expect(answer.response_type).toBe('in_channel');
    expect(answer.text).toMatch(/now a writing group\. Days follow Europe\/London.*announcements go to <#C0WRITING>/s);
    expect(answer.blocks.map((b) => b.type)).toEqual(['header', 'section']);
  });

  it('logs with arguments parsed from the command text, unwrapping escaped links', async () => {
    const answer = await command(WRITER, '/log 500 <https://medium.com/@bo/draft?a=1&amp;b=2>');
    expect(answer).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/bo logged: 500 words and a link today/) });
    expect((await logRows(bot)).at(-1)).toMatchObject({ words: 500, url: 'https://medium.com/@bo/draft?a=1&b=2', source: 'command' });
  });

  it('explains bad arguments, unknown commands and refusals privately', async () => {
    expect(await command(WRITER, '/log words:lots')).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Bad value for words: "lots"/) });
    expect(await command(WRITER, '/config')).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Only group admins/) });
    expect(await command(WRITER, '/bogus now')).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/There's no \/bogus command/) });
    expect(await command(ADMIN, '/config')).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Group settings/) });
  });

  it('looks up who is an admin once, then trusts its cache', async () => {
    const lookups = fake.calls.filter((c) => c.method === 'users.info' && c.params.user === ADMIN).length;
    await command(ADMIN, '/config');
    expect(fake.calls.filter((c) => c.method === 'users.info' && c.params.user === ADMIN)).toHaveLength(lookups);
  });

  it('refuses forged, stale and unsigned requests with 401 before any handler runs', async () => {
    const before = (await logRows(bot)).length;
    const delivery = () => slashCommand({ command: '/log', text: '999', userId: WRITER, channelId: CHANNEL, responseUrl: fake.responseUrl() });
    expect((await send(delivery(), { secret: '00000000000000000000000000000000' })).status).toBe(401);
    expect((await send(delivery(), { timestamp: nowSeconds() - 6 * 60 })).status).toBe(401);
    expect((await send(delivery(), { omitSignature: true })).status).toBe(401);
    expect((await logRows(bot)).length).toBe(before);
  });

  it('refuses requests signed more than five minutes off in either direction, and takes one a little ahead', async () => {
    const before = (await logRows(bot)).length;
    const delivery = () => slashCommand({ command: '/log', text: '999', userId: WRITER, channelId: CHANNEL, responseUrl: fake.responseUrl() });
    expect((await send(delivery(), { timestamp: nowSeconds() - 6 * 60 })).status).toBe(401);
    expect((await send(delivery(), { timestamp: nowSeconds() + 365 * 86_400 })).status).toBe(401);
    expect((await send(delivery(), { timestamp: nowSeconds() + 6 * 60 })).status).toBe(401);
    expect((await send(delivery(), { omitTimestamp: true })).status).toBe(401);
    expect((await send(delivery(), { headers: { 'X-Slack-Request-Timestamp': 'soon' } })).status).toBe(401);
    expect((await logRows(bot)).length).toBe(before);

    const responseUrl = fake.responseUrl();
    const ahead = await send(slashCommand({ command: '/log', text: '40', userId: WRITER, channelId: CHANNEL, responseUrl }), { timestamp: nowSeconds() + 4 * 60 });
    expect(ahead.status).toBe(200);
    expect((await fake.waitForResponse((r) => r.url === responseUrl)).body).toMatchObject({ text: expect.stringMatching(/bo logged/) });
    expect((await logRows(bot)).at(-1)).toMatchObject({ words: 40, source: 'command' });
  });

  it('answers a signed body that is not an object with 400, and carries on', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const json = (rawBody: string): SlackDelivery => ({ payload: {}, contentType: 'application/json', rawBody });
      const form = (rawBody: string): SlackDelivery => ({ payload: {}, contentType: 'application/x-www-form-urlencoded', rawBody });
      expect((await send(json('null'))).status).toBe(400);
      expect((await send(json('[1,2]'))).status).toBe(400);
      expect((await send(json('"text"'))).status).toBe(400);
      expect((await send(json('{"type":'))).status).toBe(400);
      expect((await send(form('payload=null'))).status).toBe(400);
      // Unsigned, the same body learns nothing beyond the refusal.
      expect((await send(json('null'), { omitSignature: true })).status).toBe(401);
      // Slack's SSL check is unsigned and still answered.
      expect((await send(form('ssl_check=1&token=x'), { omitSignature: true, omitTimestamp: true })).status).toBe(200);
      const answer = await command(ADMIN, '/config');
      expect(answer.text).toMatch(/^Group settings/);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('logs a chat message once however often Slack re-delivers it, and reacts', async () => {
    const before = (await logRows(bot)).length;
    const event = messageEvent({ text: '+300 words on the outline', userId: WRITER, channelId: CHANNEL });
    const delivery = eventCallback(event, { eventId: 'Ev0CHATLOG1' });
    expect((await send(delivery)).status).toBe(200);
    await fake.waitForCall('reactions.add', (c) => c.params.timestamp === event.ts);
    expect((await send(delivery, { retryNum: 1 })).status).toBe(200);
    expect((await send(delivery, { retryNum: 2 })).status).toBe(200);
    // A later message answered means the re-deliveries before it were handled too.
    const later = messageEvent({ text: '+20 words', userId: WRITER, channelId: CHANNEL });
    expect((await send(eventCallback(later, { eventId: 'Ev0CHATLOG2' }))).status).toBe(200);
    await fake.waitForCall('reactions.add', (c) => c.params.timestamp === later.ts);
    const rows = await logRows(bot);
    expect(rows.length).toBe(before + 2);
    expect(rows.filter((r) => r.message_id === event.ts)).toMatchObject([{ words: 300, source: 'chat' }]);
    expect(fake.calls.filter((c) => c.method === 'reactions.add' && c.params.timestamp === event.ts)).toHaveLength(1);
    expect(fake.calls.find((c) => c.method === 'reactions.add')!.params).toMatchObject({ channel: CHANNEL, name: 'white_check_mark' });
  });

  it('follows edits and deletes of a logged message', async () => {
    const event = messageEvent({ text: '+100 words', userId: WRITER, channelId: CHANNEL });
    await send(eventCallback(event));
    await fake.waitForCall('reactions.add', (c) => c.params.timestamp === event.ts);
    await send(eventCallback(messageChangedEvent({ ts: String(event.ts), text: '+150 words', userId: WRITER, channelId: CHANNEL })));
    await expect.poll(async () => (await logRows(bot)).find((r) => r.message_id === event.ts)?.words).toBe(150);
    await send(eventCallback(messageDeletedEvent({ ts: String(event.ts), userId: WRITER, channelId: CHANNEL })));
    await expect.poll(async () => (await logRows(bot)).some((r) => r.message_id === event.ts)).toBe(false);
  });

  it('tells the author privately when a triggered message cannot be logged', async () => {
    await send(eventCallback(messageEvent({ text: '#log', userId: WRITER, channelId: CHANNEL })));
    const call = await fake.waitForCall('chat.postEphemeral');
    expect(call.params).toMatchObject({ channel: CHANNEL, user: WRITER, text: expect.stringMatching(/couldn't log that message/) });
  });

  it('routes a button through the router and acts on a double click once', async () => {
    const asked = await command(WRITER, '/forget');
    const actions = asked.blocks.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] } | undefined;
    const button = actions!.elements[0]!;
    const click = async () => {
      const responseUrl = fake.responseUrl();
      const result = await send(blockAction({ actionId: button.action_id, value: button.value, userId: WRITER, channelId: CHANNEL, responseUrl }));
      expect(result.status).toBe(200);
      return (await fake.waitForResponse((r) => r.url === responseUrl)).body as { text: string };
    };
    expect((await click()).text).toMatch(/Done: everything I kept about you/);
    expect((await click()).text).toMatch(/nothing left to delete/);
    expect(await bot.app.database.db.selectFrom('people').select('user_id').where('user_id', '=', WRITER).execute()).toEqual([]);
  });

  it('announces an article, counts a double click once, and updates the count with chat.update', async () => {
    await command(ADMIN, '/publish <https://bo.example/why-i-write|bo.example/why-i-write> Why I Write');
    const post = await fake.waitForCall('chat.postMessage', (c) => String(c.params.text).includes('Why I Write'));
    expect(post.params.text).toMatch(/First hour closes <!date\^\d+\^\{date_short_pretty\} at \{time\}\|/);
    const blocks = post.params.blocks as { type: string; elements?: { action_id: string; value?: string; url?: string }[] }[];
    const [link, read] = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(link).toMatchObject({ url: 'https://bo.example/why-i-write' });
    const ts = (post.response as { ts: string }).ts;
    const click = async () => {
      const responseUrl = fake.responseUrl();
      await send(blockAction({ actionId: read!.action_id, value: read!.value, userId: WRITER, channelId: CHANNEL, messageTs: ts, responseUrl }));
      return (await fake.waitForResponse((r) => r.url === responseUrl)).body as { text: string };
    };
    expect((await click()).text).toMatch(/Counted: a first-hour read/);
    expect((await click()).text).toMatch(/already counted/);
    const update = await fake.waitForCall('chat.update', (c) => c.params.ts === ts);
    expect(update.params.text).toMatch(/1 read so far/);
  });

  it('explains a button from an old message', async () => {
    const responseUrl = fake.responseUrl();
    await send(blockAction({ actionId: 'vanished#0', value: 'x', userId: WRITER, channelId: CHANNEL, responseUrl }));
    expect((await fake.waitForResponse((r) => r.url === responseUrl)).body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/no longer works/) });
  });

  it('keeps workspaces apart: a group in one team does not exist in another', async () => {
    const answer = await command(WRITER, '/streak', '/streak', 'T0OTHERTEAM');
    expect(answer.text).toMatch(/no writing group in this channel/);
  });

  it('uploads the streak calendar with the current file flow, privately to the person', async () => {
    const answer = await command(ADMIN, '/streak');
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Sent to your direct messages/) });
    const upload = await fake.waitForCall('files.getUploadURLExternal', (c) => c.params.filename === 'streak-calendar.png');
    expect(Number(upload.params.length)).toBeGreaterThan(1000);
    await expect.poll(() => fake.uploads.find((u) => u.filename === 'streak-calendar.png')?.completed?.channelId).toMatch(/^D/);
  });

  it('sends files through the current upload flow, privately to the person', async () => {
    await command(ADMIN, '/log 10');
    const answer = await command(ADMIN, '/export');
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Sent to your direct messages/) });
    const complete = await fake.waitForCall('files.completeUploadExternal');
    expect(String(complete.params.channel_id)).toMatch(/^D/);
    const exported = fake.uploads.filter((u) => u.completed && u.filename.startsWith('my-writing'));
    expect(exported.map((u) => u.filename).sort()).toEqual(['my-writing-data.json', 'my-writing-logs.csv']);
  });

  it('answers /streak and /export privately, with a note, when the person\'s direct messages are closed', async () => {
    await command(PRIVATE_WRITER, '/log 200');
    const from = fake.calls.length;
    const streak = await command(PRIVATE_WRITER, '/streak');
    expect(streak.response_type).toBe('ephemeral');
    expect(streak.text).toMatch(/^cy's streak\nCurrent streak: 1 day[^]*\n\(I couldn't send the picture to your direct messages\.\)$/);
    const exported = await command(PRIVATE_WRITER, '/export');
    expect(exported.response_type).toBe('ephemeral');
    expect(exported.text).toMatch(/^Here is everything I keep about you in this workspace: 1 log[^]*\n\(I couldn't send the files to your direct messages\.\)$/);
    const later = fake.calls.slice(from);
    expect(later.filter((c) => c.method === 'conversations.open').map((c) => c.response.error)).toEqual(['user_not_visible', 'user_not_visible']);
    expect(later.filter((c) => c.method.startsWith('files.'))).toEqual([]);
    const failures = bot.logs.filter((l) => l.msg.startsWith('slack direct message failed'));
    expect(failures.map((l) => [l.level, l.err?.message])).toEqual([
      [40, expect.stringMatching(/user_not_visible/)],
      [40, expect.stringMatching(/user_not_visible/)],
    ]);
  });

  it('answers privately, with a note, when opening the direct message fails', async () => {
    fake.failNext('conversations.open', 'internal_error');
    const exported = await command(ADMIN, '/export');
    expect(exported).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/\(I couldn't send the files to your direct messages\.\)$/) });
    // The next time the direct message opens, the files go there as before.
    const from = fake.uploads.length;
    expect(await command(ADMIN, '/export')).toMatchObject({ text: expect.stringMatching(/\(Sent to your direct messages\.\)$/) });
    await expect.poll(() => fake.uploads.slice(from).filter((u) => u.completed?.channelId?.startsWith('D')).map((u) => u.filename).sort()).toEqual([
      'my-writing-data.json',
      'my-writing-logs.csv',
    ]);
  });

  it('never logged a handler failure', () => {
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('the Slack adapter in Socket Mode, against a fake Slack', () => {
  let fake: FakeSlack;
  let bot: TestBot;

  beforeAll(async () => {
    fake = await FakeSlack.start({ users: [{ id: ADMIN, name: 'ada', isAdmin: true }, { id: WRITER, name: 'bo' }] });
    bot = await startTestBot({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: 'xapp-1-A0FAKEAPP-3333-fake',
      SLACK_API_URL: fake.apiUrl,
    });
    await fake.waitForSocketConnection();
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  it('takes slash commands over the socket, acknowledging each envelope', async () => {
    const responseUrl = fake.responseUrl();
    const ack = await fake.socketSend('slash_commands', slashCommand({ command: '/setup', text: 'UTC', userId: ADMIN, channelId: CHANNEL, responseUrl }).payload);
    expect(ack.envelope_id).toBeTruthy();
    const response = await fake.waitForResponse((r) => r.url === responseUrl);
    expect(response.body).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/now a writing group/) });
  });

  it('logs a chat message from the events API once, even when re-sent', async () => {
    const event = messageEvent({ text: '+250 words', userId: WRITER, channelId: CHANNEL });
    const payload = eventCallback(event, { eventId: 'Ev0SOCKET01' }).payload;
    await fake.socketSend('events_api', payload);
    await fake.socketSend('events_api', payload, { retryAttempt: 1, retryReason: 'timeout' });
    await fake.waitForCall('reactions.add', (c) => c.params.timestamp === event.ts);
    await expect.poll(async () => (await logRows(bot)).filter((r) => r.message_id === event.ts).length).toBe(1);
  });
});

describe('the Slack adapter and a channel of another team', () => {
  const ELSEWHERE = 'C0ELSEWHERE';
  const ANNOUNCEMENTS = 'C0ANNOUNCE';
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));
  let fake: FakeSlack;
  let bot: TestBot;
  let eventsUrl: string;

  beforeAll(async () => {
    fake = await FakeSlack.start({ users: [{ id: ADMIN, name: 'ada', isAdmin: true }], channels: [{ id: ELSEWHERE, name: 'elsewhere', teamId: 'T0OTHERTEAM' }] });
    bot = await startTestBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' }, { clock });
    eventsUrl = `http://127.0.0.1:${(bot.adapters[0] as SlackAdapter).address!.port}/slack/events`;
    await command('/setup timezone:UTC');
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  async function command(text: string) {
    const name = text.split(' ')[0]!;
    const responseUrl = fake.responseUrl();
    await sendSignedRequest(eventsUrl, slashCommand({ command: name, text: text.slice(name.length).trim(), userId: ADMIN, channelId: CHANNEL, responseUrl }), { signingSecret: SIGNING_SECRET });
    return ((await fake.waitForResponse((r) => r.url === responseUrl)).body as { text: string }).text;
  }

  const announceChannel = async () => (await bot.app.database.db.selectFrom('groups').select('announce_channel_id').executeTakeFirstOrThrow()).announce_channel_id;

  it("refuses another team's channel, and one Slack does not show the bot, and stores nothing", async () => {
    expect(await command(`/config channel <#${ELSEWHERE}|elsewhere>`)).toBe('That channel is not in this workspace: pick a channel of this workspace.');
    fake.failNext('conversations.info', 'channel_not_found');
    expect(await command('/config channel <#C0GONE|gone>')).toBe('That channel is not in this workspace: pick a channel of this workspace.');
    expect(await announceChannel()).toBe(CHANNEL);
  });

  it("never posts to a stored channel of another team, and logs the refusal; this team's channel still gets the post", async () => {
    await bot.app.database.db.updateTable('groups').set({ announce_channel_id: ELSEWHERE }).execute();
    clock.advance(60_000);
    expect(await command('/publish https://ada.example/one One')).toMatch(/^I couldn't post in the announcement channel \(that channel is not in this workspace\)/);
    expect(bot.logs).toContainEqual(expect.objectContaining({ msg: 'post refused: the channel is not in the workspace', workspace: fake.teamId, channel: ELSEWHERE }));

    expect(await command(`/config channel <#${ANNOUNCEMENTS}|announcements>`)).toMatch(/^Updated channel: <#C0ANNOUNCE>$/);
    await command('/publish https://ada.example/two Two');
    await fake.waitForCall('chat.postMessage', (c) => c.params.channel === ANNOUNCEMENTS && String(c.params.text).includes('Two'));
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage' && c.params.channel === ELSEWHERE)).toEqual([]);
    // conversations.info answered once for the channel when it was set: the post reused it.
    expect(fake.calls.filter((c) => c.method === 'conversations.info' && c.params.channel === ANNOUNCEMENTS)).toHaveLength(1);
  });
});

describe('the Slack app manifest', () => {
  it('declares one slash command per definition, renaming those Slack reserves', () => {
    const manifest = slackManifest({ appName: 'Inkwell', commands, requestUrl: 'https://bot.example.com/slack/events' });
    const declared = manifest.features.slash_commands.map((c) => c.command);
    expect(declared).toEqual(commands.flatMap(commandNames).map((name) => (['join', 'feed', 'remind'].includes(name) ? `/ink-${name}` : `/${name}`)));
    const log = manifest.features.slash_commands.find((c) => c.command === '/log')!;
    expect(log).toMatchObject({ usage_hint: usage('log', describeOptions(commands.find((c) => c.name === 'log')!.options)).replace('/log ', ''), should_escape: true, url: 'https://bot.example.com/slack/events' });
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: false, interactivity: { is_enabled: true, request_url: 'https://bot.example.com/slack/events' } });
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'reactions:write', 'users:read', 'channels:history', 'files:write']));
  });

  it('declares each alias as a command of its own, saying which command it stands for', () => {
    const manifest = slackManifest({ appName: 'Inkwell', commands });
    const streak = manifest.features.slash_commands.find((c) => c.command === '/streak')!;
    const stats = manifest.features.slash_commands.find((c) => c.command === '/stats')!;
    expect(stats).toEqual({ ...streak, command: '/stats', description: `Same as /streak: ${streak.description}` });
  });

  it('leaves out request URLs for Socket Mode, and applies a command prefix', () => {
    const manifest = slackManifest({ appName: 'Inkwell', commands, prefix: 'ink-' });
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.slash_commands.every((c) => !('url' in c) && c.command.startsWith('/ink-'))).toBe(true);
  });
});
