import { PermissionFlagsBits } from 'discord.js';
import { ChannelKind, type DispatchedInteraction, FakeDiscord, type RecordedFile, type RecordedRequest, snowflake } from '../../fakes/discord/fake-discord';
import { FakeClock } from '../../fakes/fake-clock';
import { startTestBot } from '../../support/running-bot';
import { type AdapterDriver, type Delivered, describeAdapterContract, type Person } from './adapter-contract';

const TOKEN = 'test-token-for-the-fake-discord';
const EPHEMERAL = 64;
/** Stands for "anyone the content mentions" when allowed_mentions parses users or roles. */
const ANY_MENTIONED = '(anyone mentioned)';
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages;
const MEMBER = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;

/** A message body as discord.js sends it: a channel post, an interaction answer or a follow-up. */
interface MessageBody {
  content?: string;
  flags?: number;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  components?: { components: { label?: string; custom_id?: string; url?: string }[] }[];
  attachments?: { id: string | number; description?: string }[];
  allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[] };
}

/** A modal as discord.js sends it: label components, each holding a text input (4) or a select (3). */
interface Modal {
  custom_id: string;
  title: string;
  components: { component: { type: number; custom_id: string; min_length?: number; max_length?: number; options?: { value: string }[] } }[];
}

async function startDiscordDriver(): Promise<AdapterDriver> {
  const guildId = snowflake();
  const channelId = snowflake();
  const reader = { id: snowflake(), username: 'reed', globalName: 'Reed' };
  const users: Record<Person, { id: string; username: string; globalName: string }> = {
    admin: { id: snowflake(), username: 'ada', globalName: 'Ada' },
    writer: { id: snowflake(), username: 'wren', globalName: 'Wren' },
    reader,
    trickster: { id: snowflake(), username: 'trick', globalName: 'Trick' },
  };
  const fake = await FakeDiscord.start({
    guilds: [
      {
        id: guildId,
        name: 'Writers',
        channels: [{ id: channelId, name: 'writing', type: ChannelKind.GuildText }],
        members: [
          { user: users.admin },
          { user: users.writer },
          { user: reader },
          // A server nickname that tries to ping everyone and the reader.
          { user: users.trickster, nick: `@everyone <@${reader.id}> & co` },
        ],
      },
    ],
  });
  const clock = new FakeClock(Date.now());
  const bot = await startTestBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildId }, { clock, schedule: false });
  const answers: Delivered[] = [];
  const permissions = (person: Person) => (person === 'admin' ? ADMIN : MEMBER);

  /**
   * Who Discord may notify for a message: exactly what its allowed_mentions permit (Discord parses
   * everything when they are missing), whatever the content happens to say.
   */
  function notifies(body: MessageBody): Delivered['notifies'] {
    const allowed = body.allowed_mentions;
    const parse = allowed?.parse ?? ['everyone', 'users', 'roles'];
    return {
      everyone: parse.includes('everyone'),
      users: [...(allowed?.users ?? []), ...(parse.includes('users') ? [ANY_MENTIONED] : [])],
      roles: [...(allowed?.roles ?? []), ...(parse.includes('roles') ? [ANY_MENTIONED] : [])],
    };
  }

  function delivered(body: MessageBody, files: RecordedFile[], isPrivate: boolean, messageId?: string): Delivered {
    const text = [
      body.content ?? '',
      ...(body.embeds ?? []).flatMap((embed) => [embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).map((f) => `${f.name}: ${f.value}`)]),
    ]
      .filter(Boolean)
      .join('\n');
    const buttons = (body.components ?? [])
      .flatMap((row) => row.components)
      .filter((button) => button.custom_id)
      .map((button) => ({
        label: button.label ?? '',
        press: (person: Person) =>
          answer(fake.buttonClick({ guildId, channelId, user: users[person], customId: button.custom_id!, memberPermissions: permissions(person), ...(messageId && { message: messageId }) })),
      }));
    // Files go as files[n], described by the attachment with id n.
    const described = files.map((file, n) => ({
      name: file.name,
      alt: body.attachments?.find((a) => String(a.id) === String(n))?.description,
      bytes: file.bytes,
    }));
    return { text, private: isPrivate, buttons, files: described, notifies: notifies(body), raw: body };
  }

  /** The answer to an interaction: the callback, or when deferred, the reply it was completed with. */
  async function answer(sent: DispatchedInteraction): Promise<Delivered> {
    const callback = await fake.waitForCallback(sent);
    const body = callback.body as { type: number; data?: MessageBody };
    let result: Delivered;
    if (body.type === 9) {
      result = modal(body.data as unknown as Modal);
    } else if (body.type !== 5) {
      result = delivered(body.data ?? {}, callback.files, ((body.data?.flags ?? 0) & EPHEMERAL) !== 0);
    } else {
      const webhook = `/webhooks/${fake.applicationId}/${sent.token}`;
      const completed = await fake.waitForRequest((r) => (r.method === 'PATCH' && r.path === `${webhook}/messages/@original`) || (r.method === 'POST' && r.path === webhook));
      const completion = completed.body as MessageBody;
      const isPrivate = completed.method === 'PATCH' ? ((body.data?.flags ?? 0) & EPHEMERAL) !== 0 : ((completion.flags ?? 0) & EPHEMERAL) !== 0;
      result = delivered(completion, completed.files, isPrivate);
    }
    answers.push(result);
    return result;
  }

  /** A modal the bot opened (callback type 9): its text field, its select's options, and how to send it back. */
  function modal(data: Modal): Delivered {
    const text = data.components.find((c) => c.component.type === 4)!.component;
    const select = data.components.find((c) => c.component.type === 3)!.component;
    return {
      text: data.title,
      private: true,
      buttons: [],
      files: [],
      notifies: { everyone: false, users: [], roles: [] },
      raw: data,
      form: {
        minLength: text.min_length ?? 0,
        maxLength: text.max_length ?? 4000,
        choices: (select.options ?? []).map((o) => o.value),
        submit: (person, value, choice) =>
          answer(fake.modalSubmit({ guildId, channelId, user: users[person], customId: data.custom_id, values: { [text.custom_id]: value, [select.custom_id]: [choice] }, memberPermissions: permissions(person) })),
      },
    };
  }

  const channelPosts = () => fake.requestsTo('POST', `/channels/${channelId}/messages`).filter((r) => r.status < 300);
  const post = (request: RecordedRequest) => delivered(request.body as MessageBody, request.files, false, (request.response as { id: string }).id);

  return {
    platform: 'discord',
    db: bot.app.database.db,
    userId: (person) => users[person].id,
    userName: (person) => users[person].globalName,
    tricksterAsShown: `@\u200beveryone ‹@${reader.id}› & co`,
    command: (person, name, options = {}) => answer(fake.slashCommand({ guildId, channelId, user: users[person], name, options, memberPermissions: permissions(person) })),
    posts: async () => channelPosts().map(post),
    public: async () => [...channelPosts().map(post), ...answers.filter((a) => !a.private)],
    chat: async (person, content) => {
      const message = fake.message({ guildId, channelId, author: users[person], content });
      const reactionPath = new RegExp(`^/channels/${channelId}/messages/${message.id}/reactions/([^/]+)/@me$`);
      await fake.waitForRequest({ method: 'PUT', path: reactionPath });
      return {
        id: message.id,
        reactions: async () => fake.requestsTo('PUT', reactionPath).map((r) => reactionPath.exec(r.path)![1]!),
      };
    },
    chatEdits: {
      async edit(person, message, content) {
        fake.messageUpdate({ guildId, channelId, id: message.id, content, author: users[person] });
      },
      async delete(_person, message) {
        fake.messageDelete({ guildId, channelId, id: message.id });
      },
    },
    forgedButtons: {
      press: (person, action, payload) =>
        answer(fake.buttonClick({ guildId, channelId, user: users[person], customId: `${action}:${payload}`, memberPermissions: permissions(person) })),
    },
    clock,
    tick: () => bot.app.scheduler.tick(),
    errors: () => [...bot.logs.filter((entry) => entry.level >= 50), ...fake.internalErrors],
    async stop() {
      await bot.close();
      await fake.stop();
    },
  };
}

describeAdapterContract('Discord', { chatEdits: true, forgedButtons: true }, startDiscordDriver);
