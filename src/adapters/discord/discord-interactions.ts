import {
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIInteractionResponse,
  type APIUser,
  ApplicationCommandOptionType,
  ChannelType,
  ComponentType,
  DiscordAPIError,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  PermissionFlagsBits,
  type RawFile,
  type REST,
  Routes,
} from 'discord.js';
import type { Delivery, InvocationHandler, ReplyAddress } from '../../core/chat-adapter';
import { channelMention, userMention } from '../../core/format';
import type { Actor, Conversation, FormValues, Invocation } from '../../core/invocation';
import { APOLOGY, privateReply, type Reply } from '../../core/reply';
import type { Logger } from '../../logger';
import { decodeCustomId, FORM_CHOICE_ID, FORM_TEXT_ID, renderForDiscord, renderModal, type RestMessage, toRestMessage } from './render-discord';

/** Discord takes answers through an interaction's token for 15 minutes; a little is left for the request itself. */
const INTERACTION_TOKEN_WINDOW_MS = 14 * 60_000;

const EPHEMERAL = MessageFlags.Ephemeral;

/**
 * How an interaction's first answer reaches Discord: over the gateway, a REST call to its callback
 * route; over HTTP, the response to Discord's request. Everything after it goes through the
 * interaction's webhook over REST either way.
 */
export interface FirstAnswer {
  /** Resolves once Discord has the answer (or, over HTTP, once it is written); rejects when it was refused. */
  send(response: APIInteractionResponse, files: RawFile[]): Promise<void>;
  /** False when the first answer can only be JSON (an HTTP response): a reply with files is then deferred and filled in. */
  readonly carriesFiles: boolean;
}

/** The first answer as a REST call to the interaction's callback route (interactions that came over the gateway). */
export function callbackAnswer(rest: REST, interaction: Pick<APIInteraction, 'id' | 'token'>): FirstAnswer {
  return {
    carriesFiles: true,
    send: async (response, files) => {
      await rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: response, files, auth: false });
    },
  };
}

/** The Actor of an interaction: its server (or 'dm'), its user, the name shown there, whether they may manage the server. */
function actorOf(interaction: APIInteraction): Actor {
  const user: APIUser = interaction.member?.user ?? interaction.user!;
  const permissions = interaction.member?.permissions;
  return {
    platform: 'discord',
    workspaceId: interaction.guild_id ?? 'dm',
    userId: user.id,
    displayName: interaction.member?.nick || user.global_name || user.username,
    isAdmin: permissions !== undefined && (BigInt(permissions) & PermissionFlagsBits.ManageGuild) !== 0n,
  };
}

const THREAD_TYPES: ReadonlySet<number> = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

/** Where an interaction happened: a channel, a thread under its channel, or a direct message. */
function conversationOf(interaction: APIInteraction): Conversation {
  const channelId = interaction.channel_id ?? interaction.channel?.id ?? 'unknown';
  if (!interaction.guild_id) return { platform: 'discord', workspaceId: 'dm', channelId, isDirect: true };
  const channel = interaction.channel as { type?: number; parent_id?: string | null } | undefined;
  const parent = channel?.type !== undefined && THREAD_TYPES.has(channel.type) ? channel.parent_id : null;
  return parent
    ? { platform: 'discord', workspaceId: interaction.guild_id, channelId: parent, threadId: channelId }
    : { platform: 'discord', workspaceId: interaction.guild_id, channelId };
}

/** Slash-command option values as the router expects them: people and channels as mentions. */
function optionValues(options: readonly APIApplicationCommandInteractionDataOption[], resolvedUsers: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of options) {
    if (!('value' in option) || option.value === undefined) continue;
    const value = option.value;
    if (option.type === ApplicationCommandOptionType.User) values[option.name] = userMention(String(value));
    else if (option.type === ApplicationCommandOptionType.Mentionable && String(value) in resolvedUsers) values[option.name] = userMention(String(value));
    else if (option.type === ApplicationCommandOptionType.Channel) values[option.name] = channelMention(String(value));
    else values[option.name] = value;
  }
  return values;
}

interface SubmittedField {
  custom_id?: string;
  value?: string;
  values?: string[];
  component?: SubmittedField;
  components?: SubmittedField[];
}

