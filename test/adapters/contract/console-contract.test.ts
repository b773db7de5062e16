import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { ConsoleAdapter } from '../../../src/adapters/console/console-adapter';
import { FakeClock } from '../../fakes/fake-clock';
import { startTestBot } from '../../support/running-bot';
import { type AdapterDriver, type Delivered, describeAdapterContract, type Person } from './adapter-contract';

/** The console's people: the first speaker is the admin; the trickster's name tries to ping the reader. */
const NAMES: Record<Person, string> = { admin: 'Ada', writer: 'Wren', reader: 'Reed', trickster: '@everyone <@reed> & co' };

/** What the console prints to close an answer: its own help line, which reaches no handler. */
const FENCE_LINE = '/help quit';
const FENCE = '/quit: leave the console (Ctrl-D works too).';

const BUTTON_LINE = /^ {2}\[(.+)\] type \/click (\d+)$/;
const PICTURE_LINE = /^ {2}picture saved (\S+): (.*)$/;
const FILE_LINE = /^ {2}saved (\S+)$/;
const PINGING_LINE = /^ {2}\(pinging (.+)\)$/;
/** How the console asks for a form: the next line, its bounds, and the prefix that picks the thread. */
const FORM_TEXT = /on the next line.* (\d+) to (\d+) characters;.*Start it with "thread:"/s;

/** The console saves a file as <session>-<n>-<file name>. */
const savedName = (path: string) => basename(path).replace(/^[^-]+-\d+-/, '');

async function startConsoleDriver(): Promise<AdapterDriver> {
  const fileDir = mkdtempSync(join(tmpdir(), 'console-contract-'));
  const input = new PassThrough();
  /** Each write is one printed block: a reply, a post, or the console's own line. */
  const printed: string[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      printed.push(chunk.toString());
      done();
    },
  });
  const clock = new FakeClock(Date.now());
  const bot = await startTestBot({}, { clock, schedule: false, fallback: () => new ConsoleAdapter({ input, output, user: NAMES.admin, fileDir }) });
  let speaker: Person = 'admin';

  /** Types lines and returns the blocks printed for them. */
  async function type(...lines: string[]): Promise<string[]> {
    const from = printed.length;
    input.write(`${[...lines, FENCE_LINE].join('\n')}\n`);
    const fence = () => printed.findIndex((block, i) => i >= from && block === `${FENCE}\n`);
    for (let waited = 0; fence() < 0; waited += 10) {
      if (waited > 10_000) throw new Error(`the console did not answer ${lines.join(' / ')}; printed: ${printed.slice(from).join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return printed.slice(from, fence()).map((block) => block.replace(/\n$/, ''));
  }

  async function as(person: Person, line: string): Promise<string[]> {
    const blocks = person === speaker ? await type(line) : (await type(`/as ${NAMES[person]}`, line)).slice(1);
    speaker = person;
    return blocks;
  }

  const isPost = (block: string) => block.startsWith('[#');

  function delivered(block: string): Delivered {
    const lines = block.split('\n');
    const text: string[] = [];
    const buttons: Delivered['buttons'] = [];
    const files: Delivered['files'] = [];
    const users: string[] = [];
    for (const line of lines) {
      const button = BUTTON_LINE.exec(line);
      const picture = PICTURE_LINE.exec(line);
      const file = FILE_LINE.exec(line);
      const pinging = PINGING_LINE.exec(line);
      if (button) buttons.push({ label: button[1]!, press: async (person) => answerTo(await as(person, `/click ${button[2]}`)) });
      else if (picture) files.push({ name: savedName(picture[1]!), alt: picture[2]!, bytes: readFileSync(picture[1]!) });
      else if (file) files.push({ name: savedName(file[1]!), bytes: readFileSync(file[1]!) });
      else if (pinging) users.push(...pinging[1]!.split(', ').map((name) => name.replace(/^@/, '')));
      else text.push(line);
    }
    const first = text[0]!.replace(/^\[#[^\]]*\] /, '').replace(/^\[reacted [^\]]*\] /, '');
    const isPrivate = first.startsWith('(only you) ');
    text[0] = first.replace(/^\(only you\) /, '');
    // A form is the next line typed: its bounds and the choice's prefix are in its words.
    const bounds = FORM_TEXT.exec(text.join('\n'));
    const form: Delivered['form'] = bounds
      ? {
          minLength: Number(bounds[1]),
          maxLength: Number(bounds[2]),
          choices: ['private', 'thread'],
          submit: async (person, value, choice) => answerTo(await as(person, choice === 'private' ? value : `${choice}: ${value}`)),
        }
      : undefined;
    // The console notifies nobody: it prints, and names who a post would ping.
    return { text: text.join('\n'), private: isPrivate, buttons, files, notifies: { everyone: false, users, roles: [] }, raw: block, ...(form && { form }) };
  }

  /** The answer to a line: the last block that is not a post. */
  function answerTo(blocks: string[]): Delivered {
    const answer = blocks.filter((block) => !isPost(block)).at(-1);
    if (answer === undefined) throw new Error(`no answer among: ${blocks.join(' | ')}`);
    return delivered(answer);
  }

  function optionText(options: Record<string, string | number>): string {
    return Object.entries(options)
      .map(([name, value]) => (/\s/.test(String(value)) ? `${name}:"${value}"` : `${name}:${value}`))
      .join(' ');
  }

  return {
    platform: 'console',
    db: bot.app.database.db,
    userId: (person) => NAMES[person].toLowerCase().replace(/\s+/g, '-'),
    userName: (person) => NAMES[person],
    // Printed as it is, with the @everyone broken and the mention made plain text.
    tricksterAsShown: '@\u200beveryone ‹@reed› & co',
    command: async (person, name, options = {}) => answerTo(await as(person, `/${name} ${optionText(options)}`.trim())),
    commandLine: async (person, name, text) => answerTo(await as(person, `/${name} ${text}`)),
    posts: async () => printed.filter(isPost).map(delivered),
    public: async () => printed.filter((block) => !block.startsWith(FENCE)).map(delivered).filter((message) => !message.private),
    pressUnshownButton: async (person) => delivered((await as(person, '/click 99')).at(-1)!),
    chat: async (person, text) => {
      const latest = () => bot.app.database.db.selectFrom('logs').select(['id', 'message_id']).where('source', '=', 'chat').orderBy('id', 'desc').executeTakeFirst();
      const before = (await latest())?.id ?? 0;
      const blocks = await as(person, text);
      // The console's message ids are its own (session and line number): read back the one this line logged.
      const row = await latest();
      const id = row && row.id > before ? (row.message_id ?? '') : '';
      const reactions = blocks.flatMap((block) => /^\[reacted ([^\]]+)\]/.exec(block)?.[1] ?? []);
      return { id, reactions: async () => reactions };
    },
    clock,
    tick: () => bot.app.scheduler.tick(),
    errors: () => bot.logs.filter((entry) => entry.level >= 50),
    async stop() {
      input.end();
      await bot.close();
      rmSync(fileDir, { recursive: true, force: true });
    },
  };
}

describeAdapterContract(
  'console',
  {
    chatEdits: { absent: 'a typed line is final' },
    forgedButtons: { absent: 'the console presses a button by its printed number' },
  },
  startConsoleDriver,
);
