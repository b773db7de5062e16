import { expect } from 'vitest';
import type { SlackAdapter } from '../../../src/adapters/slack/slack-adapter';
import {
  blockAction,
  eventCallback,
  FakeSlack,
  type JsonObject,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  type RecordedCall,
  type SlackDelivery,
  sendSignedRequest,
  slashCommand,
  triggerId,
  viewSubmission,
} from '../../fakes/slack/fake-slack';
import { FakeClock } from '../../fakes/fake-clock';
import { startTestBot } from '../../support/running-bot';
import { type AdapterDriver, type Delivered, describeAdapterContract, type Person } from './adapter-contract';

const BOT_TOKEN = 'xoxb-1111-2222-fake';
const SIGNING_SECRET = 'abcdef0123456789abcdef0123456789';
const CHANNEL = 'C0WRITING';
const USERS: Record<Person, string> = { admin: 'U0ADMIN', writer: 'U0WRITER', reader: 'U0READER', trickster: 'U0TRICK' };
const SLACK_NAMES = { admin: 'ada', writer: 'wren', reader: 'reed' };

/** A message body as Bolt sends it: chat.postMessage params or a response_url body. */
interface MessageBody {
  text?: string;
  response_type?: string;
  link_names?: boolean | string;
  blocks?: { type: string; text?: { text?: string }; fields?: { text: string }[]; elements?: { action_id: string; value?: string; url?: string; text?: { text: string } }[] }[];
}

