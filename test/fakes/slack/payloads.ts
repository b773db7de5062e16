import { randomUUID } from 'node:crypto';
import { FAKE_SLACK_DEFAULTS as D, messageTs as newMessageTs, nowSeconds, slackId, triggerId } from './slack-ids';

export type JsonObject = Record<string, unknown>;

/**
 * One delivery from Slack, in both shapes Slack uses: `payload` is the object a Socket Mode envelope carries
 * (and the body Bolt hands to listeners); `rawBody` and `contentType` are what an HTTP request carries (and
 * what gets signed).
 */
export interface SlackDelivery<P extends JsonObject = JsonObject> {
  payload: P;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  rawBody: string;
}

function formDelivery<P extends JsonObject>(payload: P, fields: Record<string, string>): SlackDelivery<P> {
  return { payload, contentType: 'application/x-www-form-urlencoded', rawBody: new URLSearchParams(fields).toString() };
}

function jsonDelivery<P extends JsonObject>(payload: P): SlackDelivery<P> {
  return { payload, contentType: 'application/json', rawBody: JSON.stringify(payload) };
}

// ---------------------------------------------------------------------------------------------------------------
// Slash commands
// ---------------------------------------------------------------------------------------------------------------

export interface SlashCommandOptions {
  command: string;
  text?: string;
  /** Where respond() posts; use `fake.responseUrl()`. Slack always sends one. */
  responseUrl: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  triggerId?: string;
  enterpriseId?: string;
}

/** A slash command as Slack sends it: form fields, every value a string. Socket Mode carries the same fields. */
export function slashCommand(options: SlashCommandOptions): SlackDelivery<Record<string, string>> {
  const fields: Record<string, string> = {
    token: D.verificationToken,
    team_id: options.teamId ?? D.teamId,
    team_domain: options.teamDomain ?? D.teamDomain,
    channel_id: options.channelId ?? D.channelId,
    channel_name: options.channelName ?? D.channelName,
    user_id: options.userId ?? D.userId,
    user_name: options.userName ?? D.userName,
    command: options.command,
    text: options.text ?? '',
    api_app_id: options.apiAppId ?? D.appId,
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: options.triggerId ?? triggerId(),
  };
  if (options.enterpriseId !== undefined) fields.enterprise_id = options.enterpriseId;
  return formDelivery(fields, fields);
}

// ---------------------------------------------------------------------------------------------------------------
// Interactivity
// ---------------------------------------------------------------------------------------------------------------

export interface BlockActionOptions {
  actionId: string;
  value?: string;
  blockId?: string;
  /** The button's label. */
  actionText?: string;
  /** Where respond() posts; use `fake.responseUrl()`. */
  responseUrl: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  /** The message holding the button (a bot message for a normal button, or an ephemeral one). */
  messageTs?: string;
  messageText?: string;
  isEphemeral?: boolean;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  triggerId?: string;
  /** The bot that posted the message with the button. */
  botId?: string;
}

