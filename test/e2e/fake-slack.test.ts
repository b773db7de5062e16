import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type ButtonAction, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  blockAction,
  eventCallback,
  FakeSlack,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  nowSeconds,
  sendSignedRequest,
  slashCommand,
  urlVerification,
} from '../fakes/slack/fake-slack';
import { QuietLogger } from '../fakes/slack/quiet-logger';

const BOT_TOKEN = 'xoxb-1111-2222-fake';
const APP_TOKEN = 'xapp-1-A0FAKEAPP-3333-fake';
const SIGNING_SECRET = 'fake-signing-secret';

interface Seen {
  body: Record<string, unknown>;
  context: Record<string, unknown>;
}

async function listeningPort(started: unknown): Promise<number> {
  return ((started as { address(): AddressInfo }).address()).port;
}

describe('the real Bolt App over HTTP against FakeSlack', () => {
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;
  const logger = new QuietLogger();
  const commands: Seen[] = [];
  const actions: Seen[] = [];
  const messages: Seen[] = [];

  beforeAll(async () => {
    fake = await FakeSlack.start({ users: [{ id: 'U0ADMIN', name: 'ada', isAdmin: true }, { id: 'U0FAKEUSER', name: 'writer' }] });
    app = new App({
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      logger,
      logLevel: LogLevel.DEBUG,
      // Honour Retry-After without p-retry's own 1-2 s backoff on top, to keep the rate-limit test short.
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } },
    });
    app.command('/log', async ({ command, ack, respond, client, body, context }) => {
      await ack();
      commands.push({ body, context });
      await respond({ response_type: 'ephemeral', text: `Logged ${command.text}` });
      await client.chat.postMessage({ channel: command.channel_id, text: `<@${command.user_id}> logged ${command.text}` });
    });
    app.command('/echo', async ({ command, ack }) => {
      await ack(command.text === 'json' ? { response_type: 'ephemeral', text: 'as json' } : `echo: ${command.text}`);
    });
    app.action<BlockAction<ButtonAction>>('undo_log', async ({ action, ack, respond, body, context }) => {
      await ack();
      actions.push({ body: { ...body, clickedValue: action.value }, context });
      await respond({ replace_original: true, text: `Undone ${action.value}` });
    });
    app.message(async ({ message, body, context }) => {
      messages.push({ body: { ...body, message }, context });
    });
    eventsUrl = `http://127.0.0.1:${await listeningPort(await app.start({ port: 0, host: '127.0.0.1' }))}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
  });

  it('is asked auth.test first, with the bot token', async () => {
    const first = await fake.waitForCall('auth.test');
    expect(fake.calls[0]?.method).toBe('auth.test');
    expect(first.token).toBe(BOT_TOKEN);
    expect(first.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('delivers a signed slash command: ack() answers 200, respond() reaches the response_url, the client reaches the Web API', async () => {
    const responseUrl = fake.responseUrl('log-500');
    const delivery = slashCommand({ command: '/log', text: '500 words & more', userId: 'U0FAKEUSER', responseUrl });

    const reply = await sendSignedRequest(eventsUrl, delivery, { signingSecret: SIGNING_SECRET });

    expect(reply.status).toBe(200);
    expect(reply.body).toBe('');
    const response = await fake.waitForResponse((r) => r.id === 'log-500');
    expect(response.body).toEqual({ response_type: 'ephemeral', text: 'Logged 500 words & more' });
    const post = await fake.waitForCall('chat.postMessage', (c) => c.params.text === '<@U0FAKEUSER> logged 500 words & more');
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.params.channel).toBe('C0FAKECHAN');
    // The client Bolt hands to listeners is per workspace and adds team_id to every call.
    expect(post.params.team_id).toBe(fake.teamId);
    expect(post.response).toMatchObject({ ok: true, channel: 'C0FAKECHAN', message: { text: '<@U0FAKEUSER> logged 500 words & more' } });
    expect(fake.messages.at(-1)).toMatchObject({ channel: 'C0FAKECHAN', text: '<@U0FAKEUSER> logged 500 words & more' });
    expect(commands.at(-1)?.body).toMatchObject({ command: '/log', text: '500 words & more', user_id: 'U0FAKEUSER', team_id: fake.teamId });
  });

  it('turns ack(text) into a plain body and ack(object) into JSON', async () => {
    const responseUrl = fake.responseUrl();
    const text = await sendSignedRequest(eventsUrl, slashCommand({ command: '/echo', text: 'hi there', responseUrl }), { signingSecret: SIGNING_SECRET });
    const json = await sendSignedRequest(eventsUrl, slashCommand({ command: '/echo', text: 'json', responseUrl }), { signingSecret: SIGNING_SECRET });

    expect(text).toMatchObject({ status: 200, body: 'echo: hi there' });
    expect(text.headers['content-type']).toBeUndefined();
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json');
    expect(JSON.parse(json.body)).toEqual({ response_type: 'ephemeral', text: 'as json' });
  });

  it('answers 401 to a forged signature, a stale timestamp and a missing signature, without reaching the listener', async () => {
    const before = commands.length;
    const command = () => slashCommand({ command: '/log', text: 'sneaky', responseUrl: fake.responseUrl() });

    const forged = await sendSignedRequest(eventsUrl, command(), { signingSecret: 'not-the-secret' });
    const stale = await sendSignedRequest(eventsUrl, command(), { signingSecret: SIGNING_SECRET, timestamp: nowSeconds() - 5 * 60 - 1 });
    const unsigned = await sendSignedRequest(eventsUrl, command(), { signingSecret: SIGNING_SECRET, omitSignature: true });
    // A genuine request afterwards proves the listener was live all along.
    const genuine = await sendSignedRequest(eventsUrl, slashCommand({ command: '/log', text: 'genuine', responseUrl: fake.responseUrl() }), {
      signingSecret: SIGNING_SECRET,
    });

    expect([forged.status, stale.status, unsigned.status, genuine.status]).toEqual([401, 401, 401, 200]);
    await vi.waitFor(() => expect(commands.length).toBe(before + 1));
    expect(commands.at(-1)?.body.text).toBe('genuine');
    const warnings = logger.at(LogLevel.WARN).join('\n');
    expect(warnings).toContain('signature mismatch');
    expect(warnings).toContain('request is stale');
    expect(warnings).toContain('header x-slack-signature did not have the expected type');
  });

  it('delivers a block_actions click to app.action with the button value and a working respond()', async () => {
    const delivery = blockAction({ actionId: 'undo_log', value: 'log-42', messageTs: '1700000000.000100', responseUrl: fake.responseUrl('undo') });

    const reply = await sendSignedRequest(eventsUrl, delivery, { signingSecret: SIGNING_SECRET });

    expect(reply.status).toBe(200);
    await vi.waitFor(() => expect(actions).toHaveLength(1));
    expect(actions[0]?.body).toMatchObject({
      type: 'block_actions',
      clickedValue: 'log-42',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0FAKECHAN' },
      user: { id: 'U0FAKEUSER' },
      actions: [{ action_id: 'undo_log', value: 'log-42' }],
    });
    expect((await fake.waitForResponse((r) => r.id === 'undo')).body).toEqual({ replace_original: true, text: 'Undone log-42' });
  });

  it('delivers plain, edited and deleted message events to app.message', async () => {
    const ts = '1700000100.000200';
    const events = [
      messageEvent({ text: 'wrote 300 words', ts }),
      messageChangedEvent({ ts, text: 'wrote 350 words', previousText: 'wrote 300 words' }),
      messageDeletedEvent({ ts, previousText: 'wrote 350 words' }),
    ];
    for (const event of events) {
      const reply = await sendSignedRequest(eventsUrl, eventCallback(event), { signingSecret: SIGNING_SECRET });
      // Bolt acknowledges Events API requests itself, before any listener runs.
      expect(reply).toMatchObject({ status: 200, body: '' });
    }

    await vi.waitFor(() => expect(messages.filter((m) => JSON.stringify(m.body).includes(ts))).toHaveLength(3));
    const seen = messages.filter((m) => JSON.stringify(m.body).includes(ts)).map((m) => m.body.message as Record<string, unknown>);
    expect(seen[0]).toMatchObject({ text: 'wrote 300 words', user: 'U0FAKEUSER', ts });
    expect(seen[1]).toMatchObject({ subtype: 'message_changed', message: { text: 'wrote 350 words', ts } });
    expect(seen[2]).toMatchObject({ subtype: 'message_deleted', deleted_ts: ts });
  });

  it('passes X-Slack-Retry-Num and X-Slack-Retry-Reason to listeners as context.retryNum and context.retryReason', async () => {
    const first = eventCallback(messageEvent({ text: 'first delivery' }));
    const retried = eventCallback(messageEvent({ text: 'retried delivery' }));

    await sendSignedRequest(eventsUrl, first, { signingSecret: SIGNING_SECRET });
    await sendSignedRequest(eventsUrl, retried, { signingSecret: SIGNING_SECRET, retryNum: 1, retryReason: 'http_timeout' });

    const find = (text: string) => messages.find((m) => (m.body.message as { text?: string }).text === text);
    await vi.waitFor(() => expect(find('retried delivery')).toBeDefined());
    expect(find('first delivery')?.context).toMatchObject({ retryNum: undefined, retryReason: undefined });
    expect(find('retried delivery')?.context).toMatchObject({ retryNum: 1, retryReason: 'http_timeout' });
    expect(find('retried delivery')?.body.event_id).toBe(retried.payload.event_id);
  });

  it('answers a url_verification challenge', async () => {
    const reply = await sendSignedRequest(eventsUrl, urlVerification('challenge-abc'), { signingSecret: SIGNING_SECRET });

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ challenge: 'challenge-abc' });
  });

  it('uploads a file through files.uploadV2: upload URL, bytes, completion', async () => {
    const bytes = Buffer.from('day,words\n2024-05-01,500\n');

    const result = await app.client.files.uploadV2({ channel_id: 'C0FAKECHAN', file: bytes, filename: 'export.csv', initial_comment: 'Your export' });

    const requested = await fake.waitForCall('files.getUploadURLExternal');
    expect(requested.params).toMatchObject({ filename: 'export.csv', length: String(bytes.length) });
    const completed = await fake.waitForCall('files.completeUploadExternal');
    const fileId = requested.response.file_id as string;
    expect(completed.params).toMatchObject({ channel_id: 'C0FAKECHAN', initial_comment: 'Your export', files: [{ id: fileId, title: 'export.csv' }] });
    const upload = fake.uploads.find((u) => u.fileId === fileId);
    expect(upload?.bytes?.equals(bytes)).toBe(true);
    expect(upload?.completed).toMatchObject({ channelId: 'C0FAKECHAN', initialComment: 'Your export' });
    expect(result.ok).toBe(true);
    expect(fake.messages.at(-1)).toMatchObject({ channel: 'C0FAKECHAN', text: 'Your export', files: [fileId] });
  });

  it('retries chat.postMessage after a 429, waiting Retry-After seconds', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();

    const result = await app.client.chat.postMessage({ channel: 'C0FAKECHAN', text: 'after the rate limit' });

    const elapsed = Date.now() - started;
    const attempts = fake.calls.filter((c) => c.method === 'chat.postMessage' && c.params.text === 'after the rate limit');
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(result.ok).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(3000);
    expect(logger.at(LogLevel.INFO).join('\n')).toContain('Will retry in 1 seconds');
  });

  it('surfaces injected Slack errors as WebAPIPlatformError', async () => {
    fake.failNext('chat.update', 'cant_update_message');

    await expect(app.client.chat.update({ channel: 'C0FAKECHAN', ts: '1.2', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'cant_update_message' },
    });
    await expect(app.client.chat.update({ channel: 'C0FAKECHAN', ts: '1.2', text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    await expect(app.client.apiCall('chat.levitate', { channel: 'C0FAKECHAN' })).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    expect(fake.calls.some((c) => c.method === 'chat.levitate')).toBe(true);
  });

  it('answers the other methods an adapter needs the way Slack does', async () => {
    const client = app.client;

    const admin = await client.users.info({ user: 'U0ADMIN' });
    const writer = await client.users.info({ user: 'U0FAKEUSER' });
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    const dm = await client.conversations.open({ users: 'U0FAKEUSER' });
    const dmInfo = await client.conversations.info({ channel: dm.channel!.id! });
    const posted = await client.chat.postMessage({ channel: 'C0FAKECHAN', text: 'draft' });
    const updated = await client.chat.update({ channel: 'C0FAKECHAN', ts: posted.ts!, text: 'final' });
    const ephemeral = await client.chat.postEphemeral({ channel: 'C0FAKECHAN', user: 'U0FAKEUSER', text: 'only you' });
    await client.reactions.add({ channel: 'C0FAKECHAN', timestamp: posted.ts!, name: 'white_check_mark' });
    await expect(client.reactions.add({ channel: 'C0FAKECHAN', timestamp: posted.ts!, name: 'white_check_mark' })).rejects.toMatchObject({
      data: { error: 'already_reacted' },
    });
    const deleted = await client.chat.delete({ channel: 'C0FAKECHAN', ts: posted.ts! });

    expect(admin.user).toMatchObject({ id: 'U0ADMIN', is_admin: true, is_owner: false });
    expect(writer.user).toMatchObject({ id: 'U0FAKEUSER', is_admin: false });
    expect(dm.channel?.id).toMatch(/^D/);
    expect(dmInfo.channel).toMatchObject({ is_im: true, user: 'U0FAKEUSER' });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'final' });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(deleted).toMatchObject({ ok: true, ts: posted.ts });
    expect(fake.messages.find((m) => m.ts === posted.ts)).toMatchObject({ text: 'final', deleted: true, edited: { ts: expect.any(String) } });
    expect(fake.reactions).toContainEqual({ channel: 'C0FAKECHAN', timestamp: posted.ts, name: 'white_check_mark' });
  });

  it('keeps message metadata and answers conversations.history newest first, in pages, with metadata only when asked for', async () => {
    const client = app.client;
    const channel = 'C0HISTORY';
    const metadata = { event_type: 'inkwell_post', event_payload: { key: 'job:1' } };
    const before = await client.chat.postMessage({ channel, text: 'before' });
    const keyed = await client.chat.postMessage({ channel, text: 'digest', metadata });
    const later = await client.chat.postMessage({ channel, text: 'later' });
    await client.chat.postMessage({ channel, text: 'in the thread', thread_ts: keyed.ts! });
    await expect(client.chat.postMessage({ channel, text: 'x', metadata: { event_type: 'inkwell_post' } })).rejects.toMatchObject({ data: { error: 'invalid_metadata_format' } });

    const plain = await client.conversations.history({ channel, oldest: before.ts! });
    expect(plain.messages!.map((m) => [m.text, m.metadata])).toEqual([['later', undefined], ['digest', undefined]]);
    const first = await client.conversations.history({ channel, oldest: before.ts!, include_all_metadata: true, limit: 1 });
    expect(first).toMatchObject({ has_more: true, messages: [{ ts: later.ts }] });
    const second = await client.conversations.history({ channel, oldest: before.ts!, include_all_metadata: true, limit: 1, cursor: first.response_metadata!.next_cursor! });
    expect(second).toMatchObject({ has_more: false, messages: [{ ts: keyed.ts, metadata }] });
    const thread = await client.conversations.replies({ channel, ts: keyed.ts!, include_all_metadata: true });
    expect(thread.messages!.map((m) => m.text)).toEqual(['digest', 'in the thread']);
    expect(fake.messages.find((m) => m.ts === keyed.ts)).toMatchObject({ metadata });
  });
});

describe('the real Bolt App with a custom HTTPReceiver', () => {
  it('exposes the raw retry headers through customPropertiesExtractor', async () => {
    const fake = await FakeSlack.start();
    const logger = new QuietLogger();
    const receiver = new HTTPReceiver({
      signingSecret: SIGNING_SECRET,
      logger,
      // Keys must not clash with Bolt's own context keys (retryNum, retryReason, ...).
      customPropertiesExtractor: (request) => ({ slackRetryHeaders: { num: request.headers['x-slack-retry-num'], reason: request.headers['x-slack-retry-reason'] } }),
    });
    const app = new App({ token: BOT_TOKEN, receiver, logger, clientOptions: { slackApiUrl: fake.apiUrl } });
    const contexts: Record<string, unknown>[] = [];
    app.message(async ({ context }) => {
      contexts.push(context);
    });
    try {
      const port = await listeningPort(await app.start({ port: 0, host: '127.0.0.1' }));

      await sendSignedRequest(`http://127.0.0.1:${port}/slack/events`, eventCallback(messageEvent({ text: 'again' })), {
        signingSecret: SIGNING_SECRET,
        retryNum: 2,
        retryReason: 'http_error',
      });

      await vi.waitFor(() => expect(contexts).toHaveLength(1));
      expect(contexts[0]).toMatchObject({ retryNum: 2, retryReason: 'http_error', slackRetryHeaders: { num: '2', reason: 'http_error' } });
    } finally {
      await app.stop();
      await fake.stop();
    }
  });
});

