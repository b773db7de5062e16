import { PassThrough } from 'node:stream';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../src/adapters/console/console-adapter';
import type { Invocation } from '../../src/core/invocation';
import type { Reply } from '../../src/core/reply';
import { PIXEL_RATIO } from '../../src/render/png';
import { CALENDAR_LAYOUT } from '../../src/render/streak-calendar';
import { rssFeed } from '../fixtures/feeds';
import { Harness } from '../support/harness';
import { WebServer } from '../support/web-server';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A bell, an escape and a right-to-left override: what a hostile or broken client can put in a name. */
const DIRTY_NAME = 'Quill\u0007 the\u001b \u202eBard';

const pictureWidth = (png: Uint8Array) => PNG.sync.read(Buffer.from(png)).width;

describe('text from outside', () => {
  let h: Harness;
  afterEach(() => h.close());

  /** Delivers a command as Quill, whose platform sends the dirty display name. */
  const asQuill = (line: string, key: string): Promise<Reply | void> => {
    const [, name = '', text = ''] = /^\/(\S*)\s*(.*)$/.exec(line) ?? [];
    return h.deliver({
      kind: 'command',
      name,
      args: { text },
      actor: { ...h.actor({ name: 'Quill' }), displayName: DIRTY_NAME },
      conversation: h.conversation({ name: 'Quill' }),
      idempotencyKey: key,
    });
  };
  const storedName = async (userId: string) =>
    (await h.db.selectFrom('people').select('display_name').where('user_id', '=', userId).executeTakeFirstOrThrow()).display_name;

  it('cleans a display name of control and direction-override characters, and draws its calendar', async () => {
    h = await Harness.create();
    await h.send(admin, '/setup Europe/London');
    await asQuill('/log 500', 'q1');
    const reply = await asQuill('/streak', 'q2');
    expect(reply!.title).toBe("Quill the Bard's streak");
    const [picture] = reply!.images!;
    expect(pictureWidth(picture!.png)).toBe(CALENDAR_LAYOUT.width * PIXEL_RATIO);
    expect(picture!.alt).toMatch(/^Streak calendar for Quill the Bard, /);
    expect(await storedName('quill')).toBe('Quill the Bard');
  });

  it('shows a member whose name is nothing but such characters by their user id', async () => {
    h = await Harness.create();
    await h.send(admin, '/setup Europe/London');
    const actor = { ...h.actor({ name: 'Quill' }), displayName: '\u0007\u202e\n' };
    const command = (name: string, text: string, key: string) =>
      h.deliver({ kind: 'command', name, args: { text }, actor, conversation: h.conversation({ name: 'Quill' }), idempotencyKey: key });
    await command('log', '500', 'q1');
    expect((await command('streak', '', 'q2'))!.title).toBe("quill's streak");
    expect(await storedName('quill')).toBe('quill');
  });

  it('draws the calendar and posts the weekly digest with its pictures for a name stored with control characters', async () => {
    h = await Harness.create({ now: '2026-03-01T12:00:00Z' });
    await h.send(admin, '/setup UTC');
    for (let day = 0; day < 3; day++) {
      h.clock.set(Date.parse('2026-03-02T12:00:00Z') + day * DAY);
      await h.send('Bo', '/log 500');
    }
    await h.send('Bo', '/followers 120');
    // A name written before names were cleaned.
    await h.db.updateTable('people').set({ display_name: 'Bo\u0007\u001b\ufffe\u202e' }).where('user_id', '=', 'bo').execute();
    const stats = await h.send('Ada', '/stats bo');
    expect(pictureWidth(stats!.images![0]!.png)).toBe(CALENDAR_LAYOUT.width * PIXEL_RATIO);

    for (let t = Date.parse('2026-03-09T08:50:00Z'); t < Date.parse('2026-03-09T09:20:00Z'); t += 10 * MINUTE) {
      h.clock.set(t);
      await h.tick();
    }
    const digests = h.adapter.posts.filter((p) => p.reply.text.startsWith('📬'));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.reply.images!.map((i) => [i.fileName, pictureWidth(i.png) > 0])).toEqual([
      ['leaders.png', true],
      ['followers.png', true],
    ]);
    expect(h.errors).toEqual([]);
  });

  it('logs a chat message whose note holds control characters with a clean note', async () => {
    h = await Harness.create();
    await h.send(admin, '/setup Europe/London');
    const message: Invocation = {
      kind: 'message',
      messageId: 'm1',
      text: '+500 words on chapter\u0007 3\u001b[31m\u202e\nand the ending',
      actor: h.actor({ name: 'Bo' }),
      conversation: h.conversation({ name: 'Bo' }),
      idempotencyKey: 'message-m1',
    };
    expect(await h.deliver(message)).toMatchObject({ reaction: '✅' });
    expect(await h.db.selectFrom('logs').select(['words', 'note']).execute()).toEqual([{ words: 500, note: 'on chapter 3[31m and the ending' }]);
  });

  it('moves the console to a channel named without control characters', async () => {
    const input = new PassThrough();
    const seen: Invocation[] = [];
    const ended = new Promise<void>((resolve) => {
      const adapter = new ConsoleAdapter({ input, output: new PassThrough(), user: 'Ada', fileDir: '/nonexistent', onEnd: resolve });
      void adapter.start(async (invocation) => void seen.push(invocation));
    });
    input.end('/channel #wri\u0007ting\u202e\nhello\n');
    await ended;
    expect(seen.map((i) => [i.kind, i.conversation.channelId])).toEqual([['message', 'writing']]);
  });

  describe('from the web', () => {
    let web: WebServer;
    beforeAll(async () => {
      web = await WebServer.start();
      web.route('/story', (_, res) => {
        res.setHeader('content-type', 'text/html');
        res.end('<html><head><title>Why\u0007 I Write\u001b \u202eEvery\tDay</title></head></html>');
      });
    });
    afterAll(() => web.stop());

    it('stores a page title with control characters clean', async () => {
      h = await Harness.create();
      await h.send(admin, '/setup Europe/London');
      await h.send('Bo', `/publish ${web.url('/story')}`);
      expect(await h.db.selectFrom('publications').select('title').execute()).toEqual([{ title: 'Why I Write Every Day' }]);
      const [post] = h.adapter.posts.filter((p) => p.reply.text.startsWith('📣'));
      expect(post!.reply.text.split('\n')[0]).toBe('📣 New from Bo: Why I Write Every Day');
    });

    it("stores a feed's title and its new item's title with control characters clean", async () => {
      h = await Harness.create({ settings: { feedPollMs: 5 * MINUTE } });
      await h.send(admin, '/setup Europe/London');
      const item = (n: number) => ({
        id: `story-${n}`,
        title: `Story\u0007 ${n}\u001b\u202e`,
        link: `https://bo.substack.com/p/story-${n}`,
        published: new Date(h.clock.now() + (n - 1) * MINUTE),
      });
      web.serve('/feed', rssFeed('substack', 'Bo\u0007 writes\u202e', [item(1)]));
      await h.send('Bo', `/feed add ${web.url('/feed')}`);
      web.serve('/feed', rssFeed('substack', 'Bo\u0007 writes\u202e', [item(2), item(1)]));
      h.clock.advance(5 * MINUTE);
      await h.tick();
      expect(await h.db.selectFrom('feeds').select('title').execute()).toEqual([{ title: 'Bo writes' }]);
      expect(await h.db.selectFrom('publications').select('title').execute()).toEqual([{ title: 'Story 2' }]);
    });
  });
});