/** A button click: form-encoded `payload=<json>` over HTTP, the JSON object itself over Socket Mode. */
export function blockAction(options: BlockActionOptions): SlackDelivery {
  const userId = options.userId ?? D.userId;
  const teamId = options.teamId ?? D.teamId;
  const channelId = options.channelId ?? D.channelId;
  const messageTs = options.messageTs ?? newMessageTs();
  const blockId = options.blockId ?? slackId('', 5).toLowerCase();
  const actionText = options.actionText ?? options.actionId;
  const interaction: JsonObject = {
    type: 'block_actions',
    user: { id: userId, username: options.userName ?? D.userName, name: options.userName ?? D.userName, team_id: teamId },
    api_app_id: options.apiAppId ?? D.appId,
    token: D.verificationToken,
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: options.isEphemeral ?? false },
    trigger_id: options.triggerId ?? triggerId(),
    team: { id: teamId, domain: options.teamDomain ?? D.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: options.channelName ?? D.channelName },
    // Slack leaves the message out for ephemeral messages; the container still names it.
    ...(options.isEphemeral
      ? {}
      : {
          message: {
            type: 'message',
            subtype: 'bot_message',
            text: options.messageText ?? '',
            ts: messageTs,
            bot_id: options.botId ?? D.botId,
            blocks: [
              {
                type: 'actions',
                block_id: blockId,
                elements: [
                  {
                    type: 'button',
                    action_id: options.actionId,
                    text: { type: 'plain_text', text: actionText, emoji: true },
                    ...(options.value === undefined ? {} : { value: options.value }),
                  },
                ],
              },
            ],
          },
        }),
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [
      {
        action_id: options.actionId,
        block_id: blockId,
        text: { type: 'plain_text', text: actionText, emoji: true },
        ...(options.value === undefined ? {} : { value: options.value }),
        type: 'button',
        action_ts: `${nowSeconds()}.${String(Date.now() % 1000).padStart(3, '0')}123`,
      },
    ],
  };
  return formDelivery(interaction, { payload: JSON.stringify(interaction) });
}

export interface ViewSubmissionOptions {
  /** The view as views.open answered it (`fake.views`). */
  view: JsonObject;
  /** What was filled in, by block_id then action_id: `{ type: 'plain_text_input', value }` or `{ type: 'static_select', selected_option: { value } }`. */
  values: Record<string, Record<string, JsonObject>>;
  userId?: string;
  userName?: string;
  teamId?: string;
  triggerId?: string;
}