describe('the real Bolt App in Socket Mode against FakeSlack', () => {
  let fake: FakeSlack;
  let app: App;
  const logger = new QuietLogger();
  const commands: Seen[] = [];
  const events: Seen[] = [];
  const actions: Seen[] = [];

  beforeAll(async () => {
    fake = await FakeSlack.start();
    app = new App({ token: BOT_TOKEN, appToken: APP_TOKEN, socketMode: true, logger, clientOptions: { slackApiUrl: fake.apiUrl } });
    app.command('/log', async ({ command, ack, respond, body, context }) => {
      await ack({ response_type: 'ephemeral', text: `Logging ${command.text}` });
      commands.push({ body, context });
      await respond({ text: `Logged ${command.text}` });
    });
    app.message(async ({ body, context }) => {
      events.push({ body, context });
    });
    app.action('undo_log', async ({ ack, body, context }) => {
      await ack();
      actions.push({ body: { ...body }, context });
    });
    // Resolves once the WebSocket is open and Slack's hello has arrived.
    await app.start();
  });

  afterAll(async () => {
    // Stop the app first: a client that loses the fake while running keeps trying to reconnect.
    await app?.stop();
    await fake?.stop();
  });

  it('connects through apps.connections.open with the app-level token', async () => {
    const connection = await fake.waitForSocketConnection();
    const open = await fake.waitForCall('apps.connections.open');

    expect(connection.number).toBe(1);
    expect(open.token).toBe(APP_TOKEN);
    expect(String(open.response.url)).toContain(`ticket=${connection.ticket}`);
    expect(fake.calls.find((c) => c.method === 'auth.test')?.token).toBe(BOT_TOKEN);
  });

  it('delivers a slash_commands envelope and acknowledges it with the envelope id and the ack payload', async () => {
    const delivery = slashCommand({ command: '/log', text: '250', responseUrl: fake.responseUrl('socket-log') });

    const ack = await fake.socketSend('slash_commands', delivery.payload, { envelopeId: 'env-command-1' });

    expect(ack).toEqual({ envelope_id: 'env-command-1', payload: { response_type: 'ephemeral', text: 'Logging 250' } });
    expect(commands.at(-1)?.body).toMatchObject({ command: '/log', text: '250' });
    expect((await fake.waitForResponse((r) => r.id === 'socket-log')).body).toEqual({ text: 'Logged 250' });
  });

  it('delivers an events_api envelope, acknowledged before the listener with an empty payload', async () => {
    const delivery = eventCallback(messageEvent({ text: 'socket words' }));

    const ack = await fake.socketSend('events_api', delivery.payload, { envelopeId: 'env-event-1' });
    const retriedAck = await fake.socketSend('events_api', eventCallback(messageEvent({ text: 'socket retry' })).payload, {
      retryAttempt: 2,
      retryReason: 'timeout',
    });

    expect(ack).toEqual({ envelope_id: 'env-event-1', payload: {} });
    expect(retriedAck.payload).toEqual({});
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events[0]?.body).toMatchObject({ type: 'event_callback', event: { text: 'socket words' } });
    // Socket Mode reports a first delivery as retryNum 0 (HTTP leaves it undefined).
    expect(events[0]?.context).toMatchObject({ retryNum: 0, retryReason: '' });
    expect(events[1]?.context).toMatchObject({ retryNum: 2, retryReason: 'timeout' });
  });

  it('delivers an interactive envelope to app.action', async () => {
    const ack = await fake.socketSend('interactive', blockAction({ actionId: 'undo_log', value: 'log-7', responseUrl: fake.responseUrl() }).payload);

    expect(ack.payload).toEqual({});
    expect(actions.at(-1)?.body).toMatchObject({ type: 'block_actions', actions: [{ action_id: 'undo_log', value: 'log-7' }] });
  });
});

