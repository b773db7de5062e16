import type { Delivery, InvocationHandler, ReplyAddress } from '../core/chat-adapter';
import type { Clock, Timer } from '../core/clock';
import { clip, plain } from '../core/format';
import type { Actor, Invocation, Platform } from '../core/invocation';
import { APOLOGY, privateReply, type Reply } from '../core/reply';
import {
  claimUnansweredEntries,
  type InboxEntry,
  insertInboxEntry,
  markInboxAnswered,
  pruneInbox,
  releaseInboxEntry,
  renewInboxClaims,
} from '../db/command-inbox.repository';
import type { Db } from '../db/database';
import { abandonInboxRun, type InboxScope, runForInboxEntry } from '../db/inbox-scope';
import type { Logger } from '../logger';

/** How the inbox answers a command whose first process is gone. */
export interface LateAnswers {
  /** Through the address the platform gave, if it still takes it; false when it does not. */
  answerLater(platform: Platform, replyTo: ReplyAddress, ageMs: number, reply: Reply): Promise<boolean>;
  /** False when it could not be sent. */
  directMessage(to: Actor, reply: Reply): Promise<boolean>;
}

export interface InboxSettings {
  /** How long a running entry's claim lasts; the process renews it while the command runs. */
  claimMs: number;
  /** An unanswered entry is taken up by another run only once it is at least this old. */
  recoverAfterMs: number;
  /** How long one recovered entry may run before it is answered with an apology instead. */
  entryDeadlineMs: number;
  /** Entries recovered per round, the oldest of each workspace in turn. */
  batchSize: number;
  /** Times an entry is taken up before its answer is given up on. */
  maxAttempts: number;
  /** How long entries are kept (every platform's window for an answer is far shorter). */
  keptMs: number;
}

export const DEFAULT_INBOX_SETTINGS: InboxSettings = {
  claimMs: 10_000,
  recoverAfterMs: 5_000,
  entryDeadlineMs: 30_000,
  batchSize: 20,
  maxAttempts: 3,
  keptMs: 24 * 3_600_000,
};

/** At most this many batches per round of recovery (each within the entry deadline, so a round stays inside the scheduler's task deadline); the next round goes on. */
const BATCHES_PER_ROUND = 3;

export interface CommandInboxDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Runs an invocation; never throws (the Router). */
  run: (invocation: Invocation) => Promise<Reply | void>;
  answers: LateAnswers;
  /** This process, as claims name it. */
  owner: string;
  settings?: Partial<InboxSettings>;
}

/**
 * The durable inbox in front of the router. A command an adapter must acknowledge is stored first
 * (one insert), then acknowledged, then run; the transaction that makes its change also marks it
 * done (db/inbox-scope.ts), and it is finished once its answer reached the platform. An entry left
 * unanswered by a process that died is taken up by `recover`: run once if its change is not in,
 * and answered through the platform while it still takes answers, or else by direct message.
 */
export class CommandInbox {
  readonly settings: InboxSettings;
  /** Entries this process is running live, whose claims it keeps renewed. */
  private readonly running = new Set<string>();
  private renewal?: Timer;

  constructor(private readonly deps: CommandInboxDeps) {
    this.settings = { ...DEFAULT_INBOX_SETTINGS, ...deps.settings };
  }

  /** The handler adapters are started with. Invocations without a delivery go straight to the router. */
  readonly handle: InvocationHandler = async (invocation, delivery) => {
    if (!delivery) return this.deps.run(invocation);
    const stored = await this.store(invocation, delivery);
    await delivery.acknowledge();
    if (stored === 'not stored') {
      await delivery.answer(await this.deps.run(invocation));
      return;
    }
    // A second delivery of a stored key runs in that entry's scope too, so only one run makes its change;
    // the claim stays with the run that stored it.
    const claimed = stored === 'stored';
    if (claimed) this.hold(invocation.idempotencyKey);
    try {
      const { reply, takenByAnother } = await this.runEntry(invocation);
      if (takenByAnother) return;
      await delivery.answer(reply);
      await markInboxAnswered(this.deps.db, invocation.idempotencyKey, this.deps.clock.now());
    } finally {
      if (claimed) this.release(invocation.idempotencyKey);
    }
  };

  /**
   * One round of recovery: claims a bounded batch of unanswered entries that their process left
   * (the oldest of each workspace first) and finishes each within its deadline, side by side.
   */
  async recover(): Promise<number> {
    const { db, clock, owner } = this.deps;
    const { batchSize, recoverAfterMs, entryDeadlineMs, claimMs } = this.settings;
    let recovered = 0;
    // Batch after batch while they come full, up to a bound, so a backlog does not wait for many rounds.
    for (let batch = 0; batch < BATCHES_PER_ROUND; batch++) {
      const now = clock.now();
      const { claimed, unreadable } = await claimUnansweredEntries(db, { owner, now, until: now + entryDeadlineMs + claimMs, receivedBefore: now - recoverAfterMs, limit: batchSize });
      if (unreadable.length) this.deps.logger.error({ keys: unreadable }, 'stored commands could not be read; finished without an answer');
      await Promise.all(claimed.map((entry) => this.finish(entry)));
      recovered += claimed.length;
      if (claimed.length + unreadable.length < batchSize) break;
    }
    return recovered;
  }

