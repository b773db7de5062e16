import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { type BotProcess, cleanUpAfterEach, databaseEnv, spawnBot, until } from '../support/bot-process';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';

const MINUTE = 60_000;
/** node-cron rounds come every 15 seconds: waiting longer than one lets at least one more round run. */
const MORE_THAN_A_ROUND_MS = 16_000;

/** The console prints a relative time as its instant in UTC. */
const consoleTime = (instant: number) => `at ${new Date(instant).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

async function storedSprint(database: TestDatabase) {
  const handle = openDatabase(database.config);
  try {
    const sprints = await handle.db.selectFrom('sprints').select(['id', 'start_at', 'end_at', 'minutes']).execute();
    const logs = await handle.db
      .selectFrom('logs')
      .innerJoin('members', 'members.id', 'logs.member_id')
      .innerJoin('people', 'people.id', 'members.person_id')
      .select(['people.user_id', 'logs.words', 'logs.minutes', 'logs.local_date'])
      .where('logs.source', '=', 'sprint')
      .orderBy('people.user_id')
      .execute();
    return { sprints, logs };
  } finally {
    await handle.close();
  }
}

describe.each(DIALECTS)('a sprint whose process was killed while it ran (%s)', (dialect) => {
  const { later, started } = cleanUpAfterEach();

  /** Types a line on the bot's console and waits for a printed line matching `answer` after it. */
  async function say(bot: BotProcess, line: string, answer: RegExp): Promise<string> {
    const from = bot.printed.length;
    bot.child.stdin.write(`${line}\n`);
    let found: string | undefined;
    await until(() => (found = bot.printed.slice(from).find((printed) => answer.test(printed))) !== undefined, `an answer to ${line}: ${bot.printed.slice(from).join(' | ')}`, 30_000);
    return found!;
  }

  it('posts the results once after a restart past its end, over its true times, and logs each writer once', async () => {
    const database = await createTestDatabase(dialect);
    later(() => database.drop());
    const env = { CONSOLE_USER: 'Ada', ...databaseEnv(database) };

    const first = started(spawnBot(env));
    await say(first, '/setup UTC', /writing group/);
    await say(first, '/sprint start 20 in:0', /You're in with a starting count of 0/);
    await say(first, '/as Reed', /Reed/);
    await say(first, '/sprint join', /You're in with a starting count of 0/);
    // Counts stay below the group's 150 words a minute, so none waits for a confirmation.
    await say(first, '/sprint words 100', /100 counted: 100 words this sprint/);
    await say(first, '/as Ada', /Ada/);
    await say(first, '/sprint words 80', /80 counted: 80 words this sprint/);
    await first.kill();

    const before = await storedSprint(database);
    expect(before.sprints).toHaveLength(1);
    const sprint = before.sprints[0]!;
    expect(sprint.end_at - sprint.start_at).toBe(20 * MINUTE);
    const announcement = first.printed.find((line) => line.includes('🏃 Sprint! 20 minutes'));
    expect(announcement, first.printed.join('\n')).toBeDefined();
    expect(first.printed).toContain(`Starts ${consoleTime(sprint.start_at)}, ends ${consoleTime(sprint.end_at)}.`);
    expect(before.logs).toEqual([]);

    // Back well after the end and the two-minute window: the process reads a wall clock that far ahead.
    const clockShiftMs = sprint.end_at + 5 * MINUTE - Date.now();
    const second = started(spawnBot(env, { clockShiftMs }));
    const resultsHeading = (bot: BotProcess) => bot.printed.filter((line) => line.includes('🏆 Sprint results'));
    await until(() => resultsHeading(second).length > 0, `the results after the restart: ${second.printed.join(' | ')}`, 60_000);
    const at = second.printed.findIndex((line) => line.includes('🏆 Sprint results'));
    expect([second.printed[at]!.replace(/^\[#[^\]]*\] /, ''), ...second.printed.slice(at + 1, at + 4)]).toEqual([
      '🏆 Sprint results (20 minutes)',
      '1. Reed: 100 words, 5 wpm',
      '2. Ada: 80 words, 4 wpm',
      "Everyone's words are in their log for the day.",
    ]);
    // Nothing of the sprint was left for the restarted process to announce again.
    expect(second.printed.filter((line) => line.includes('🏃 Sprint!') || line.includes("⏰ Time's up") || line.includes('🟢 Go'))).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, MORE_THAN_A_ROUND_MS));
    expect(resultsHeading(second)).toHaveLength(1);
    const endDay = new Date(sprint.end_at).toISOString().slice(0, 10);
    expect((await storedSprint(database)).logs).toEqual([
      { user_id: 'ada', words: 80, minutes: 20, local_date: endDay },
      { user_id: 'reed', words: 100, minutes: 20, local_date: endDay },
    ]);
    expect(second.logs.filter((line) => line.level >= 50)).toEqual([]);
  }, 120_000);
});
