import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIModalInteractionResponseCallbackData } from 'discord.js';
import { ButtonStyle, ComponentType, escapeMarkdown, escapeMaskedLink, type RawFile, TextInputStyle } from 'discord.js';
import { type Reply, type ReplyButton, type ReplyForm, richBody, unnamedPings } from '../../core/reply';
import { clip } from '../../core/format';

/** What discord.js send/reply/edit calls take; the same shape for channel posts and interaction replies. */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  files: { attachment: Buffer; name: string; description?: string }[];
  allowedMentions: { parse: []; users: string[]; roles: string[]; repliedUser: false };
}

const CUSTOM_ID_LIMIT = 100;
const ACCENT = 0x5b8def;


/** A button's action and payload in one custom_id, which Discord limits to 100 characters. */
export function encodeCustomId(action: string, payload = ''): string {
  const id = `${action}:${payload}`;
  if (id.length > CUSTOM_ID_LIMIT) throw new RangeError(`button id over ${CUSTOM_ID_LIMIT} characters: ${action}`);
  return id;
}

export function decodeCustomId(customId: string): { action: string; payload: string } {
  const at = customId.indexOf(':');
  return at < 0 ? { action: customId, payload: '' } : { action: customId.slice(0, at), payload: customId.slice(at + 1) };
}

function buttonJson(button: ReplyButton): APIButtonComponent {
  const label = clip(button.label, 80);
  if (button.url) return { type: ComponentType.Button, style: ButtonStyle.Link, label, url: button.url };
  return { type: ComponentType.Button, style: ButtonStyle.Primary, label, custom_id: encodeCustomId(button.action, button.payload) };
}

const LINK = /https?:\/\/\S+/g;

/**
 * Reply text is plain (core/format.ts), so Discord's markdown in it is escaped and shows as typed: a
 * title such as `[Verify your account](https://…)` cannot become a disguised link, nor `**` or `||`
 * in a name restyle a message. Links are left whole, so they still open; line-level kinds (headings,
 * lists) are left too, as the bot's own numbered lines are.
 */
function asDiscordText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    out += escapeMarkdown(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return escapeMaskedLink(out + escapeMarkdown(text.slice(last)));
}

/**
 * A Reply as a Discord message: title and fields become an embed, buttons become action rows,
 * pictures and files become attachments. Nobody is pinged except the reply's own `pings`.
 */
export function renderForDiscord(reply: Reply): DiscordMessage {
  const images = reply.images ?? [];
  const rich = Boolean(reply.title || reply.fields?.length || images.length);
  const embeds: APIEmbed[] = [];
  if (rich) {
    const embed: APIEmbed = { color: ACCENT };
    if (reply.title) embed.title = clip(asDiscordText(reply.title), 256);
    const body = richBody(reply);
    if (body) embed.description = clip(asDiscordText(body), 4096);
    if (reply.fields?.length)
      embed.fields = reply.fields.slice(0, 25).map((f) => ({ name: clip(asDiscordText(f.label), 256), value: clip(asDiscordText(f.value) || '—', 1024), inline: true }));
    if (images[0]) embed.image = { url: `attachment://${images[0].fileName}` };
    embeds.push(embed);
    // Further pictures each get an embed of their own, shown under the first (Discord allows ten).
    for (const image of images.slice(1, 10)) embeds.push({ color: ACCENT, image: { url: `attachment://${image.fileName}` } });
  }
  const buttons = (reply.buttons ?? []).slice(0, 25).map(buttonJson);
  const components: DiscordMessage['components'] = [];
  for (let i = 0; i < buttons.length; i += 5) components.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  const files = [
    ...images.map((image) => ({ attachment: Buffer.from(image.png), name: image.fileName, description: clip(image.alt, 1024) })),
    ...(reply.files ?? []).map((f) => ({ attachment: Buffer.from(f.content), name: f.fileName })),
  ];
  // Rich replies carry their text in the embed; the content line is left for the people pinged.
  const pings = unnamedPings(rich ? { text: '', pings: reply.pings } : reply);
  const text = asDiscordText(reply.text);
  const content = rich ? pings.join(' ') : clip(pings.length ? `${pings.join(' ')} ${text}` : text, 2000);
  return {
    content,
    embeds,
    components,
    files,
    allowedMentions: { parse: [], users: reply.pings?.users ?? [], roles: reply.pings?.roles ?? [], repliedUser: false },
  };
}

/** The custom ids of a form's two fields in its modal. */
export const FORM_TEXT_ID = 'text';
export const FORM_CHOICE_ID = 'choice';

/**
 * A form as a Discord modal: its text field and its choice (a select, the first option chosen), each
 * in a label component; the modal's custom_id carries the form's action and payload, as a button's does.
 */
export function renderModal(form: ReplyForm): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeCustomId(form.action, form.payload),
    title: clip(form.title, 45),
    components: [
      {
        type: ComponentType.Label,
        label: clip(form.text.label, 45),
        component: {
          type: ComponentType.TextInput,
          custom_id: FORM_TEXT_ID,
          style: TextInputStyle.Paragraph,
          min_length: form.text.minLength,
          max_length: Math.min(form.text.maxLength, 4000),
          required: true,
          ...(form.text.placeholder && { placeholder: clip(form.text.placeholder, 100) }),
          ...(form.text.value && { value: form.text.value.slice(0, form.text.maxLength) }),
        },
      },
      {
        type: ComponentType.Label,
        label: clip(form.choice.label, 45),
        component: {
          type: ComponentType.StringSelect,
          custom_id: FORM_CHOICE_ID,
          min_values: 1,
          max_values: 1,
          options: form.choice.options.slice(0, 25).map((o, i) => ({ label: clip(o.label, 100), value: o.value, default: i === 0 })),
        },
      },
    ],
  };
}

/** A rendered message as Discord's REST API takes it: the JSON body, and the files beside it. */
export interface RestMessage {
  body: {
    content: string;
    embeds: APIEmbed[];
    components: APIActionRowComponent<APIButtonComponent>[];
    allowed_mentions: { parse: []; users: string[]; roles: string[]; replied_user: false };
    attachments?: { id: number; filename: string; description?: string }[];
  };
  files: RawFile[];
}

/**
 * The same message for REST calls made without discord.js's message builder (interaction answers,
 * webhooks, posts over REST): snake_case fields, files as multipart parts named `files[n]` and listed
 * in `attachments`. Attachments are sent only with files, so an edit without them keeps the old ones.
 */
export function toRestMessage(message: DiscordMessage): RestMessage {
  const { allowedMentions, files } = message;
  return {
    body: {
      content: message.content,
      embeds: message.embeds,
      components: message.components,
      allowed_mentions: { parse: [], users: allowedMentions.users, roles: allowedMentions.roles, replied_user: false },
      ...(files.length && { attachments: files.map((file, id) => ({ id, filename: file.name, ...(file.description && { description: file.description }) })) }),
    },
    files: files.map((file) => ({ name: file.name, data: file.attachment })),
  };
}
