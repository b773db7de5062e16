import { type Reply, type ReplyButton, type ReplyForm, richBody, unnamedPings } from '../../core/reply';
import { clip } from '../../core/format';

/** The core markup (`<@user>`, `<#channel>`, `<t:unix:R>`); anything else in angle brackets is literal text. */
const MARKUP = /<(@[A-Za-z0-9]+|#[A-Za-z0-9_-]+|t:\d+:R)>/g;

function escapePlain(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reply text as Slack mrkdwn: our markup becomes Slack's, everything else is escaped. */
export function slackText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(MARKUP)) {
    out += escapePlain(text.slice(last, match.index));
    const token = match[1]!;
    if (token.startsWith('t:')) {
      const seconds = Number(token.split(':')[1]);
      const fallback = new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
      out += `<!date^${seconds}^{date_short_pretty} at {time}|${fallback}>`;
    } else {
      out += `<${token}>`;
    }
    last = match.index + match[0].length;
  }
  return out + escapePlain(text.slice(last));
}


export type SlackBlock = Record<string, unknown>;

/** A button's action_id: unique within a message as Slack requires, with our action before the '#'. */
export function actionIdOf(button: ReplyButton, index: number): string {
  return `${button.url ? 'link' : button.action}#${index}`;
}

export function actionFromId(actionId: string): string {
  return actionId.split('#')[0] ?? actionId;
}

/** A Reply as Block Kit, always with its text fallback (notifications and screen readers use it). */
export function renderForSlack(reply: Reply): { text: string; blocks: SlackBlock[] } {
  const blocks: SlackBlock[] = [];
  if (reply.title) blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(reply.title, 150), emoji: true } });
  const body = reply.title || reply.fields?.length ? richBody(reply) : reply.text;
  if (body) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(slackText(body), 3000) } });
  if (reply.fields?.length) {
    blocks.push({
      type: 'section',
      fields: reply.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: clip(`*${slackText(f.label)}*\n${slackText(f.value)}`, 2000) })),
    });
  }
  if (reply.buttons?.length) {
    blocks.push({
      type: 'actions',
      elements: reply.buttons.slice(0, 25).map((button, i) => ({
        type: 'button',
        action_id: actionIdOf(button, i),
        text: { type: 'plain_text', text: clip(button.label, 75), emoji: true },
        ...(button.url ? { url: button.url } : { value: clip(button.payload ?? '', 2000) }),
      })),
    });
  }
  // Slack notifies the people mentioned in a message: the reply's pings, and only them (it has no roles).
  const pings = unnamedPings(reply, false).join(' ');
  if (pings) blocks.unshift({ type: 'section', text: { type: 'mrkdwn', text: pings } });
  return { text: clip(`${pings ? `${pings} ` : ''}${slackText(reply.text)}`, 3000), blocks };
}

/** The emoji names Slack's reactions.add takes, for the reactions replies use. */
const REACTION_NAMES: Record<string, string> = { '✅': 'white_check_mark', '🎉': 'tada', '👀': 'eyes', '🔥': 'fire' };

export function slackReactionName(emoji: string): string {
  return REACTION_NAMES[emoji] ?? emoji.replace(/:/g, '');
}

/** What Slack's command text means in plain text: links unwrapped, entities decoded; mentions stay mentions. */
export function readSlackText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The block and action ids of a form's two inputs in its modal. */
export const FORM_TEXT_ID = 'text';
export const FORM_CHOICE_ID = 'choice';

/**
 * A form as a Slack modal (views.open): a multi-line text input and the choice as radio buttons, the
 * first chosen. The callback_id carries the form's action and payload; `metadata` (private_metadata)
 * says where the button was pressed, which the submission does not.
 */
export function renderSlackModal(form: ReplyForm, metadata: string): SlackBlock {
  const options = form.choice.options.slice(0, 10).map((o) => ({ text: { type: 'plain_text', text: clip(o.label, 75) }, value: o.value }));
  return {
    type: 'modal',
    callback_id: `${form.action}:${form.payload}`.slice(0, 255),
    private_metadata: metadata,
    title: { type: 'plain_text', text: clip(form.title, 24) },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: FORM_TEXT_ID,
        label: { type: 'plain_text', text: clip(form.text.label, 2000) },
        element: {
          type: 'plain_text_input',
          action_id: FORM_TEXT_ID,
          multiline: true,
          min_length: form.text.minLength,
          max_length: Math.min(form.text.maxLength, 3000),
          ...(form.text.placeholder && { placeholder: { type: 'plain_text', text: clip(form.text.placeholder, 150) } }),
          ...(form.text.value && { initial_value: form.text.value }),
        },
      },
      {
        type: 'input',
        block_id: FORM_CHOICE_ID,
        label: { type: 'plain_text', text: clip(form.choice.label, 2000) },
        element: { type: 'radio_buttons', action_id: FORM_CHOICE_ID, options, ...(options[0] && { initial_option: options[0] }) },
      },
    ],
  };
}