describe('a Socket Mode app reconnecting to FakeSlack', () => {
  it('opens a fresh connection after a disconnect request and after a dropped link', async () => {
    const fake = await FakeSlack.start();
    const logger = new QuietLogger();
    // The client waits clientPingTimeout (5 s by default) before reconnecting; App() offers no way to change it.
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      logger,
      clientPingTimeout: 500,
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl } },
    });
    const app = new App({ token: BOT_TOKEN, receiver, logger, clientOptions: { slackApiUrl: fake.apiUrl } });
    const seen: string[] = [];
    app.message(async ({ message }) => {
      seen.push((message as { text?: string }).text ?? '');
    });
    try {
      await app.start();

      fake.socketRequestReconnect();
      const second = await fake.waitForSocketConnection({ count: 2 });
      await fake.socketSend('events_api', eventCallback(messageEvent({ text: 'after refresh' })).payload);
      fake.socketDropConnections();
      const third = await fake.waitForSocketConnection({ count: 3 });
      await fake.socketSend('events_api', eventCallback(messageEvent({ text: 'after drop' })).payload);

      expect([second.number, third.number]).toEqual([2, 3]);
      expect(fake.calls.filter((c) => c.method === 'apps.connections.open')).toHaveLength(3);
      await vi.waitFor(() => expect(seen).toEqual(['after refresh', 'after drop']));
    } finally {
      await app.stop();
      await fake.stop();
    }
  });
});
