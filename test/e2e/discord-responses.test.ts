import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fakes/fake-clock';
import { ChannelKind, FakeDiscord, type RecordedRequest, snowflake } from '../fakes/discord/fake-discord';
import { startTestBot, type TestBot } from '../support/running-bot';

const TOKEN = 'test-token-for-the-fake-discord';
const MANAGE_GUILD = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages;
const MEMBER = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;

const ada = { id: snowflake(), username: 'ada', globalName: 'Ada' };
const bo = { id: snowflake(), username: 'bo', globalName: 'Bo' };
const cy = { id: snowflake(), username: 'cy', globalName: 'Cy' };
const di = { id: snowflake(), username: 'di', globalName: 'Di' };
const guildId = snowflake();
const writing = snowflake();

interface Modal {
  custom_id: string;
  title: string;
  components: { type: number; label: string; component: { type: number; custom_id: string; min_length?: number; max_length?: number; value?: string; options?: { value: string; default?: boolean }[] } }[];
}
interface CallbackBody {
  type: number;
  data?: { content?: string; flags?: number } & Partial<Modal>;
}
const callbackBody = (request: RecordedRequest) => request.body as CallbackBody;

describe('responses on Discord: a modal from the announcement, a DM or a thread, through the real discord.js', () => {
  let fake: FakeDiscord;
  let bot: TestBot;
  let announcementId: string;
  let respondId: string;
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      guilds: [{ id: guildId, name: 'Writers', channels: [{ id: writing, name: 'writing', type: ChannelKind.GuildText }], members: [{ user: ada }, { user: bo }, { user: cy }, { user: di }] }],
    });
    bot = await startTestBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildId }, { clock });
    await fake.waitForCallback(fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'setup', options: { timezone: 'UTC' }, memberPermissions: MANAGE_GUILD }));
    await fake.waitForCallback(fake.slashCommand({ guildId, channelId: writing, user: bo, name: 'publish', options: { url: 'https://medium.com/@bo/story-1a2b', title: 'My Story' }, memberPermissions: MEMBER }));
    const announcement = fake.channelMessages(writing).find((m) => m.embeds[0]?.title?.startsWith('📣'))!;
    announcementId = announcement.id;
    const rows = announcement.components as unknown as { components: { label?: string; custom_id?: string }[] }[];
    const buttons = rows.flatMap((row) => row.components);
    expect(buttons.map((b) => b.label)).toEqual(['Read it', 'I read it', 'Respond']);
    respondId = buttons.find((b) => b.label === 'Respond')!.custom_id!;
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  const press = async (user: typeof cy) => callbackBody(await fake.waitForCallback(fake.buttonClick({ guildId, channelId: writing, user, customId: respondId, message: announcementId })));
  const submit = async (user: typeof cy, text: string, choice: string, customId = respondId) =>
    callbackBody(await fake.waitForCallback(fake.modalSubmit({ guildId, channelId: writing, user, customId, values: { text, choice: [choice] }, message: announcementId, memberPermissions: MEMBER })));

  it('GIVEN Respond pressed THEN a modal opens with the text field (10–1,000) and the choice, private first', async () => {
    const opened = await press(cy);
    expect(opened.type).toBe(9);
    expect(opened.data!.custom_id).toBe(respondId);
    const [text, choice] = opened.data!.components!;
    expect(text!.component).toMatchObject({ type: 4, custom_id: 'text', min_length: 10, max_length: 1000 });
    expect(choice!.component.type).toBe(3);
    expect(choice!.component.options!.map((o) => [o.value, o.default])).toEqual([['private', true], ['thread', false]]);
  });

  it('GIVEN a private response THEN the author gets a DM with the reader and a link, and the reader an ephemeral answer', async () => {
    const answer = await submit(cy, 'The second paragraph stayed with me.', 'private');
    expect(answer.data).toMatchObject({ flags: 64, content: '💬 Response: sent privately to Bo. It also counts as your first-hour read. Thank you!' });
    await fake.waitUntil(() => fake.channelMessages(fake.dmChannelId(bo.id)).length > 0, { description: 'the DM to the author' });
    const [dm] = fake.channelMessages(fake.dmChannelId(bo.id));
    expect(dm!.content).toContain('💬 Cy responded to your article "My Story":\nThe second paragraph stayed with me.\nThe article: https://medium.com/@bo/story-1a2b');
  });

  it('GIVEN a response for the thread THEN a thread is started on the announcement and it is posted there pinging nobody; again, it is edited in place', async () => {
    const answer = await submit(di, 'Loved it <@' + bo.id + '> @everyone', 'thread');
    expect(answer.data!.content).toMatch(/^💬 Response: posted in the announcement's thread\./);
    expect(fake.threadsStarted).toEqual([{ id: announcementId, parentId: writing, name: 'Responses: My Story' }]);
    const [post] = fake.channelMessages(announcementId);
    expect(post!.content).toBe(`💬 Di on "My Story":\nLoved it ‹@${bo.id}› @\u200beveryone`);
    const sent = fake.requestsTo('POST', `/channels/${announcementId}/messages`).at(-1)!;
    expect((sent.body as { allowed_mentions: unknown }).allowed_mentions).toMatchObject({ parse: [], users: [], roles: [] });
    expect((await submit(di, 'On second thought: the ending.', 'thread')).data!.content).toMatch(/^✏️ Response replaced/);
    expect(fake.channelMessages(announcementId).map((m) => m.content)).toEqual(['💬 Di on "My Story":\nOn second thought: the ending.']);
    expect(fake.threadsStarted).toHaveLength(1);
  });

  it('GIVEN the form again within a day THEN it opens filled in with the earlier response', async () => {
    const opened = await press(di);
    expect(opened.data!.components![0]!.component.value).toBe('On second thought: the ending.');
  });

  it('GIVEN a too-short text, the author’s own article or a stale form THEN the answer is one ephemeral line', async () => {
    expect((await submit(ada, 'Too short', 'private')).data).toEqual(expect.objectContaining({ flags: 64, content: 'Your response is too short (9 characters): write 10 to 1000 characters.' }));
    expect((await press(bo)).data).toMatchObject({ flags: 64, content: "That's your own article: responses are for the group's readers. 🙂" });
    expect((await submit(ada, 'A response to nothing at all.', 'private', 'respond:424242')).data).toMatchObject({ flags: 64, content: 'That announcement is gone, so there is nothing to respond to.' });
    const rows = await bot.app.database.db.selectFrom('responses').select('text').orderBy('id').execute();
    expect(rows.map((r) => r.text)).toEqual(['The second paragraph stayed with me.', 'On second thought: the ending.']);
  });

  it('GIVEN the author has closed DMs THEN only the author is mentioned in the channel, pinged alone, and the words stay private', async () => {
    fake.closeDirectMessages(bo.id);
    const answer = await submit(ada, 'Private words for a closed inbox.', 'private');
    expect(answer.data!.content).toMatch(/direct messages are closed: they were told in the group channel/);
    const mention = fake.requestsTo('POST', `/channels/${writing}/messages`).at(-1)!;
    const body = mention.body as { content: string; allowed_mentions: { parse: string[]; users: string[] } };
    expect(body.content).toBe(`<@${bo.id}>, Ada sent you a private response to "My Story". I couldn't send it to your direct messages: open them to me, or read it with /responses.`);
    expect(body.allowed_mentions).toMatchObject({ parse: [], users: [bo.id] });
  });
});