/** A modal submitted: form-encoded `payload=<json>` over HTTP, the JSON object itself over Socket Mode. */
export function viewSubmission(options: ViewSubmissionOptions): SlackDelivery {
  const userId = options.userId ?? D.userId;
  const teamId = options.teamId ?? D.teamId;
  const interaction: JsonObject = {
    type: 'view_submission',
    team: { id: teamId, domain: D.teamDomain },
    user: { id: userId, username: options.userName ?? D.userName, name: options.userName ?? D.userName, team_id: teamId },
    api_app_id: D.appId,
    token: D.verificationToken,
    trigger_id: options.triggerId ?? triggerId(),
    view: { ...options.view, state: { values: options.values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return formDelivery(interaction, { payload: JSON.stringify(interaction) });
}

// ---------------------------------------------------------------------------------------------------------------
// Events API
// ---------------------------------------------------------------------------------------------------------------

export interface EventCallbackOptions {
  eventId?: string;
  eventTime?: number;
  teamId?: string;
  apiAppId?: string;
  /** The installation the event is delivered to; Slack lists the bot user here. */
  botUserId?: string;
}

/** An Events API delivery wrapping `event`; JSON over HTTP, and the same object as a Socket Mode payload. */
export function eventCallback(event: JsonObject, options: EventCallbackOptions = {}): SlackDelivery {
  const teamId = options.teamId ?? D.teamId;
  return jsonDelivery({
    token: D.verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: options.apiAppId ?? D.appId,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? slackId('Ev'),
    event_time: options.eventTime ?? nowSeconds(),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: options.botUserId ?? D.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(slackId('', 24)).toString('base64url')}`,
  });
}

/** The handshake Slack sends when an Events API request URL is saved. */
export function urlVerification(challenge: string): SlackDelivery {
  return jsonDelivery({ token: D.verificationToken, challenge, type: 'url_verification' });
}

export type ChannelType = 'channel' | 'group' | 'im' | 'mpim';

function channelTypeOf(channelId: string): ChannelType {
  if (channelId.startsWith('D')) return 'im';
  if (channelId.startsWith('G')) return 'group';
  return 'channel';
}

export interface MessageEventOptions {
  text: string;
  userId?: string;
  channelId?: string;
  channelType?: ChannelType;
  ts?: string;
  threadTs?: string;
  teamId?: string;
}

/** A person's plain chat message (no subtype). */
export function messageEvent(options: MessageEventOptions): JsonObject {
  const ts = options.ts ?? newMessageTs();
  const channelId = options.channelId ?? D.channelId;
  return {
    type: 'message',
    client_msg_id: randomUUID(),
    text: options.text,
    user: options.userId ?? D.userId,
    ts,
    team: options.teamId ?? D.teamId,
    blocks: [
      {
        type: 'rich_text',
        block_id: slackId('', 5).toLowerCase(),
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: options.text }] }],
      },
    ],
    channel: channelId,
    event_ts: ts,
    channel_type: options.channelType ?? channelTypeOf(channelId),
    ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }),
  };
}

export interface MessageChangedOptions {
  /** The edited message's own ts. */
  ts: string;
  text: string;
  previousText?: string;
  userId?: string;
  channelId?: string;
  channelType?: ChannelType;
  /** When the edit happened; also the event's ts. */
  editTs?: string;
  teamId?: string;
}

/** An edit: subtype message_changed, the new message nested under `message`, no top-level user or text. */
export function messageChangedEvent(options: MessageChangedOptions): JsonObject {
  const editTs = options.editTs ?? newMessageTs();
  const userId = options.userId ?? D.userId;
  const channelId = options.channelId ?? D.channelId;
  const team = options.teamId ?? D.teamId;
  return {
    type: 'message',
    subtype: 'message_changed',
    message: {
      type: 'message',
      text: options.text,
      user: userId,
      team,
      edited: { user: userId, ts: editTs },
      ts: options.ts,
      client_msg_id: randomUUID(),
      source_team: team,
      user_team: team,
    },
    previous_message: {
      type: 'message',
      text: options.previousText ?? '',
      user: userId,
      team,
      ts: options.ts,
      client_msg_id: randomUUID(),
    },
    channel: channelId,
    hidden: true,
    ts: editTs,
    event_ts: editTs,
    channel_type: options.channelType ?? channelTypeOf(channelId),
  };
}

export interface MessageDeletedOptions {
  /** The deleted message's ts. */
  ts: string;
  previousText?: string;
  userId?: string;
  channelId?: string;
  channelType?: ChannelType;
  deleteTs?: string;
  teamId?: string;
}

/** A deletion: subtype message_deleted, `deleted_ts` names the message, the old one under `previous_message`. */
export function messageDeletedEvent(options: MessageDeletedOptions): JsonObject {
  const deleteTs = options.deleteTs ?? newMessageTs();
  const channelId = options.channelId ?? D.channelId;
  return {
    type: 'message',
    subtype: 'message_deleted',
    previous_message: {
      type: 'message',
      text: options.previousText ?? '',
      user: options.userId ?? D.userId,
      team: options.teamId ?? D.teamId,
      ts: options.ts,
      client_msg_id: randomUUID(),
    },
    channel: channelId,
    hidden: true,
    deleted_ts: options.ts,
    event_ts: deleteTs,
    ts: deleteTs,
    channel_type: options.channelType ?? channelTypeOf(channelId),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Installation events
// ---------------------------------------------------------------------------------------------------------------

/** A workspace removed the app: Slack sends this once the workspace's tokens are revoked. */
export function appUninstalledEvent(teamId: string, options: Omit<EventCallbackOptions, 'teamId'> = {}): SlackDelivery {
  return eventCallback({ type: 'app_uninstalled', event_ts: newMessageTs() }, { ...options, teamId });
}

/** Tokens of a workspace were revoked: `bot` lists bot user ids, `oauth` user ids. */
export function tokensRevokedEvent(teamId: string, tokens: { bot?: string[]; oauth?: string[] }, options: Omit<EventCallbackOptions, 'teamId'> = {}): SlackDelivery {
  return eventCallback({ type: 'tokens_revoked', tokens: { oauth: tokens.oauth ?? [], bot: tokens.bot ?? [] }, event_ts: newMessageTs() }, { ...options, teamId });
}