describe('a picture that cannot be drawn', () => {
  let h: Harness;
  afterEach(() => h.close());

  const brokenRenderer = () => {
    throw new Error('the renderer is out of order');
  };
  const pictureErrors = () => h.errors.filter((e) => e.msg === 'picture could not be drawn');

  it('costs /streak only its picture: the figures answer, and the failure is logged with the group', async () => {
    h = await Harness.create({ settings: { svgToPng: brokenRenderer } });
    await h.send(admin, '/setup Europe/London');
    await h.send('Quillon', '/log 500');
    const reply = await h.send('Quillon', '/streak');
    expect(reply!.images).toBeUndefined();
    expect(reply!.text).toMatch(
      /^Quillon's streak\nCurrent streak: 1 day 🔥\n[\s\S]*\nThe calendar picture could not be drawn this time\. Streak calendar for Quillon, the 26 weeks to \d{4}-\d\d-\d\d: 1 day logged, 0 bridged by a freeze, 0 on vacation\. Current streak 1 day, longest 1\.$/,
    );
    const group = await h.db.selectFrom('groups').select('id').executeTakeFirstOrThrow();
    expect(pictureErrors()).toMatchObject([{ groupId: group.id, picture: 'streak calendar', err: { message: 'the renderer is out of order' } }]);
    expect(JSON.stringify(pictureErrors())).not.toContain('Quillon');
  });

  it('costs the weekly digest only its pictures: the digest is posted once, with its text', async () => {
    h = await Harness.create({ now: '2026-03-01T12:00:00Z', settings: { svgToPng: brokenRenderer } });
    await h.send(admin, '/setup UTC');
    h.clock.set('2026-03-03T12:00:00Z');
    await h.send('Quillon', '/log 500');
    await h.send('Quillon', '/followers 120');
    for (let t = Date.parse('2026-03-09T08:50:00Z'); t < Date.parse('2026-03-09T09:20:00Z'); t += 10 * MINUTE) {
      h.clock.set(t);
      await h.tick();
    }
    const digests = h.adapter.posts.filter((p) => p.reply.text.startsWith('📬'));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.reply.text).toContain('✍️ Words: 500 from 1 writer. 1. Quillon 500');
    expect(digests[0]!.reply.images).toEqual([]);
    // Each picture's text alternative is said in its place.
    expect(digests[0]!.reply.text).toMatch(/\n🖼️ Week of Mon 2 Mar: leaders\. Streaks: .*Words: 1\. Quillon 500/);
    expect(digests[0]!.reply.text).toMatch(/\n🖼️ Follower growth over 12 weeks: the group went from 120 to 120 followers\. Top members now: Quillon 120\./);
    expect(pictureErrors().map((e) => e.picture)).toEqual(['follower chart', 'leaders card']);
    const job = h.db.selectFrom('scheduled_jobs').select('state').where('job', '=', 'weekly-digest').where('period', '=', '2026-03-09T09:00');
    expect(await job.execute()).toEqual([{ state: 'done' }]);
  });
});
