import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../../src/core/invocation';
import type { Db } from '../../../src/db/database';
import type { FakeClock } from '../../fakes/fake-clock';
import { rowCounts } from '../../support/row-counts';

/**
 * One set of behaviours every chat adapter must show, run against each real adapter through a small
 * driver (console, Discord against the fake Discord, Slack against the fake Slack). A driver only
 * translates: it sends what the platform would send and reads back what the platform received.
 */

/** The people of the contract's group. The trickster's display name tries to ping: "@everyone <@reader> & co". */
export type Person = 'admin' | 'writer' | 'reader' | 'trickster';

/** A button as the platform received it, pressable by anyone. */
export interface DeliveredButton {
  label: string;
  press(person: Person): Promise<Delivered>;
}

/** A form the platform opened for a person (a modal, or the console's next line): its text field's bounds and its choices, default first. */
export interface DeliveredForm {
  minLength: number;
  maxLength: number;
  choices: string[];
  /** Sends the form back as the person filled it in; resolves with the answer they got. */
  submit(person: Person, text: string, choice: string): Promise<Delivered>;
}

/** A file or picture the platform received, with its text alternative when it is a picture. */
export interface DeliveredFile {
  name: string;
  alt?: string;
  bytes: Buffer;
}

/** One message as the platform received it: an answer to someone, or a post in the channel. */
export interface Delivered {
  /** What people read: the message text, with any title and fields the platform shows. */
  text: string;
  /** Shown only to the person it answers: Discord flag 64, Slack ephemeral, the console's "(only you)". */
  private: boolean;
  buttons: DeliveredButton[];
  files: DeliveredFile[];
  /** Who the platform will notify for this message, worked out from what it received. */
  notifies: { everyone: boolean; users: string[]; roles: string[] };
  /** The platform's own record, for failure messages. */
  raw: unknown;
  /** Set when the answer opened a form instead of showing text. */
  form?: DeliveredForm;
}

/** A chat message a person posted in the group channel. */
export interface ChatMessage {
  id: string;
  /** The reactions the bot added to it, as the platform received them. */
  reactions(): Promise<string[]>;
}

export interface ChatEdits {
  edit(person: Person, message: ChatMessage, text: string): Promise<void>;
  delete(person: Person, message: ChatMessage): Promise<void>;
}

/** A capability the platform does not have, and why. */
export interface Absent {
  absent: string;
}

export interface ForgedButtons {
  /** A button press with any action and payload, as an outdated or tampered client could send. */
  press(person: Person, action: string, payload: string): Promise<Delivered>;
}

export interface AdapterDriver {
  readonly platform: Platform;
  readonly db: Db;
  /** The platform's user id of a person, as it appears in pings. */
  userId(person: Person): string;
  /** The name the bot shows for a person (not the trickster, whose name is escaped). */
  userName(person: Exclude<Person, 'trickster'>): string;
  /** The trickster's display name as the platform must show it: harmless, and escaped for the platform's format. */
  readonly tricksterAsShown: string;
  /** Runs a slash command and returns the answer the platform received for it. */
  command(person: Person, name: string, options?: Record<string, string | number>): Promise<Delivered>;
  /** Where a command is one typed line (Slack, the console): runs it as written, values in order without names. */
  commandLine?(person: Person, name: string, text: string): Promise<Delivered>;
  /** Everything the bot posted to channels (not answers), oldest first. */
  posts(): Promise<Delivered[]>;
  /** Everything the whole channel can see: posts and public answers. */
  public(): Promise<Delivered[]>;
  /** Posts a chat message in the group channel; resolves once the bot has answered it. */
  chat(person: Person, text: string): Promise<ChatMessage>;
  chatEdits?: ChatEdits;
  forgedButtons?: ForgedButtons;
  /** Where buttons cannot be forged: pressing one the adapter never showed. */
  pressUnshownButton?(person: Person): Promise<Delivered>;
  /** The bot's clock: it moves only when the case moves it, and wake-up timers due by then run. */
  readonly clock: FakeClock;
  /** One round of the bot's scheduled jobs, as the running scheduler would run it. */
  tick(): Promise<void>;
  /** Log entries at error level or above. */
  errors(): unknown[];
  stop(): Promise<void>;
}

