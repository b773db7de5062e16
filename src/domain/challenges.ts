import { type Checked, paceIn } from './goals';
import { addDays, daysBetween, isLocalDate, type LocalDate } from './local-date';

export const CHALLENGE_KINDS = ['words', 'days', 'publish'] as const;
export type ChallengeKind = (typeof CHALLENGE_KINDS)[number];
export const CHALLENGE_PRESETS = ['november', 'six-months', 'publish-weekly'] as const;
export type ChallengePreset = (typeof CHALLENGE_PRESETS)[number];

export const MAX_CHALLENGE_NAME = 40;
export const MAX_CHALLENGE_DAYS = 366;
/** Challenges a group may have open (not yet over) at once: each ends in a wrap-up post to its channel. */
export const MAX_OPEN_CHALLENGES = 10;
const MAX_TARGET: Record<ChallengeKind, number> = { words: 10_000_000, days: MAX_CHALLENGE_DAYS, publish: 500 };

export interface Challenge {
  id: number;
  groupId: number;
  name: string;
  kind: ChallengeKind;
  target: number;
  startDate: LocalDate;
  endDate: LocalDate;
}

export type ChallengeInput = Omit<Challenge, 'id' | 'groupId'> & { key: string };

/**
 * What a preset sets: November is 50,000 words from the 1st to the 30th (this year's, or next year's
 * once this one is over); six months is every day for 180 days; publishing weekly is an article a
 * week for 12 weeks. The last two start today unless a start is given.
 */
export function presetOf(preset: ChallengePreset, today: LocalDate, start: LocalDate | undefined): Pick<Challenge, 'kind' | 'target' | 'startDate' | 'endDate'> {
  if (preset === 'november') {
    const year = Number(start?.slice(0, 4) ?? today.slice(0, 4)) + (start === undefined && today > `${today.slice(0, 4)}-11-30` ? 1 : 0);
    return { kind: 'words', target: 50_000, startDate: `${year}-11-01`, endDate: `${year}-11-30` };
  }
  const from = start ?? today;
  if (preset === 'six-months') return { kind: 'days', target: 180, startDate: from, endDate: addDays(from, 179) };
  return { kind: 'publish', target: 12, startDate: from, endDate: addDays(from, 12 * 7 - 1) };
}

/** Reads `/challenge create <name> <start> <end> [kind] [target]` or a preset; the reason names what is accepted. */
export function checkChallenge(input: { name?: string; start?: string; end?: string; kind?: string; target?: number }, today: LocalDate): Checked<ChallengeInput> {
  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) return { ok: false, reason: 'A challenge needs a name: /challenge create november, or /challenge create <name> <start> <end> [words|days|publish] [target].' };
  if (name.length > MAX_CHALLENGE_NAME) return { ok: false, reason: `A challenge name is at most ${MAX_CHALLENGE_NAME} characters; that one has ${name.length}.` };
  for (const [label, date] of [['start', input.start], ['end', input.end]] as const)
    if (date !== undefined && !isLocalDate(date)) return { ok: false, reason: `The ${label} of a challenge is a date, YYYY-MM-DD; got "${date}".` };
  // A preset's name is its kind too: `/challenge create november`.
  const kindText = (input.kind ?? ((CHALLENGE_PRESETS as readonly string[]).includes(name.toLowerCase()) ? name : 'words')).toLowerCase();
  let plan: Pick<Challenge, 'kind' | 'target' | 'startDate' | 'endDate'>;
  if ((CHALLENGE_PRESETS as readonly string[]).includes(kindText)) {
    plan = presetOf(kindText as ChallengePreset, today, input.start);
    if (input.end !== undefined) plan.endDate = input.end;
    if (input.target !== undefined) plan.target = input.target;
  } else {
    if (!(CHALLENGE_KINDS as readonly string[]).includes(kindText))
      return { ok: false, reason: `A challenge counts ${CHALLENGE_KINDS.join(', ')}, or is a preset (${CHALLENGE_PRESETS.join(', ')}); got "${input.kind}".` };
    if (input.start === undefined || input.end === undefined) return { ok: false, reason: 'A challenge needs its start and end dates: /challenge create spring 2027-03-01 2027-03-31 words 30000.' };
    const kind = kindText as ChallengeKind;
    plan = { kind, target: input.target ?? (kind === 'words' ? 50_000 : kind === 'days' ? daysBetween(input.start, input.end) + 1 : 1), startDate: input.start, endDate: input.end };
  }
  if (plan.endDate < plan.startDate) return { ok: false, reason: `A challenge cannot end (${plan.endDate}) before it starts (${plan.startDate}).` };
  if (plan.endDate < today) return { ok: false, reason: `That challenge would be over already: it ends ${plan.endDate}, and today is ${today}.` };
  const days = daysBetween(plan.startDate, plan.endDate) + 1;
  if (days > MAX_CHALLENGE_DAYS) return { ok: false, reason: `A challenge lasts at most ${MAX_CHALLENGE_DAYS} days; that one has ${days}.` };
  const max = plan.kind === 'days' ? days : MAX_TARGET[plan.kind];
  if (!Number.isSafeInteger(plan.target) || plan.target < 1 || plan.target > max)
    return { ok: false, reason: `A ${plan.kind} challenge's target is a whole number from 1 to ${max.toLocaleString('en-US')}; got ${plan.target}.` };
  return { ok: true, value: { name, key: name.toLowerCase(), ...plan } };
}

/** A member's standing: what they did, the target, and par from the day they joined (a late joiner is paced from then). */
export interface ChallengeStanding {
  memberId: number;
  done: number;
  joinedOn: LocalDate;
  par: number;
  /** done / par (done / target before any par is due): what the board ranks by. */
  progress: number;
  reached: boolean;
}

export function standingOf(challenge: Pick<Challenge, 'target' | 'startDate' | 'endDate'>, today: LocalDate, entry: { memberId: number; done: number; joinedOn: LocalDate }): ChallengeStanding {
  const from = entry.joinedOn > challenge.startDate ? (entry.joinedOn > challenge.endDate ? challenge.endDate : entry.joinedOn) : challenge.startDate;
  const day = today > challenge.endDate ? challenge.endDate : today;
  const par = day < from ? 0 : paceIn({ from, to: challenge.endDate }, day, challenge.target, entry.done).par;
  const progress = par > 0 ? entry.done / par : entry.done / challenge.target;
  return { memberId: entry.memberId, done: entry.done, joinedOn: entry.joinedOn, par, progress, reached: entry.done >= challenge.target };
}

/** The board's order: progress against par, then the count itself, then who joined first. */
export function rankStandings<T extends ChallengeStanding>(standings: readonly T[]): (T & { rank: number })[] {
  const sorted = [...standings].sort((a, b) => b.progress - a.progress || b.done - a.done || a.memberId - b.memberId);
  let rank = 0;
  return sorted.map((s, i) => {
    if (i === 0 || s.progress !== sorted[i - 1]!.progress || s.done !== sorted[i - 1]!.done) rank = i + 1;
    return { ...s, rank };
  });
}