async function startSlackDriver(): Promise<AdapterDriver> {
  const fake = await FakeSlack.start({
    users: [
      { id: USERS.admin, name: SLACK_NAMES.admin, isAdmin: true },
      { id: USERS.writer, name: SLACK_NAMES.writer },
      { id: USERS.reader, name: SLACK_NAMES.reader },
      // A display name that tries to ping everyone and the reader.
      { id: USERS.trickster, name: `@everyone <@${USERS.reader}> & co` },
    ],
  });
  const clock = new FakeClock(Date.now());
  const bot = await startTestBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' }, { clock, schedule: false });
  const eventsUrl = `http://127.0.0.1:${(bot.adapters[0] as SlackAdapter).address!.port}/slack/events`;
  const answers: Delivered[] = [];

  async function send(delivery: SlackDelivery): Promise<void> {
    const result = await sendSignedRequest(eventsUrl, delivery, { signingSecret: SIGNING_SECRET });
    expect(result.status).toBe(200);
  }

  /** Who Slack notifies for a message: `<@U…>` and `<!everyone>`-style mentions in its text and blocks, and plain @names with link_names. */
  function notifies(body: MessageBody): Delivered['notifies'] {
    const shown = [body.text ?? '', ...(body.blocks ?? []).flatMap((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)])].join('\n');
    const linkNames = body.link_names === true || body.link_names === 'true' || body.link_names === '1';
    const users = [...new Set([...shown.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))];
    return { everyone: /<!(everyone|channel|here)\b/.test(shown) || (linkNames && /@(everyone|channel|here)\b/.test(shown)), users, roles: [] };
  }

  function delivered(body: MessageBody, isPrivate: boolean, messageTs?: string, files: Delivered['files'] = []): Delivered {
    const buttons = (body.blocks ?? [])
      .filter((block) => block.type === 'actions')
      .flatMap((block) => block.elements ?? [])
      .filter((element) => !element.url)
      .map((element) => ({
        label: element.text?.text ?? '',
        press: (person: Person) => press((responseUrl, trigger) => blockAction({ actionId: element.action_id, value: element.value, userId: USERS[person], channelId: CHANNEL, responseUrl, triggerId: trigger, ...(messageTs && { messageTs }) })),
      }));
    return { text: body.text ?? '', private: isPrivate, buttons, files, notifies: notifies(body), raw: body };
  }

  /** Sends a delivery carrying a fresh response_url and returns what the bot answered through it, with the files it uploaded meanwhile. */
  async function respond(build: (responseUrl: string) => SlackDelivery): Promise<Delivered> {
    const responseUrl = fake.responseUrl();
    const uploadsBefore = fake.uploads.length;
    await send(build(responseUrl));
    const response = await fake.waitForResponse((r) => r.url === responseUrl);
    const body = response.body as MessageBody;
    const files = fake.uploads
      .slice(uploadsBefore)
      .filter((upload) => upload.completed && upload.bytes)
      .map((upload) => ({ name: upload.filename, alt: uploadUrlCall(upload.fileId)?.params.alt_text as string | undefined, bytes: upload.bytes! }));
    const result = delivered(body, body.response_type !== 'in_channel', undefined, files);
    answers.push(result);
    return result;
  }

  /** A button press: answered through its response_url, or by a modal opened with its trigger_id. */
  async function press(build: (responseUrl: string, trigger: string) => SlackDelivery): Promise<Delivered> {
    const responseUrl = fake.responseUrl();
    const trigger = triggerId();
    await send(build(responseUrl, trigger));
    let found: Delivered | undefined;
    await expect
      .poll(() => {
        const opened = fake.calls.find((c) => c.method === 'views.open' && c.params.trigger_id === trigger && c.response.ok);
        if (opened) return (found = modal((opened.response as { view: JsonObject }).view));
        const answered = fake.responses.find((r) => r.url === responseUrl);
        if (answered) return (found = delivered(answered.body as MessageBody, (answered.body as MessageBody).response_type !== 'in_channel'));
        return undefined;
      })
      .toBeDefined();
    return found!;
  }

  /** A modal the bot opened: its input's bounds, the radio options, and its submission, answered ephemerally. */
  function modal(view: JsonObject): Delivered {
    const blocks = view.blocks as { block_id: string; element: { type: string; action_id: string; min_length?: number; max_length?: number; options?: { value: string }[] } }[];
    const input = blocks.find((b) => b.element.type === 'plain_text_input')!;
    const choice = blocks.find((b) => b.element.type === 'radio_buttons')!;
    return {
      text: String((view.title as { text: string }).text),
      private: true,
      buttons: [],
      files: [],
      notifies: { everyone: false, users: [], roles: [] },
      raw: view,
      form: {
        minLength: input.element.min_length ?? 0,
        maxLength: input.element.max_length ?? 3000,
        choices: (choice.element.options ?? []).map((o) => o.value),
        submit: async (person, text, value) => {
          const before = fake.ephemerals.length;
          const values = {
            [input.block_id]: { [input.element.action_id]: { type: 'plain_text_input', value: text } },
            [choice.block_id]: { [choice.element.action_id]: { type: 'radio_buttons', selected_option: { value } } },
          };
          await send(viewSubmission({ view, values, userId: USERS[person] }));
          await expect.poll(() => fake.ephemerals.slice(before).find((e) => e.user === USERS[person])).toBeDefined();
          const ephemeral = fake.ephemerals.slice(before).find((e) => e.user === USERS[person])!;
          return delivered({ text: ephemeral.text, blocks: ephemeral.blocks as MessageBody['blocks'] }, true);
        },
      },
    };
  }

  const uploadUrlCall = (fileId: string): RecordedCall | undefined =>
    fake.calls.find((c) => c.method === 'files.getUploadURLExternal' && (c.response as JsonObject).file_id === fileId);

  const channelPosts = () =>
    fake.calls
      .filter((c) => c.method === 'chat.postMessage' && c.response.ok && !String(c.response.channel).startsWith('D'))
      .map((c) => delivered(c.params as MessageBody, false, String(c.response.ts)));

  const textOf = (options: Record<string, string | number>) =>
    Object.entries(options)
      .map(([name, value]) => (/\s/.test(String(value)) ? `${name}:"${value}"` : `${name}:${value}`))
      .join(' ');

  return {
    platform: 'slack',
    db: bot.app.database.db,
    userId: (person) => USERS[person],
    userName: (person) => SLACK_NAMES[person],
    // Slack's mrkdwn: the ampersand escaped as Slack requires.
    tricksterAsShown: `@\u200beveryone ‹@${USERS.reader}› &amp; co`,
    command: (person, name, options = {}) => respond((responseUrl) => slashCommand({ command: `/${name}`, text: textOf(options), userId: USERS[person], channelId: CHANNEL, responseUrl })),
    commandLine: (person, name, text) => respond((responseUrl) => slashCommand({ command: `/${name}`, text, userId: USERS[person], channelId: CHANNEL, responseUrl })),
    posts: async () => channelPosts(),
    public: async () => [...channelPosts(), ...answers.filter((a) => !a.private)],
    chat: async (person, text) => {
      const event = messageEvent({ text, userId: USERS[person], channelId: CHANNEL });
      const ts = String(event.ts);
      await send(eventCallback(event));
      await fake.waitForCall('reactions.add', (c) => c.params.timestamp === ts);
      return { id: ts, reactions: async () => fake.reactions.filter((r) => r.timestamp === ts).map((r) => (r.name === 'white_check_mark' ? '✅' : r.name)) };
    },
    chatEdits: {
      edit: (person, message, text) => send(eventCallback(messageChangedEvent({ ts: message.id, text, userId: USERS[person], channelId: CHANNEL }))),
      delete: (person, message) => send(eventCallback(messageDeletedEvent({ ts: message.id, userId: USERS[person], channelId: CHANNEL }))),
    },
    forgedButtons: {
      press: (person, action, payload) => respond((responseUrl) => blockAction({ actionId: `${action}#0`, value: payload, userId: USERS[person], channelId: CHANNEL, responseUrl })),
    },
    clock,
    tick: () => bot.app.scheduler.tick(),
    errors: () => bot.logs.filter((entry) => entry.level >= 50),
    async stop() {
      await bot.close();
      await fake.stop();
    },
  };
}

describeAdapterContract('Slack', { chatEdits: true, forgedButtons: true }, startSlackDriver);
