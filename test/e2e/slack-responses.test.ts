import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/adapters/slack/slack-adapter';
import { blockAction, FakeSlack, type JsonObject, type SlackDelivery, sendSignedRequest, slashCommand, triggerId, viewSubmission } from '../fakes/slack/fake-slack';
import { startTestBot, type TestBot } from '../support/running-bot';

const BOT_TOKEN = 'xoxb-1111-2222-fake';
const SIGNING_SECRET = 'abcdef0123456789abcdef0123456789';
const ADMIN = 'U0ADMIN';
const AUTHOR = 'U0AUTHOR';
const READER = 'U0READER';
const OTHER = 'U0OTHER';
const CHANNEL = 'C0WRITING';

type Block = { type: string; block_id?: string; elements?: { action_id: string; value?: string; url?: string }[]; element?: JsonObject };

describe('responses on Slack: views.open from the announcement, view_submission back, a DM or a thread reply, through the real Bolt', () => {
  let fake: FakeSlack;
  let bot: TestBot;
  let eventsUrl: string;
  let announcementTs: string;
  let respond: { action_id: string; value?: string };

  const send = (delivery: SlackDelivery) => sendSignedRequest(eventsUrl, delivery, { signingSecret: SIGNING_SECRET });
  async function command(userId: string, name: string, text: string) {
    const responseUrl = fake.responseUrl();
    await send(slashCommand({ command: name, text, userId, channelId: CHANNEL, responseUrl }));
    return (await fake.waitForResponse((r) => r.url === responseUrl)).body as { text: string };
  }

  beforeAll(async () => {
    fake = await FakeSlack.start({
      users: [
        { id: ADMIN, name: 'ada', realName: 'Ada', isAdmin: true },
        { id: AUTHOR, name: 'bo', realName: 'Bo' },
        { id: READER, name: 'cy', realName: 'Cy' },
        { id: OTHER, name: 'di', realName: 'Di' },
      ],
    });
    bot = await startTestBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' });
    eventsUrl = `http://127.0.0.1:${(bot.adapters[0] as SlackAdapter).address!.port}/slack/events`;
    await command(ADMIN, '/setup', 'UTC');
    await command(AUTHOR, '/publish', '<https://bo.example/why-i-write|bo.example/why-i-write> Why I Write');
    const post = await fake.waitForCall('chat.postMessage', (c) => String(c.params.text).includes('Why I Write'));
    announcementTs = (post.response as { ts: string }).ts;
    const actions = (post.params.blocks as Block[]).find((b) => b.type === 'actions')!.elements!;
    respond = actions[2]!;
    expect(respond.action_id).toMatch(/^respond#/);
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  /** Presses Respond as the user and returns the modal views.open was given. */
  async function openForm(userId: string): Promise<JsonObject> {
    const trigger = triggerId();
    await send(blockAction({ actionId: respond.action_id, value: respond.value, userId, channelId: CHANNEL, messageTs: announcementTs, responseUrl: fake.responseUrl(), triggerId: trigger }));
    const call = await fake.waitForCall('views.open', (c) => c.params.trigger_id === trigger);
    expect(call.response).toMatchObject({ ok: true });
    return (call.response as { view: JsonObject }).view;
  }
  async function submit(userId: string, view: JsonObject, text: string, choice: string) {
    const before = fake.ephemerals.length;
    const result = await send(
      viewSubmission({ view, userId, values: { text: { text: { type: 'plain_text_input', value: text } }, choice: { choice: { type: 'radio_buttons', selected_option: { value: choice } } } } }),
    );
    expect(result.status).toBe(200);
    await expect.poll(() => fake.ephemerals.length).toBeGreaterThan(before);
    return fake.ephemerals.at(-1)!;
  }

  it('GIVEN Respond pressed THEN a modal opens with a multi-line input (10–1,000) and the choice, private first', async () => {
    const view = await openForm(READER);
    const [text, choice] = view.blocks as Block[];
    expect(text!.element).toMatchObject({ type: 'plain_text_input', multiline: true, min_length: 10, max_length: 1000 });
    expect(choice!.element).toMatchObject({ type: 'radio_buttons', initial_option: { value: 'private' } });
    expect(JSON.parse(String(view.private_metadata))).toEqual({ channel: CHANNEL });
  });

  it('GIVEN a private response THEN the author gets a DM with the reader and a link, and the reader an ephemeral answer', async () => {
    const answer = await submit(READER, await openForm(READER), 'The opening line stayed with me.', 'private');
    expect(answer).toMatchObject({ channel: CHANNEL, user: READER, text: '💬 Response: sent privately to bo. It also counts as your first-hour read. Thank you!' });
    const dm = fake.messages.find((m) => m.channel.startsWith('D') && m.text.includes('responded to your article'))!;
    expect(dm.text).toContain('💬 cy responded to your article "Why I Write":\nThe opening line stayed with me.\nThe article: https://bo.example/why-i-write');
  });

  it('GIVEN a response for the thread THEN it is a thread reply to the announcement, and sending again edits it in place', async () => {
    const answer = await submit(OTHER, await openForm(OTHER), 'Loved it <@U0AUTHOR> <!channel>', 'thread');
    expect(answer.text).toMatch(/^💬 Response: posted in the announcement's thread\./);
    const reply = fake.messages.find((m) => m.threadTs === announcementTs)!;
    expect(reply.channel).toBe(CHANNEL);
    expect(reply.text).toBe('💬 di on "Why I Write":\nLoved it ‹@U0AUTHOR› ‹!channel›');
    const again = await openForm(OTHER);
    expect(((again.blocks as Block[])[0]!.element as { initial_value?: string }).initial_value).toBe('Loved it <@U0AUTHOR> <!channel>');
    expect((await submit(OTHER, again, 'Thinking twice: the last line.', 'thread')).text).toMatch(/^✏️ Response replaced/);
    const update = await fake.waitForCall('chat.update', (c) => c.params.ts === reply.ts);
    expect(update.params.text).toBe('💬 di on "Why I Write":\nThinking twice: the last line.');
    expect(fake.messages.filter((m) => m.threadTs === announcementTs)).toHaveLength(1);
  });

  it('GIVEN the author’s own article or a too-long text THEN the answer is one ephemeral line, and nothing is kept', async () => {
    const before = await bot.app.database.db.selectFrom('responses').select('id').execute();
    expect((await submit(AUTHOR, await openForm(READER), 'My own article, responding to it.', 'private')).text).toBe("That's your own article: responses are for the group's readers. 🙂");
    expect((await submit(ADMIN, await openForm(ADMIN), 'x'.repeat(1001), 'private')).text).toBe('Your response is too long (1001 characters): the limit is 1000.');
    expect(await bot.app.database.db.selectFrom('responses').select('id').execute()).toEqual(before);
  });
});
