import { channelMention, plain, userMention } from '../core/format';
import { channelReply, privateReply, type Reply, type ReplyForm } from '../core/reply';
import type { Publication } from '../domain/publication';
import { RESPONSE_MAX_CHARS, RESPONSE_MIN_CHARS, type ArticleResponse } from '../domain/response';

export const RESPOND_ACTION = 'respond';

/** The form the Respond button opens: the text (the earlier response, when replacing it) and where it goes. */
export function responseForm(publication: Publication, existing?: ArticleResponse): Reply {
  const form: ReplyForm = {
    action: RESPOND_ACTION,
    payload: String(publication.id),
    title: 'Respond to the article',
    text: {
      label: 'What stayed with you?',
      placeholder: `A line or two for ${publication.authorName}: what you liked, what stayed with you`,
      minLength: RESPONSE_MIN_CHARS,
      maxLength: RESPONSE_MAX_CHARS,
      ...(existing && { value: existing.text }),
    },
    choice: {
      label: 'Where should it go?',
      options: [
        { value: 'private', label: 'Privately to the author' },
        { value: 'thread', label: "In the announcement's thread" },
      ],
    },
  };
  const lead = existing ? 'Type your new response on the next line: it replaces the one you sent.' : `Type your response to "${plain(publication.title)}" on the next line.`;
  return privateReply(
    `${lead} ${RESPONSE_MIN_CHARS} to ${RESPONSE_MAX_CHARS} characters; it goes privately to ${plain(publication.authorName)}. Start it with "thread:" to post it in the announcement's thread instead.`,
    { form },
  );
}

/** A response as the author receives it privately: who, which article, the words, and the way back. */
export function privateResponseReply(publication: Publication, readerName: string, text: string, replaced: boolean, announceChannelId: string): Reply {
  const head = replaced
    ? `💬 ${plain(readerName)} changed their response to your article "${plain(publication.title)}":`
    : `💬 ${plain(readerName)} responded to your article "${plain(publication.title)}":`;
  return privateReply([head, plain(text), `The article: ${publication.url} (announced in ${channelMention(announceChannelId)})`].join('\n'), {
    buttons: [{ action: '', label: 'Open the article', url: publication.url }],
  });
}

/** Where direct messages are closed: the author alone is mentioned in the group channel, and the words stay private. */
export function responseWaitingReply(publication: Publication, readerName: string): Reply {
  return channelReply(
    `${userMention(publication.authorUserId)}, ${plain(readerName)} sent you a private response to "${plain(publication.title)}". I couldn't send it to your direct messages: open them to me, or read it with /responses.`,
    { pings: { users: [publication.authorUserId] } },
  );
}

/** A response posted in the announcement's thread; nobody is pinged. */
export function threadResponseReply(publication: Publication, readerName: string, text: string): Reply {
  return channelReply(`💬 ${plain(readerName)} on "${plain(publication.title)}":\n${plain(text)}`);
}

/** What a thread post says once its response was moved to the author's direct messages. */
export function movedResponseReply(readerName: string): Reply {
  return channelReply(`💬 ${plain(readerName)} sent their response to the author privately instead.`);
}