  /** Forgets entries older than `keptMs`. */
  async prune(now: number): Promise<void> {
    const removed = await pruneInbox(this.deps.db, now - this.settings.keptMs);
    if (removed) this.deps.logger.debug({ removed }, 'old inbox entries pruned');
  }

  /** Whether the invocation is stored now, was stored already (a second delivery), or could not be stored (logged). */
  private async store(invocation: Invocation, delivery: Delivery): Promise<'stored' | 'stored already' | 'not stored'> {
    const now = this.deps.clock.now();
    try {
      const inserted = await insertInboxEntry(this.deps.db, { invocation, replyTo: delivery.replyTo, receivedAt: now, claimedBy: this.deps.owner, claimedUntil: now + this.settings.claimMs });
      return inserted ? 'stored' : 'stored already';
    } catch (error) {
      this.deps.logger.error({ err: error, key: invocation.idempotencyKey }, 'inbox write failed; running the command without it');
      return 'not stored';
    }
  }

  /** Runs the invocation as its entry's run; `started` is handed the run's scope. */
  private async runEntry(invocation: Invocation, started?: (scope: InboxScope) => void): Promise<{ reply: Reply | void; takenByAnother: boolean }> {
    return runForInboxEntry(invocation.idempotencyKey, () => this.deps.clock.now(), async (scope) => {
      started?.(scope);
      const reply = await this.deps.run(invocation);
      return { reply, takenByAnother: scope.takenByAnother };
    });
  }

  /** Runs a recovered entry (unless its change is in already) and answers it; an answer not delivered is tried again by a later round. */
  private async finish(entry: InboxEntry): Promise<void> {
    const { db, clock, logger, owner } = this.deps;
    const which = { key: entry.key, attempt: entry.attempts };
    try {
      let reply: Reply;
      if (entry.done) {
        reply = wentThrough(entry.invocation);
      } else {
        let scope!: InboxScope;
        const outcome = await this.withinDeadline(this.runEntry(entry.invocation, (started) => (scope = started)));
        if (outcome) {
          if (outcome.takenByAnother) return;
          reply = outcome.reply ?? privateReply('Done.');
        } else {
          // Given up: nothing of the run commits from now on, so the answer can say truly whether its change is in.
          const changed = await abandonInboxRun(scope);
          if (scope.takenByAnother) return;
          reply = changed ? wentThrough(entry.invocation) : privateReply(APOLOGY);
          logger.error({ ...which, deadlineMs: this.settings.entryDeadlineMs, changed }, 'recovered command passed its deadline; abandoned');
        }
      }
      const delivered = await this.deliverLate(entry, reply);
      if (delivered || entry.attempts >= this.settings.maxAttempts) {
        if (!delivered) logger.warn(which, 'recovered command could not be answered; giving up');
        await markInboxAnswered(db, entry.key, clock.now());
      } else {
        await releaseInboxEntry(db, entry.key, owner);
      }
    } catch (error) {
      logger.error({ err: error, ...which }, 'recovering a command failed');
      await releaseInboxEntry(db, entry.key, owner).catch(() => undefined);
    }
  }

  /** Through the platform while it still takes answers, else a short direct message saying what happened. */
  private async deliverLate(entry: InboxEntry, reply: Reply): Promise<boolean> {
    const { answers, clock } = this.deps;
    const { conversation, actor } = entry.invocation;
    if (entry.replyTo && (await answers.answerLater(conversation.platform, entry.replyTo, clock.now() - entry.receivedAt, reply))) return true;
    const where = conversation.isDirect ? '' : ` in <#${conversation.channelId}>`;
    const note = `I couldn't answer ${described(entry.invocation).replace(/^Your/, 'your')}${where} there in time, so here is what happened:\n${reply.text}`;
    return answers.directMessage(actor, privateReply(note));
  }

  /** The work's outcome, or undefined once the entry's deadline has passed (the run is then abandoned). */
  private async withinDeadline<T>(work: Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.settings.entryDeadlineMs)));
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private hold(key: string): void {
    this.running.add(key);
    this.renewal ??= this.deps.clock.after(this.settings.claimMs / 2, () => this.renew());
  }

  private release(key: string): void {
    this.running.delete(key);
  }

  /** Renews the claims of entries still running live, while there are any. */
  private renew(): void {
    this.renewal = undefined;
    if (this.running.size === 0) return;
    const { db, clock, logger, owner } = this.deps;
    renewInboxClaims(db, owner, [...this.running], clock.now() + this.settings.claimMs).catch((error: unknown) => logger.warn({ err: error }, 'renewing inbox claims failed'));
    this.renewal = clock.after(this.settings.claimMs / 2, () => this.renew());
  }
}

/** The answer for a command whose change is in but whose own answer never came. */
function wentThrough(invocation: Invocation): Reply {
  return privateReply(`${described(invocation)} went through, but my answer to it did not arrive.`);
}

/** "Your /log 500" or "Your click on a button", for the notes a late answer carries. */
function described(invocation: Invocation): string {
  if (invocation.kind === 'command') {
    const text = 'text' in invocation.args ? invocation.args.text : Object.entries(invocation.args.values).map(([name, value]) => `${name}:${String(value)}`).join(' ');
    return `Your /${invocation.name}${text ? ` ${plain(clip(text, 60))}` : ''}`;
  }
  return invocation.kind === 'form' ? 'Your form' : 'Your click on a button';
}
