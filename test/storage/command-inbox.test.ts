import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery, ReplyAddress } from '../../src/core/chat-adapter';
import type { Actor, Invocation, Platform } from '../../src/core/invocation';
import { APOLOGY, privateReply, type Reply } from '../../src/core/reply';
import { insertInboxEntry } from '../../src/db/command-inbox.repository';
import { claimEvent } from '../../src/db/handled-event.repository';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { InboxEntryAlreadyDone, runForInboxEntry } from '../../src/db/inbox-scope';
import { migrateToLatest } from '../../src/db/migrate';
import { CommandInbox, type InboxSettings, type LateAnswers } from '../../src/router/command-inbox';
import { FakeClock } from '../fakes/fake-clock';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';

const SECOND = 1000;
const HOUR = 3_600_000;

function command(key: string, workspaceId = 'T1', text = '500'): Invocation {
  return {
    kind: 'command',
    name: 'log',
    args: { text },
    actor: { platform: 'slack', workspaceId, userId: `U-${key}`, displayName: 'Ada', isAdmin: false },
    conversation: { platform: 'slack', workspaceId, channelId: 'C1' },
    idempotencyKey: key,
  };
}

/** Where late answers went: through the platform (when it takes them) or by direct message. */
class RecordingAnswers implements LateAnswers {
  readonly platform: { key: string; text: string }[] = [];
  readonly direct: { userId: string; text: string }[] = [];
  /** How long the platform takes answers for. */
  windowMs = 30 * 60_000;

  async answerLater(_platform: Platform, replyTo: ReplyAddress, ageMs: number, reply: Reply): Promise<boolean> {
    if (ageMs > this.windowMs) return false;
    this.platform.push({ key: replyTo.key!, text: reply.text });
    return true;
  }

  async directMessage(to: Actor, reply: Reply): Promise<boolean> {
    this.direct.push({ userId: to.userId, text: reply.text });
    return true;
  }
}