/** What a platform can do, known before it starts, so each case is named for what it checks. */
export interface AdapterCapabilities {
  chatEdits: true | Absent;
  forgedButtons: true | Absent;
}

const ARTICLE = { url: 'https://writer.example/gone-tomorrow', title: 'Gone Tomorrow' };
const TRICK_ARTICLE = { url: 'https://trickster.example/hello', title: 'Hello Readers' };

function isAbsent<T>(capability: true | T): capability is T {
  return capability !== true;
}

/** Waits until the bot has posted something matching. */
async function postMatching(driver: AdapterDriver, match: (post: Delivered) => boolean): Promise<Delivered> {
  let found: Delivered | undefined;
  await expect.poll(async () => (found = (await driver.posts()).find(match)), { timeout: 5000 }).toBeDefined();
  return found!;
}

async function chatLogWords(db: Db, messageId: string): Promise<number | undefined> {
  const row = await db.selectFrom('logs').select('words').where('message_id', '=', messageId).executeTakeFirst();
  return row?.words;
}

/**
 * The group's data, table by table: a refused action must leave every count as it was. The command
 * inbox is left out: every acknowledged delivery is stored there first, refused or not.
 */
async function dataCounts(db: Db): Promise<Record<string, number>> {
  const { command_inbox: _deliveries, ...data } = await rowCounts(db);
  return data;
}

/** Mentions that would ping: the core markup `<@id>` or an unbroken @everyone/@here/@channel. */
const PINGING_TEXT = /@(everyone|here|channel)\b/;

const MINUTE = 60_000;

/** Moves the bot's clock and runs a round that began after it moved (one a wake-up timer began may still be running). */
async function moveTo(driver: AdapterDriver, instant: number): Promise<void> {
  driver.clock.set(instant);
  await driver.tick();
  await driver.tick();
}