/** A modal's values as a form's: the text field, and the first chosen option of the choice (in label components or action rows). */
function modalValues(components: readonly SubmittedField[]): FormValues {
  const fields = new Map<string, SubmittedField>();
  const visit = (field: SubmittedField) => {
    if (field.custom_id) fields.set(field.custom_id, field);
    if (field.component) visit(field.component);
    field.components?.forEach(visit);
  };
  components.forEach(visit);
  return { text: fields.get(FORM_TEXT_ID)?.value ?? '', choice: fields.get(FORM_CHOICE_ID)?.values?.[0] ?? '' };
}

/** Interactions that are answered with a message or a modal: commands, components, modal submits. */
export function isRepliable(interaction: APIInteraction): boolean {
  return (
    interaction.type === InteractionType.ApplicationCommand ||
    interaction.type === InteractionType.MessageComponent ||
    interaction.type === InteractionType.ModalSubmit
  );
}

/**
 * The Invocation an interaction stands for, read from the payload Discord sends, which is the same
 * over the gateway and over HTTP; undefined for what the bot does not take (a select menu, a context
 * menu command). Its idempotency key is the interaction's id, so a second delivery is the same command.
 */
export function invocationOf(interaction: APIInteraction): Invocation | undefined {
  const base = { actor: actorOf(interaction), conversation: conversationOf(interaction), idempotencyKey: `discord:interaction:${interaction.id}` };
  switch (interaction.type) {
    case InteractionType.ApplicationCommand: {
      const data = interaction.data;
      if (data.type !== 1) return undefined;
      const options = 'options' in data ? (data.options ?? []) : [];
      const users = 'resolved' in data ? (data.resolved?.users ?? {}) : {};
      return { ...base, kind: 'command', name: data.name, args: { values: optionValues(options, users) } };
    }
    case InteractionType.MessageComponent:
      if (interaction.data.component_type !== ComponentType.Button) return undefined;
      return { ...base, kind: 'button', ...decodeCustomId(interaction.data.custom_id) };
    case InteractionType.ModalSubmit:
      return {
        ...base,
        kind: 'form',
        ...decodeCustomId(interaction.data.custom_id),
        values: modalValues(interaction.data.components as readonly SubmittedField[]),
      };
    default:
      return undefined;
  }
}

export interface InteractionAnswersOptions {
  rest: REST;
  logger: Logger;
  /** Acknowledge an interaction (defer) if its handler has not answered by then; Discord allows 3 s. */
  deferAfterMs?: number;
}

/**
 * Commands, buttons and forms from Discord, wherever they arrived: stored, acknowledged and answered
 * through the handler's Delivery, with one answer sent and the follow-ups through the interaction's
 * webhook over REST. The gateway and the HTTP endpoint both hand their interactions here; they differ
 * only in how the first answer is sent.
 */
export class InteractionAnswers {
  constructor(private readonly options: InteractionAnswersOptions) {}

  /**
   * Runs one interaction through `handle`. Discord's first response is the acknowledgement: it waits
   * until the invocation is stored, then comes at once if the handler is quick, otherwise as a
   * private deferral after deferAfterMs.
   */
  async run(interaction: APIInteraction, first: FirstAnswer, handle: InvocationHandler): Promise<void> {
    const answers = this.answersFor(interaction, first);
    const invocation = invocationOf(interaction);
    if (!invocation) return answers.complete(privateReply("I don't know what to do with that."));
    let timer: NodeJS.Timeout | undefined;
    let answered = false;
    let acknowledged = false;
    const delivery: Delivery = {
      acknowledge: async () => {
        acknowledged = true;
        timer = setTimeout(() => answers.defer(), this.options.deferAfterMs ?? 2000);
      },
      answer: async (reply) => {
        answered = true;
        clearTimeout(timer);
        await answers.complete(reply ?? privateReply('Done.'));
      },
      replyTo: { applicationId: interaction.application_id, token: interaction.token },
    };
    try {
      // A handler that answers by returning a Reply (without the delivery) is answered for here; one that
      // returns nothing has left the answer to another process.
      const returned = await handle(invocation, delivery);
      if (!answered && returned) {
        if (!acknowledged) await delivery.acknowledge();
        await delivery.answer(returned);
      }
    } catch (error) {
      this.options.logger.error({ err: error, interaction: interaction.id }, 'discord handler failed');
      if (!answered) await delivery.answer(privateReply(APOLOGY));
    }
  }

