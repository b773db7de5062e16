import { formatNumber, plain, plural, shortList } from '../core/format';
import { channelReply, type Reply } from '../core/reply';
import { rankSprint, type Sprint, type SprintParticipant, unix } from '../domain/sprint';

/** Button actions on a sprint's announcement and on a count that asks for confirmation. */
export const SPRINT_JOIN_ACTION = 'sprint-join';
export const SPRINT_LEAVE_ACTION = 'sprint-leave';
export const SPRINT_CONFIRM_ACTION = 'sprint-ok';

type Pings = Reply['pings'];

/** Places a results post lists: a sprint of hundreds would otherwise be cut off by the platform mid-line. */
const PLACES_SHOWN = 25;

export function sprintAnnouncement(sprint: Sprint, starterName: string, pings: Pings): Reply {
  const chain = sprint.chain.length > 1 ? ` (a chain of ${sprint.chain.length}, ${plural(sprint.chain.gapMinutes, 'minute')} apart)` : '';
  const text = [
    `🏃 Sprint! ${plural(sprint.minutes, 'minute')}${chain}, started by ${plain(starterName)}.`,
    `Starts <t:${unix(sprint.startAt)}:R>, ends <t:${unix(sprint.endAt)}:R>.`,
    'Join with the button, or /sprint join [your word count now].',
  ].join('\n');
  return channelReply(text, { buttons: sprintButtons(sprint), ...(pings && { pings }) });
}

function sprintButtons(sprint: Sprint) {
  return [
    { action: SPRINT_JOIN_ACTION, payload: String(sprint.id), label: 'Join' },
    { action: SPRINT_LEAVE_ACTION, payload: String(sprint.id), label: 'Leave' },
  ];
}

const participantPings = (participants: readonly SprintParticipant[]): Pings => (participants.length ? { users: participants.map((p) => p.userId) } : undefined);

export function sprintStartedPost(sprint: Sprint, participants: readonly SprintParticipant[]): Reply {
  const who = participants.map((p) => `<@${p.userId}>`).join(' ');
  return channelReply(`🟢 Go! The sprint is on and ends <t:${unix(sprint.endAt)}:R>.${who ? ` ${who}` : ''}`, { pings: participantPings(participants) });
}

export function timeUpPost(sprint: Sprint, participants: readonly SprintParticipant[]): Reply {
  const who = participants.map((p) => `<@${p.userId}>`).join(' ');
  return channelReply(
    `⏰ Time's up! Send your final count with /sprint words <total> (or +<added>, or just +250 here) before <t:${unix(sprint.windowClosesAt)}:R>.${who ? ` ${who}` : ''}`,
    { pings: participantPings(participants) },
  );
}

/** The ranked results: words written, WPM over each one's true time, ties sharing a place, personal bests marked. */
export function resultsPost(sprint: Sprint, participants: readonly SprintParticipant[], bestBefore: ReadonlyMap<number, number>, next?: Sprint): Reply {
  const { ranked, minutesOnly } = rankSprint(sprint, participants, bestBefore);
  const place = sprint.chain.length > 1 ? `, ${sprint.chain.position} of ${sprint.chain.length}` : '';
  const title = `🏆 Sprint results (${plural(sprint.minutes, 'minute')}${place})`;
  if (ranked.length === 0 && minutesOnly.length === 0) return channelReply(`${title}\nNobody was in this sprint.`, { title });
  const lines = ranked.slice(0, PLACES_SHOWN).map(
    (r) => `${r.rank}. ${plain(r.participant.displayName)}: ${plural(r.words, 'word')}, ${formatNumber(r.wpm)} wpm${r.personalBest ? ' ⭐ personal best' : ''}`,
  );
  if (ranked.length > PLACES_SHOWN) lines.push(`…and ${plural(ranked.length - PLACES_SHOWN, 'more writer')}.`);
  if (minutesOnly.length) lines.push(`Also sprinted (minutes only): ${shortList(minutesOnly, (p) => plain(p.displayName))}`);
  lines.push("Everyone's words are in their log for the day.");
  if (!next) return channelReply([title, ...lines].join('\n'), { title });
  lines.push(
    `Next in the chain (${next.chain.position} of ${next.chain.length}): starts <t:${unix(next.startAt)}:R>, ends <t:${unix(next.endAt)}:R>. Everyone carries on from their count; Leave to step out.`,
  );
  return channelReply([title, ...lines].join('\n'), { title, buttons: sprintButtons(next) });
}

export function everyoneLeftPost(): Reply {
  return channelReply('Everyone left the sprint, so it is over. Start another with /sprint start.');
}