export function describeAdapterContract(name: string, capabilities: AdapterCapabilities, start: () => Promise<AdapterDriver>): void {
  describe(`the ${name} adapter keeps the adapter contract`, () => {
    let driver: AdapterDriver;

    beforeAll(async () => {
      driver = await start();
      const setup = await driver.command('admin', 'setup', { timezone: 'UTC' });
      expect(setup.text).toMatch(/writing group/);
      expect((await driver.command('reader', 'log', { words: 300 })).text).toMatch(/logged: 300 words/);
    });
    afterAll(async () => {
      await driver?.stop();
    });

    if (isAbsent(capabilities.chatEdits)) {
      const reason = capabilities.chatEdits.absent;
      it(`has no edits or deletes of chat messages (${reason}): a corrected message is a log of its own, the first one stays`, async () => {
        expect(driver.chatEdits).toBeUndefined();
        const first = await driver.chat('writer', '+100 words');
        expect(await first.reactions()).toEqual(['✅']);
        expect(await chatLogWords(driver.db, first.id)).toBe(100);
        const corrected = await driver.chat('writer', '+120 words');
        expect(await chatLogWords(driver.db, first.id)).toBe(100);
        expect(await chatLogWords(driver.db, corrected.id)).toBe(120);
      });
    } else {
      it('follows an edit and a delete of a logged chat message through the platform events', async () => {
        const edits = driver.chatEdits!;
        const message = await driver.chat('writer', '+100 words');
        expect(await message.reactions()).toEqual(['✅']);
        expect(await chatLogWords(driver.db, message.id)).toBe(100);
        await edits.edit('writer', message, '+120 words');
        await expect.poll(() => chatLogWords(driver.db, message.id)).toBe(120);
        await edits.delete('writer', message);
        await expect.poll(() => chatLogWords(driver.db, message.id)).toBeUndefined();
      });
    }

    it('answers "I read it" on an announcement whose article was removed privately, in one line, writing nothing', async () => {
      await driver.command('writer', 'publish', ARTICLE);
      const announcement = await postMatching(driver, (post) => post.text.includes(ARTICLE.title));
      const read = announcement.buttons.find((b) => b.label === 'I read it');
      expect(read, JSON.stringify(announcement.raw)).toBeDefined();
      // The author takes everything back, the article with it.
      const asked = await driver.command('writer', 'forget');
      const confirm = asked.buttons[0]!;
      expect((await confirm.press('writer')).text).toMatch(/^Done: everything I kept about you/);
      expect(await driver.db.selectFrom('publications').select('id').where('url', '=', ARTICLE.url).execute()).toEqual([]);

      const before = await dataCounts(driver.db);
      const answer = await read!.press('reader');
      expect(answer).toMatchObject({ private: true, text: 'That announcement is gone, so there is nothing to count.' });
      expect(await dataCounts(driver.db)).toEqual(before);
      expect((await driver.command('reader', 'help')).text).toMatch(/\/log/);
      expect(driver.errors()).toEqual([]);
    });

    if (isAbsent(capabilities.forgedButtons)) {
      const reason = capabilities.forgedButtons.absent;
      it(`presses only the buttons it showed (${reason}): pressing another is refused in one line and reaches nothing`, async () => {
        expect(driver.forgedButtons).toBeUndefined();
        const before = await dataCounts(driver.db);
        const answer = await driver.pressUnshownButton!('reader');
        expect(answer.text).toMatch(/^There is no button \S+ to click\.$/);
        expect(await dataCounts(driver.db)).toEqual(before);
        expect(driver.errors()).toEqual([]);
      });
    } else {
      it('answers a button of an unknown action, or with a malformed payload, privately in one line, writing nothing', async () => {
        const forged = driver.forgedButtons!;
        const before = await dataCounts(driver.db);
        const unknown = await forged.press('reader', 'vanished', '12345');
        expect(unknown).toMatchObject({ private: true, text: 'That button no longer works. Run the command again for a fresh one.' });
        const malformed = await forged.press('reader', 'read', 'not-a-number');
        expect(malformed).toMatchObject({ private: true, text: 'That announcement is gone, so there is nothing to count.' });
        expect(await dataCounts(driver.db)).toEqual(before);
        expect((await driver.command('reader', 'help')).text).toMatch(/\/log/);
        expect(driver.errors()).toEqual([]);
      });
    }

    it('opens the Respond form of an announcement and takes it back: a short text refused in one line writing nothing, a good one sent to the author privately', async () => {
      const article = { url: 'https://writer.example/stays-with-you', title: 'Stays With You' };
      await driver.command('writer', 'publish', article);
      const announcement = await postMatching(driver, (post) => post.text.includes(article.title));
      const respond = announcement.buttons.find((b) => b.label === 'Respond');
      expect(respond, JSON.stringify(announcement.raw)).toBeDefined();
      const opened = await respond!.press('reader');
      expect(opened.form, JSON.stringify(opened.raw)).toMatchObject({ minLength: 10, maxLength: 1000, choices: ['private', 'thread'] });

      const before = await dataCounts(driver.db);
      const short = await opened.form!.submit('reader', 'Too short', 'private');
      expect(short).toMatchObject({ private: true, text: 'Your response is too short (9 characters): write 10 to 1000 characters.' });
      expect(await dataCounts(driver.db)).toEqual(before);

      const again = await respond!.press('reader');
      const sent = await again.form!.submit('reader', 'The last line stayed with me all week.', 'private');
      expect(sent).toMatchObject({ private: true, text: `💬 Response: sent privately to ${driver.userName('writer')}. It also counts as your first-hour read. Thank you!` });
      expect(sent.notifies).toMatchObject({ everyone: false });
      const rows = await driver.db.selectFrom('responses').select(['text', 'delivery']).execute();
      expect(rows).toEqual([{ text: 'The last line stayed with me all week.', delivery: 'private' }]);
      expect(driver.errors()).toEqual([]);
    });

    it('answers a personal command (/reads) privately and never posts it to the channel', async () => {
      const answer = await driver.command('reader', 'reads');
      expect(answer.text).toMatch(/^Your reads, last \d+ days/);
      expect(answer.private).toBe(true);
      const seenByAll = await driver.public();
      expect(seenByAll.filter((message) => message.text.includes('Your reads'))).toEqual([]);
    });

    it('sends a picture as a file with its text alternative (/streak)', async () => {
      const answer = await driver.command('reader', 'streak');
      expect(answer.private).toBe(true);
      const pictures = answer.files.filter((file) => file.name.endsWith('.png'));
      expect(pictures.map((p) => p.name)).toEqual(['streak-calendar.png']);
      const [picture] = pictures;
      expect(picture!.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(picture!.alt).toMatch(/^Streak calendar for .+: 1 day logged/);
    });

    it('never pings from a display name with "@everyone" and a mention in it: only the reply\'s own pings notify', async () => {
      const reader = driver.userId('reader');
      const mentionOfReader = `<@${reader}>`;
      await driver.command('reader', 'readers', { action: 'join' });

      // A reply without pings notifies nobody, whatever the name in it says.
      const logged = await driver.command('trickster', 'log', { words: 50 });
      expect(logged.private).toBe(false);
      expect(logged.text).toContain(`${driver.tricksterAsShown} logged: 50 words`);
      expect(logged.text).not.toMatch(PINGING_TEXT);
      expect(logged.text).not.toContain(mentionOfReader);
      expect(logged.notifies).toEqual({ everyone: false, users: [], roles: [] });

      // An announcement pings its opted-in reader, and only them.
      await driver.command('trickster', 'publish', TRICK_ARTICLE);
      const announcement = await postMatching(driver, (post) => post.text.includes(TRICK_ARTICLE.title));
      expect(announcement.text).toContain(driver.tricksterAsShown);
      expect(announcement.text).not.toMatch(PINGING_TEXT);
      expect(announcement.notifies).toEqual({ everyone: false, users: [reader], roles: [] });
    });

    it('runs a sprint through the platform: start, Join on the announcement, a count typed and one posted in chat, status, cancel', async () => {
      const started = await driver.command('writer', 'sprint', { action: 'start', value: '20', in: 0 });
      expect(started).toMatchObject({ private: true, text: expect.stringMatching(/^You're in with a starting count of 0/) });
      const announcement = await postMatching(driver, (post) => post.text.includes('🏃 Sprint!'));
      expect(announcement.buttons.map((b) => b.label)).toEqual(['Join', 'Leave']);
      // The bot's clock moves only when told to: the reader joins a moment after the writer, as on a real clock.
      driver.clock.advance(1000);
      expect((await announcement.buttons[0]!.press('reader')).text).toMatch(/^You're in with a starting count of 0/);
      const typed = await driver.command('reader', 'sprint', { action: 'words', value: '50' });
      expect(typed).toMatchObject({ private: true, text: expect.stringMatching(/^✅ 50 counted: 50 words this sprint/) });
      const posted = await driver.chat('reader', '+40');
      expect(await posted.reactions()).toEqual(['✅']);
      expect(await driver.db.selectFrom('logs').select('id').where('message_id', '=', posted.id).execute()).toEqual([]);
      expect((await driver.command('writer', 'sprint', { action: 'status' })).text).toMatch(/2 writers in:\n• .+: 0 words\n• .+: 90 words$/);
      const cancelled = await driver.command('writer', 'sprint', { action: 'cancel' });
      expect(cancelled).toMatchObject({ private: false, text: expect.stringMatching(/^The sprint was cancelled by /) });
      expect((await announcement.buttons[0]!.press('reader')).text).toBe('That sprint is over, so its buttons no longer work. Start another with /sprint start.');
      expect(driver.errors()).toEqual([]);
    });

    it('runs a whole sprint on the clock: start, Join, counts, time is up, a late count in the window, the window closing, ranked results', async () => {
      const t0 = driver.clock.now();
      const postsBefore = (await driver.posts()).length;
      const postsSince = async () => (await driver.posts()).slice(postsBefore);
      const started = await driver.command('writer', 'sprint', { action: 'start', value: '20', in: 0 });
      expect(started.text).toMatch(/^You're in with a starting count of 0/);
      const announcement = (await postsSince()).find((post) => post.text.includes('🏃 Sprint! 20 minutes'));
      expect(announcement, JSON.stringify(await postsSince())).toBeDefined();
      expect((await announcement!.buttons[0]!.press('reader')).text).toMatch(/^You're in with a starting count of 0/);

      driver.clock.set(t0 + 10 * MINUTE);
      expect((await driver.command('writer', 'sprint', { action: 'words', value: '300' })).text).toMatch(/^✅ 300 counted: 300 words this sprint/);
      expect((await driver.command('reader', 'sprint', { action: 'words', value: '200' })).text).toMatch(/^✅ 200 counted: 200 words this sprint/);

      await moveTo(driver, t0 + 20 * MINUTE);
      const timesUp = (await postsSince()).filter((post) => post.text.includes("⏰ Time's up!"));
      expect(timesUp.length, JSON.stringify(await postsSince())).toBe(1);
      expect(timesUp[0]!.text).toMatch(/⏰ Time's up! Send your final count with \/sprint words /);
      // It pings the two writers in the sprint, and only them.
      const { everyone, users, roles } = timesUp[0]!.notifies;
      expect({ everyone, users: [...users].sort(), roles }).toEqual({ everyone: false, users: [driver.userId('reader'), driver.userId('writer')].sort(), roles: [] });
      expect((await postsSince()).filter((post) => post.text.includes('🏆'))).toEqual([]);

      // Inside the submission window a count still goes in, and says the results are still to come.
      driver.clock.set(t0 + 21 * MINUTE);
      expect((await driver.command('reader', 'sprint', { action: 'words', value: '450' })).text).toBe(
        '✅ 450 counted: 450 words this sprint. Final counts are taken until the results.',
      );

      // The window closes two minutes after the end: the results go out, ranked, and counts are no longer taken.
      await moveTo(driver, t0 + 22 * MINUTE);
      const results = await postMatching(driver, (post) => post.text.includes('🏆 Sprint results'));
      expect(results.buttons).toEqual([]);
      expect(results.text.trimEnd()).toBe(
        [
          '🏆 Sprint results (20 minutes)',
          `1. ${driver.userName('reader')}: 450 words, 22.5 wpm`,
          `2. ${driver.userName('writer')}: 300 words, 15 wpm`,
          "Everyone's words are in their log for the day.",
        ].join('\n'),
      );
      expect((await driver.command('reader', 'sprint', { action: 'words', value: '500' })).text).toMatch(/^There is no sprint in this channel right now/);

      // Another round posts nothing more.
      await moveTo(driver, t0 + 30 * MINUTE);
      expect((await postsSince()).filter((post) => post.text.includes('🏆')).length).toBe(1);
      expect((await postsSince()).filter((post) => post.text.includes("⏰ Time's up!")).length).toBe(1);
      expect(driver.errors()).toEqual([]);
    });

    it('reads a sprint chain as count, minutes and gap: in order on a typed line, as options where the platform types them', async () => {
      const chained = driver.commandLine
        ? await driver.commandLine('writer', 'sprint', 'chain 3 25 5')
        : await driver.command('writer', 'sprint', { action: 'chain', value: '3', minutes: 25, gap: 5 });
      expect(chained).toMatchObject({ private: true, text: expect.stringMatching(/^You're in a chain of 3 sprints of 25 minutes, 5 minutes apart\. The first starts/) });
      await driver.command('writer', 'sprint', { action: 'cancel' });
      // in: is the delay before the first, as for start, never the sprints' length.
      const delayed = await driver.command('writer', 'sprint', { action: 'chain', value: '2', minutes: 15, gap: 8, in: 10 });
      expect(delayed.text).toMatch(/^You're in a chain of 2 sprints of 15 minutes, 8 minutes apart\./);
      const sprint = await driver.db.selectFrom('sprints').select(['minutes', 'start_at', 'created_at', 'chain_gap_minutes']).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect({ minutes: sprint.minutes, delay: sprint.start_at - sprint.created_at, gap: sprint.chain_gap_minutes }).toEqual({ minutes: 15, delay: 10 * 60_000, gap: 8 });
      await driver.command('writer', 'sprint', { action: 'cancel' });
      expect(driver.errors()).toEqual([]);
    });
  });
}