for (const dialect of DIALECTS) {
  describe(`the command inbox on ${dialect}`, () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    const clock = new FakeClock(Date.parse('2026-03-02T12:00:00Z'));

    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      handle = openDatabase(database.config);
      await migrateToLatest(handle);
    });
    afterEach(async () => {
      await handle.close();
      await database.drop();
    });

    /** An inbox whose commands write a handled_events row named after their key (their "change"), and record each run. */
    const inboxOf = (owner: string, answers: LateAnswers, runs: string[], settings: Partial<InboxSettings> = {}, run?: (invocation: Invocation) => Promise<Reply>) =>
      new CommandInbox({
        db: handle.db,
        clock,
        logger: pino({ level: 'silent' }),
        owner,
        answers,
        settings,
        run:
          run ??
          (async (invocation) => {
            runs.push(invocation.idempotencyKey);
            await handle.db.transaction().execute((trx) => trx.insertInto('handled_events').values({ event_key: `change:${invocation.idempotencyKey}`, handled_at: clock.now() }).execute());
            return privateReply(`ran ${invocation.idempotencyKey}`);
          }),
      });

    /** Entries a process stored and acknowledged, then died holding (its claim runs out with the clock). */
    const leftBy = async (owner: string, invocations: Invocation[]) => {
      for (const invocation of invocations)
        await insertInboxEntry(handle.db, { invocation, replyTo: { key: invocation.idempotencyKey }, receivedAt: clock.now(), claimedBy: owner, claimedUntil: clock.now() + 10 * SECOND });
    };

    const changes = async () => (await handle.db.selectFrom('handled_events').select('event_key').orderBy('event_key').execute()).map((r) => r.event_key);

    it('GIVEN two processes recovering at once THEN each left entry runs once and is answered once', async () => {
      const keys = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, '0')}`);
      await leftBy('dead', keys.map((key) => command(key, `T${keys.indexOf(key) % 3}`)));
      clock.advance(11 * SECOND);
      const answers = new RecordingAnswers();
      const runs: string[] = [];
      const one = inboxOf('one', answers, runs, { batchSize: 4 });
      const two = inboxOf('two', answers, runs, { batchSize: 4 });
      // Rounds race until nothing is left (a batch that lost races comes back short and ends its round).
      for (let round = 0; round < 10; round++) {
        const taken = await Promise.all([one.recover(), two.recover(), one.recover(), two.recover()]);
        if (taken.every((n) => n === 0)) break;
      }
      expect([...runs].sort()).toEqual(keys);
      expect(answers.platform.map((a) => a.key).sort()).toEqual(keys);
      expect(await changes()).toEqual(keys.map((key) => `change:${key}`));
      // Nothing is left for a later round, and no finished entry keeps where to answer.
      expect(await one.recover()).toBe(0);
      expect(await handle.db.selectFrom('command_inbox').select('reply_to').where('reply_to', 'is not', null).execute()).toEqual([]);
    });

    it('GIVEN an entry still claimed by a live process THEN no other process takes it until the claim runs out', async () => {
      await leftBy('alive', [command('k1')]);
      const answers = new RecordingAnswers();
      const runs: string[] = [];
      const other = inboxOf('other', answers, runs);
      clock.advance(9 * SECOND);
      expect(await other.recover()).toBe(0);
      clock.advance(2 * SECOND);
      expect(await other.recover()).toBe(1);
      expect(runs).toEqual(['k1']);
    });

    it('GIVEN an entry whose change went in before its process died THEN it is not run again, and is answered with what happened', async () => {
      const invocation = command('k1');
      await leftBy('dead', [invocation]);
      await runForInboxEntry('k1', () => clock.now(), () => handle.db.transaction().execute((trx) => trx.insertInto('handled_events').values({ event_key: 'change:k1', handled_at: clock.now() }).execute()));
      clock.advance(11 * SECOND);
      const answers = new RecordingAnswers();
      const runs: string[] = [];
      await inboxOf('other', answers, runs).recover();
      expect(runs).toEqual([]);
      expect(await changes()).toEqual(['change:k1']);
      expect(answers.platform).toEqual([{ key: 'k1', text: 'Your /log 500 went through, but my answer to it did not arrive.' }]);
    });

    it('GIVEN a second run of an entry already done THEN its transaction is rolled back', async () => {
      await leftBy('dead', [command('k1')]);
      const change = (name: string) => () => handle.db.transaction().execute((trx) => trx.insertInto('handled_events').values({ event_key: name, handled_at: clock.now() }).execute());
      // A run's own later transactions commit as well.
      await runForInboxEntry('k1', () => clock.now(), async () => {
        await change('first')();
        await change('first, again')();
      });
      await expect(runForInboxEntry('k1', () => clock.now(), change('second'))).rejects.toBeInstanceOf(InboxEntryAlreadyDone);
      expect(await changes()).toEqual(['first', 'first, again']);
    });

    it('GIVEN a transaction whose commit is refused THEN the run marks its entry done with its next one', async () => {
      await leftBy('this', [command('k1')]);
      // A deferred foreign key is checked at the commit: a row pointing at no group makes the commit fail.
      await sql`create table deferred_check (group_id integer references groups (id) deferrable initially deferred)`.execute(handle.db);
      await runForInboxEntry('k1', () => clock.now(), async () => {
        await expect(handle.db.transaction().execute((trx) => sql`insert into deferred_check (group_id) values (999999)`.execute(trx))).rejects.toThrow(/foreign key/i);
        await handle.db.transaction().execute((trx) => trx.insertInto('handled_events').values({ event_key: 'the change', handled_at: clock.now() }).execute());
      });
      expect(await changes()).toEqual(['the change']);
      const entry = await handle.db.selectFrom('command_inbox').select('done_at').where('idempotency_key', '=', 'k1').executeTakeFirstOrThrow();
      expect(entry.done_at).not.toBeNull();
    });

    const doneAt = async (key = 'k1') => (await handle.db.selectFrom('command_inbox').select('done_at').where('idempotency_key', '=', key).executeTakeFirstOrThrow()).done_at;

    it('GIVEN a change made by one statement outside a transaction THEN it marks its entry done, and reads and statements that change nothing do not', async () => {
      await leftBy('this', [command('k1')]);
      await runForInboxEntry('k1', () => clock.now(), async () => {
        await handle.db.selectFrom('handled_events').selectAll().execute();
        await handle.db.deleteFrom('handled_events').where('event_key', '=', 'not there').execute();
        expect(await doneAt()).toBeNull();
        await handle.db.insertInto('handled_events').values({ event_key: 'the change', handled_at: clock.now() }).execute();
        expect(await doneAt()).toBe(clock.now());
      });
      expect(await changes()).toEqual(['the change']);
    });

    it('GIVEN a second run whose statement outside a transaction would change an entry done already THEN it is refused and changes nothing', async () => {
      await leftBy('dead', [command('k1')]);
      // A compiled query run again (db/prepared.ts) is raw SQL to the driver: it marks all the same.
      await runForInboxEntry('k1', () => clock.now(), () => claimEvent(handle.db, 'first', clock.now()));
      expect(await doneAt()).not.toBeNull();
      await expect(runForInboxEntry('k1', () => clock.now(), () => claimEvent(handle.db, 'second', clock.now()))).rejects.toBeInstanceOf(InboxEntryAlreadyDone);
      // Even one that would change nothing: the other run's answer says what happened.
      const removeNothing = () => handle.db.deleteFrom('handled_events').where('event_key', '=', 'not there').execute();
      await expect(runForInboxEntry('k1', () => clock.now(), removeNothing)).rejects.toBeInstanceOf(InboxEntryAlreadyDone);
      expect(await changes()).toEqual(['first']);
    });

    it('GIVEN a one-statement change whose process died while answering THEN recovery says it went through instead of running it again', async () => {
      await handle.db.insertInto('handled_events').values({ event_key: 'a goal', handled_at: clock.now() }).execute();
      // Like /goal clear: one delete, and a refusal when there is nothing to delete.
      const clearGoal = async () => {
        const removed = await handle.db.deleteFrom('handled_events').where('event_key', '=', 'a goal').executeTakeFirst();
        return privateReply(removed.numDeletedRows > 0n ? 'Goal cleared.' : 'You have no goal to clear.');
      };
      let answering!: () => void;
      const answerStarted = new Promise<void>((resolve) => (answering = resolve));
      const dying: Delivery = { acknowledge: async () => undefined, answer: () => (answering(), new Promise(() => undefined)), replyTo: { key: 'k1' } };
      void inboxOf('dying', new RecordingAnswers(), [], {}, clearGoal).handle(command('k1', 'T1', 'clear'), dying);
      await answerStarted;
      // Its process is gone: nobody renews the claim.
      await handle.db.updateTable('command_inbox').set({ claimed_by: 'dead' }).where('idempotency_key', '=', 'k1').execute();
      clock.advance(11 * SECOND);
      const answers = new RecordingAnswers();
      expect(await inboxOf('other', answers, [], {}, clearGoal).recover()).toBe(1);
      expect(answers.platform).toEqual([{ key: 'k1', text: 'Your /log clear went through, but my answer to it did not arrive.' }]);
      expect(await changes()).toEqual([]);
    });

    it('GIVEN a live command whose entry another process finished first THEN its change is rolled back and it does not answer', async () => {
      const answered: (Reply | void)[] = [];
      let acknowledged = 0;
      const change = (name: string) => handle.db.transaction().execute((trx) => trx.insertInto('handled_events').values({ event_key: name, handled_at: clock.now() }).execute());
      const live = inboxOf('live', new RecordingAnswers(), [], {}, async (invocation) => {
        // Meanwhile another process took the entry over and made its change.
        await runForInboxEntry(invocation.idempotencyKey, () => clock.now(), () => change('by the other process'));
        // The router turns the refused commit into an apology, as it does every failure.
        return change('by the live process').then(
          () => privateReply('changed'),
          () => privateReply(APOLOGY),
        );
      });
      const returned = await live.handle(command('k1'), { acknowledge: async () => void acknowledged++, answer: async (reply) => void answered.push(reply), replyTo: { key: 'k1' } });
      expect(returned).toBeUndefined();
      expect(acknowledged).toBe(1);
      expect(answered).toEqual([]);
      expect(await changes()).toEqual(['by the other process']);
    });

    /** A delivery as an adapter hands it over, recording the answers it is given. */
    const deliveryInto = (answered: string[], key = 'k1'): Delivery => ({ acknowledge: async () => undefined, answer: async (reply) => void answered.push(reply ? reply.text : '(no reply)'), replyTo: { key } });

    /** A command whose change has no key of its own (each run would add another row); a refused commit is answered with the apology, as the router does. */
    const unkeyedChange = (runs: string[]) => async (invocation: Invocation) => {
      const run = runs.push(invocation.idempotencyKey);
      return handle.db
        .transaction()
        .execute((trx) => trx.insertInto('handled_events').values({ event_key: `change by run ${run}`, handled_at: clock.now() }).execute())
        .then(
          () => privateReply(`changed by run ${run}`),
          () => privateReply(APOLOGY),
        );
    };

    it('GIVEN one command delivered twice at once THEN its change is made once and it is answered once', async () => {
      const answered: string[] = [];
      const runs: string[] = [];
      const inbox = inboxOf('live', new RecordingAnswers(), runs, {}, unkeyedChange(runs));
      await Promise.all([inbox.handle(command('k1'), deliveryInto(answered)), inbox.handle(command('k1'), deliveryInto(answered))]);
      expect(runs).toEqual(['k1', 'k1']);
      expect(await changes()).toHaveLength(1);
      expect(answered).toEqual([(await changes())[0]!.replace('change', 'changed')]);
      // Finished: a later recovery has nothing to answer.
      clock.advance(11 * SECOND);
      expect(await inbox.recover()).toBe(0);
    });

    it('GIVEN a second delivery of a command whose process died before its change THEN it is run and answered there, once', async () => {
      await leftBy('dead', [command('k1')]);
      const answered: string[] = [];
      const runs: string[] = [];
      const answers = new RecordingAnswers();
      const inbox = inboxOf('other', answers, runs);
      await inbox.handle(command('k1'), deliveryInto(answered));
      expect(answered).toEqual(['ran k1']);
      clock.advance(11 * SECOND);
      expect(await inbox.recover()).toBe(0);
      expect(runs).toEqual(['k1']);
      expect(answers.platform).toEqual([]);
      expect(await changes()).toEqual(['change:k1']);
    });

    it('GIVEN a second delivery of a command already done THEN it changes nothing and is not answered again', async () => {
      const answered: string[] = [];
      const runs: string[] = [];
      const inbox = inboxOf('live', new RecordingAnswers(), runs, {}, unkeyedChange(runs));
      await inbox.handle(command('k1'), deliveryInto(answered));
      await inbox.handle(command('k1'), deliveryInto(answered));
      expect(runs).toEqual(['k1', 'k1']);
      expect(await changes()).toEqual(['change by run 1']);
      expect(answered).toEqual(['changed by run 1']);
    });

    it('GIVEN an inbox that cannot be written THEN the command still runs and is answered, and the failure is logged', async () => {
      await sql`drop table command_inbox`.execute(handle.db);
      const logged: string[] = [];
      const answered: string[] = [];
      const inbox = new CommandInbox({
        db: handle.db,
        clock,
        logger: pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line).msg) }),
        owner: 'live',
        answers: new RecordingAnswers(),
        run: async () => privateReply('ran anyway'),
      });
      await inbox.handle(command('k1'), deliveryInto(answered));
      expect(answered).toEqual(['ran anyway']);
      expect(logged).toEqual(['inbox write failed; running the command without it']);
    });

    it('GIVEN an entry past the platform window THEN it is answered by a short direct message saying what happened', async () => {
      await leftBy('dead', [command('k1', 'T1', '750')]);
      clock.advance(31 * 60_000);
      const answers = new RecordingAnswers();
      const runs: string[] = [];
      await inboxOf('other', answers, runs).recover();
      expect(answers.platform).toEqual([]);
      expect(answers.direct).toEqual([{ userId: 'U-k1', text: "I couldn't answer your /log 750 in <#C1> there in time, so here is what happened:\nran k1" }]);
    });

    it('GIVEN a command that now fails THEN it is answered with the apology and marked finished, never retried', async () => {
      await leftBy('dead', [command('k1')]);
      clock.advance(11 * SECOND);
      const answers = new RecordingAnswers();
      const failing = inboxOf('other', answers, [], {}, async () => privateReply(APOLOGY));
      expect(await failing.recover()).toBe(1);
      expect(answers.platform).toEqual([{ key: 'k1', text: APOLOGY }]);
      clock.advance(HOUR);
      expect(await failing.recover()).toBe(0);
    });

    it("GIVEN one workspace's backlog and a hung command THEN another workspace's entry is answered in the first batch, and the hung one with an apology at its deadline", async () => {
      await leftBy('dead', Array.from({ length: 50 }, (_, i) => command(`busy-${String(i).padStart(2, '0')}`, 'T-BUSY')));
      clock.advance(SECOND);
      await leftBy('dead', [command('quiet-1', 'T-QUIET')]);
      clock.advance(11 * SECOND);
      const answers = new RecordingAnswers();
      const runs: string[] = [];
      const hung = new Promise<Reply>(() => undefined);
      const inbox = inboxOf('other', answers, runs, { batchSize: 5, entryDeadlineMs: 200 }, async (invocation) => {
        if (invocation.idempotencyKey === 'busy-00') return hung;
        runs.push(invocation.idempotencyKey);
        return privateReply(`ran ${invocation.idempotencyKey}`);
      });
      await inbox.recover();
      // The first batch of five held the busy workspace's oldest and the quiet one's only entry.
      expect(runs.slice(0, 4)).toContain('quiet-1');
      expect(answers.platform.find((a) => a.key === 'busy-00')).toEqual({ key: 'busy-00', text: APOLOGY });
      // A round is bounded: three batches of five, the rest wait for the next round.
      expect(answers.platform).toHaveLength(15);
    });

    it('GIVEN a recovered command whose change would commit after its deadline THEN it is refused, so the apology saying nothing was changed is true', async () => {
      await leftBy('dead', [command('k1')]);
      clock.advance(11 * SECOND);
      let answered!: () => void;
      const answeredLate = new Promise<void>((resolve) => (answered = resolve));
      const answers = new RecordingAnswers();
      answers.answerLater = async (_platform, replyTo, _ageMs, reply) => {
        answers.platform.push({ key: replyTo.key!, text: reply.text });
        answered();
        return true;
      };
      const attempts: Promise<string[]> = new Promise((resolve) => {
        const slow = inboxOf('other', answers, [], { entryDeadlineMs: 50 }, async () => {
          // A slow command: it gets to its change only once the deadline's answer went out.
          await answeredLate;
          const outcome = (write: Promise<unknown>) => write.then(() => 'committed', (error: Error) => error.name);
          resolve([
            await outcome(handle.db.transaction().execute((trx) => trx.insertInto('handled_events').values({ event_key: 'in a transaction', handled_at: clock.now() }).execute())),
            await outcome(handle.db.insertInto('handled_events').values({ event_key: 'on its own', handled_at: clock.now() }).execute()),
          ]);
          return privateReply('logged');
        });
        void slow.recover();
      });
      expect(await attempts).toEqual(['InboxRunAbandoned', 'InboxRunAbandoned']);
      expect(answers.platform).toEqual([{ key: 'k1', text: APOLOGY }]);
      expect(await changes()).toEqual([]);
    });

    it('GIVEN a recovered command whose change went in but whose answer is not ready by its deadline THEN it is answered that it went through', async () => {
      await leftBy('dead', [command('k1')]);
      clock.advance(11 * SECOND);
      const answers = new RecordingAnswers();
      const inbox = inboxOf('other', answers, [], { entryDeadlineMs: 50 }, async () => {
        await handle.db.transaction().execute((trx) => trx.insertInto('handled_events').values({ event_key: 'the change', handled_at: clock.now() }).execute());
        // Its answer (a picture, say) never comes.
        return new Promise<Reply>(() => undefined);
      });
      expect(await inbox.recover()).toBe(1);
      expect(answers.platform).toEqual([{ key: 'k1', text: 'Your /log 500 went through, but my answer to it did not arrive.' }]);
      expect(await changes()).toEqual(['the change']);
    });

    // Only Postgres has a commit that can wait past a timer: better-sqlite3 commits synchronously.
    if (dialect === 'postgres')
      it('GIVEN commits under way at the deadline THEN each answer waits for its commit and says what it did', async () => {
        await leftBy('dead', [command('k1'), command('k2')]);
        clock.advance(11 * SECOND);
        // k2's change breaks a deferred foreign key: its commit fails after its entry was marked.
        await sql`create table deferred_check (group_id integer references groups (id) deferrable initially deferred)`.execute(handle.db);
        const other = new pg.Client({ connectionString: (database.config as { postgresUrl: string }).postgresUrl });
        await other.connect();
        let released!: Promise<unknown>;
        let locking: Promise<void> | undefined;
        // Another connection holds both entries' rows for a while, so the runs' commits wait on it past the deadline.
        const lockEntries = () =>
          (locking ??= (async () => {
            await other.query('begin');
            await other.query("select 1 from command_inbox where idempotency_key in ('k1', 'k2') for update");
            released = new Promise((resolve) => setTimeout(resolve, 300)).then(() => other.query('commit'));
          })());
        const answers = new RecordingAnswers();
        const inbox = inboxOf('other', answers, [], { entryDeadlineMs: 100 }, async (invocation) => {
          await lockEntries();
          const change = invocation.idempotencyKey === 'k1' ? sql`insert into handled_events (event_key, handled_at) values ('the change', 1)` : sql`insert into deferred_check (group_id) values (999999)`;
          return handle.db
            .transaction()
            .execute((trx) => change.execute(trx))
            .then(
              () => privateReply('changed'),
              () => privateReply(APOLOGY),
            );
        });
        expect(await inbox.recover()).toBe(2);
        await released;
        await other.end();
        expect([...answers.platform].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
          { key: 'k1', text: 'Your /log 500 went through, but my answer to it did not arrive.' },
          { key: 'k2', text: APOLOGY },
        ]);
        expect(await changes()).toEqual(['the change']);
        expect((await sql<{ n: number }>`select count(*) as n from deferred_check`.execute(handle.db)).rows).toEqual([{ n: 0 }]);
      });

    it('GIVEN a stored entry that cannot be read THEN it is finished without holding up the others', async () => {
      await leftBy('dead', [command('broken'), command('fine')]);
      await handle.db.updateTable('command_inbox').set({ invocation: '{"kind":"comm' }).where('idempotency_key', '=', 'broken').execute();
      clock.advance(11 * SECOND);
      const answers = new RecordingAnswers();
      const runs: string[] = [];
      const inbox = inboxOf('other', answers, runs);
      expect(await inbox.recover()).toBe(1);
      expect(runs).toEqual(['fine']);
      clock.advance(HOUR);
      expect(await inbox.recover()).toBe(0);
    });

    it('GIVEN entries older than a day THEN the prune removes them and keeps the newer ones', async () => {
      await leftBy('dead', [command('old')]);
      clock.advance(23 * HOUR);
      await leftBy('dead', [command('new')]);
      clock.advance(2 * HOUR);
      await inboxOf('other', new RecordingAnswers(), []).prune(clock.now());
      expect((await handle.db.selectFrom('command_inbox').select('idempotency_key').execute()).map((r) => r.idempotency_key)).toEqual(['new']);
    });
  });
}