  /**
   * Answers an interaction an earlier process received, while its token lasts (15 minutes): into the
   * deferral it left loading. An interaction never acknowledged cannot be answered (Discord has already
   * told the person it failed), and one already answered needs nothing more.
   */
  async answerLater(replyTo: ReplyAddress, ageMs: number, reply: Reply): Promise<boolean> {
    const { applicationId, token } = replyTo;
    if (!applicationId || !token || ageMs > INTERACTION_TOKEN_WINDOW_MS) return false;
    const { rest } = this.options;
    const route = Routes.webhookMessage(applicationId, token, '@original');
    const original = (await rest.get(route, { auth: false }).catch(hiddenAs(null))) as { flags?: number } | null;
    if (!original) return false;
    if (((original.flags ?? 0) & MessageFlags.Loading) === 0) return true;
    const { body, files } = toRestMessage(renderForDiscord(reply));
    await rest.patch(route, { body, files, auth: false });
    return true;
  }

  private answersFor(interaction: APIInteraction, first: FirstAnswer) {
    const { rest, logger } = this.options;
    const original = Routes.webhookMessage(interaction.application_id, interaction.token, '@original');
    let deferral: Promise<unknown> | undefined;
    const respond = (response: APIInteractionResponse, files: RawFile[] = []) => first.send(response, files);
    const editOriginal = ({ body, files }: RestMessage) => rest.patch(original, { body, files, auth: false });
    const followUp = ({ body, files }: RestMessage) =>
      rest.post(Routes.webhook(interaction.application_id, interaction.token), { body, files, query: new URLSearchParams({ wait: 'true' }), auth: false });

    return {
      /** A private "thinking…" placeholder, answered later. */
      defer: () => {
        deferral ??= respond({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: EPHEMERAL } });
        // A deferral Discord refused shows as a failure when the answer is sent; nothing else waits for it.
        deferral.catch(() => undefined);
      },
      /**
       * Sends the answer: directly, or into the private deferral when there was one. A public answer to a
       * deferred interaction is posted as a follow-up and the private placeholder removed. Rejects when
       * Discord did not take it, so the inbox tries again later.
       */
      complete: async (reply: Reply): Promise<void> => {
        const message = toRestMessage(renderForDiscord(reply));
        const isPrivate = reply.visibility === 'private';
        try {
          // A form opens as the interaction's first answer; one already deferred can only say to press again.
          if (reply.form && !deferral && interaction.type !== InteractionType.ModalSubmit) {
            await respond({ type: InteractionResponseType.Modal, data: renderModal(reply.form) });
            return;
          }
          if (reply.form) {
            await deferral;
            await editOriginal(toRestMessage(renderForDiscord(privateReply('That took me too long to open the form. Please press the button again.'))));
            return;
          }
          if (!deferral && (message.files.length === 0 || first.carriesFiles)) {
            const flags = isPrivate ? EPHEMERAL : 0;
            await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: { ...message.body, flags } as never }, message.files);
            return;
          }
          if (!deferral) {
            // An answer with files over HTTP: the response defers (as privately as the answer), then the webhook fills it in.
            deferral = respond({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: isPrivate ? { flags: EPHEMERAL } : {} });
            await deferral;
            await editOriginal(message);
            return;
          }
          await deferral;
          if (isPrivate) {
            await editOriginal(message);
          } else {
            // While the placeholder is loading Discord makes the first follow-up fill it in (private, as the
            // placeholder is); once it holds a line, the follow-up is a message of its own, for everyone.
            await editOriginal(toRestMessage(renderForDiscord(privateReply('Posted in the channel.'))));
            try {
              await followUp(message);
            } catch (error) {
              // The channel did not take it: the placeholder keeps the answer, and says so, instead of "Posted".
              logger.warn({ err: error, interaction: interaction.id }, 'public answer not posted; answered privately');
              await editOriginal(toRestMessage(renderForDiscord({ ...reply, visibility: 'private', text: `${reply.text}\n(I couldn't post this in the channel, so only you see it.)` })));
              return;
            }
            await rest.delete(original, { auth: false });
          }
        } catch (error) {
          logger.error({ err: error, interaction: interaction.id }, 'discord reply lost');
          throw error;
        }
      },
    };
  }
}

/** Discord's answer for something the bot may not see (unknown, or no access) becomes `value`; other failures stay failures. */
export function hiddenAs<T>(value: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 404)) return value;
    throw error;
  };
}
