import { plain, plural, shortList } from '../core/format';
import { type Reply, channelReply } from '../core/reply';
import type { Publication } from '../domain/publication';
import { RESPOND_ACTION } from './response-messages';

export const READ_ACTION = 'read';

const unix = (ms: number) => Math.floor(ms / 1000);

/**
 * The announcement of a new article, as first posted and as later edited with the running count.
 * Only the opted-in readers (or the readers' role) are pinged, and only on the first post.
 */
export function announcementReply(
  publication: Publication,
  counts: { firstHour: number; late: number },
  options: { closed: boolean; pings?: Reply['pings']; respond: boolean },
): Reply {
  const title = plain(publication.title);
  const author = plain(publication.authorName);
  const window = options.closed
    ? `The first hour closed <t:${unix(publication.windowEndsAt)}:R> with ${plural(counts.firstHour, 'first-hour read')}.`
    : `First hour closes <t:${unix(publication.windowEndsAt)}:R>: ${plural(counts.firstHour, 'read')} so far.`;
  const late = counts.late ? ` ${plural(counts.late, 'later read')}.` : '';
  const text = [`📣 New from ${author}: ${title}`, publication.url, `${window}${late}`].join('\n');
  return channelReply(text, {
    title: `📣 ${title}`.slice(0, 250),
    fields: [
      { label: 'By', value: author },
      { label: options.closed ? 'First-hour reads' : 'Reads so far', value: String(counts.firstHour) },
    ],
    buttons: [
      { action: '', label: 'Read it', url: publication.url },
      { action: READ_ACTION, payload: String(publication.id), label: 'I read it' },
      // Only where responses are taken: an author or a group that turned them off gets no form to refuse.
      ...(options.respond ? [{ action: RESPOND_ACTION, payload: String(publication.id), label: 'Respond' }] : []),
    ],
    ...(options.pings && { pings: options.pings }),
  });
}

/** The short post when the window closes: how many read it in the first hour, and who (names, no pings). */
export function wrapUpReply(publication: Publication, readers: string[], responses = 0): Reply {
  const who = readers.length ? `: ${shortList(readers, plain)}` : '. Next time, then!';
  const responded = responses ? `\n💬 ${plural(responses, 'reader')} responded.` : '';
  return channelReply(`⏱️ First hour over for "${plain(publication.title)}" by ${plain(publication.authorName)}: ${plural(readers.length, 'first-hour read')}${who}${responded}`);
}
