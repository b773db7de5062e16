import { PermissionFlagsBits } from 'discord.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { ChannelKind, FakeDiscord, snowflake } from '../fakes/discord/fake-discord';
import { FakeSlack, sendSignedRequest, slashCommand } from '../fakes/slack/fake-slack';
import { type BotProcess, cleanUpAfterEach, databaseEnv, spawnBot, until } from '../support/bot-process';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';

/** Commands in the burst, and how many the platform must have seen acknowledged when the process is killed. */
const BURST = 100;
const KILL_AFTER_ACKS = 30;
/** Members who each publish an article whose page takes SLOW_PAGE_MS to load (each member may fetch a few pages at a time). */
const SLOW_PUBLISHES = 6;
const SLOW_PAGE_MS = 4000;
/** A claim lasts 10 s, rounds come every 15 s and take up to 60 entries: recovery is done well within this. */
const RECOVERY_MS = 150_000;

/** How many log rows each event key has, and whether every stored command is finished. */
async function storedState(database: TestDatabase) {
  const handle: DatabaseHandle = openDatabase(database.config);
  try {
    const logs = await handle.db.selectFrom('logs').select('event_key').execute();
    const publications = await handle.db.selectFrom('publications').select('url').execute();
    const publicationsByUrl = new Map<string, number>();
    for (const { url } of publications) publicationsByUrl.set(url, (publicationsByUrl.get(url) ?? 0) + 1);
    const inbox = await handle.db.selectFrom('command_inbox').select(['idempotency_key', 'answered_at', 'attempts']).execute();
    const logsByKey = new Map<string, number>();
    for (const { event_key } of logs) if (event_key) logsByKey.set(event_key, (logsByKey.get(event_key) ?? 0) + 1);
    return { logsByKey, inbox, publicationsByUrl };
  } finally {
    await handle.close();
  }
}

const allAnswered = async (database: TestDatabase) => (await storedState(database)).inbox.every((entry) => entry.answered_at !== null);

describe.each(DIALECTS)('acknowledged commands survive a SIGKILL in the middle of a burst (%s)', (dialect) => {
  const { later, started } = cleanUpAfterEach();

  it('on Slack: each acknowledged /log is stored once and answered once through its response_url', async () => {
    const database = await createTestDatabase(dialect);
    later(() => database.drop());
    const admin = 'U0ADMIN';
    const writers = ['U0WRITER1', 'U0WRITER2', 'U0WRITER3'];
    const fake = await FakeSlack.start({ users: [{ id: admin, name: 'ada', isAdmin: true }, ...writers.map((id) => ({ id, name: id.toLowerCase() }))] });
    later(() => fake.stop());
    const signingSecret = 'abcdef0123456789abcdef0123456789';
    const env = { SLACK_BOT_TOKEN: 'xoxb-1111-2222-fake', SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: fake.apiUrl, PORT: '0', ...databaseEnv(database) };
    const eventsUrl = async (bot: BotProcess) => `http://127.0.0.1:${Number((await bot.waitForLog('slack connected')).port)}/slack/events`;

    const first = started(spawnBot(env));
    const firstUrl = await eventsUrl(first);
    const setup = await sendSignedRequest(firstUrl, slashCommand({ command: '/setup', text: 'timezone:UTC', userId: admin, responseUrl: fake.responseUrl('setup') }), { signingSecret });
    expect(setup.status).toBe(200);
    await fake.waitForResponse((r) => r.id === 'setup');

    // Commands keep coming a few milliseconds apart until the process is killed.
    const triggers: string[] = [];
    const acknowledged = new Set<string>();
    const requests: Promise<void>[] = [];
    let killed = false;
    const burst = (async () => {
      for (let i = 0; i < 10 * BURST && !killed; i++) {
        const trigger = `burst.${i}.trigger`;
        triggers.push(trigger);
        const delivery = slashCommand({ command: '/log', text: '1', userId: writers[i % writers.length], triggerId: trigger, responseUrl: fake.responseUrl(trigger) });
        requests.push(
          sendSignedRequest(firstUrl, delivery, { signingSecret }).then(
            (sent) => void (sent.status === 200 && acknowledged.add(trigger)),
            () => undefined,
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await until(() => acknowledged.size >= KILL_AFTER_ACKS, 'acknowledgements of the burst', 60_000, 1);
    // Slack has no way to ask whether a response_url answer arrived, so an answer Slack accepted in the
    // instant before the process recorded it would be sent again (at least once, never lost). The kill
    // lands outside that instant: Slack stops taking answers, the process records those it took, and
    // dies with the rest of the burst stored, running, committed or answering.
    const resume = fake.holdResponses();
    const answeredBeforeKill = fake.responses.filter((r) => r.id !== 'setup');
    await until(async () => {
      const { inbox } = await storedState(database);
      const recorded = new Set(inbox.filter((entry) => entry.answered_at !== null).map((entry) => entry.idempotency_key));
      return answeredBeforeKill.every((r) => recorded.has(`slack:command:${r.id}`));
    }, 'the answers Slack took to be recorded');
    await first.kill();
    killed = true;
    resume();
    await burst;
    await Promise.all(requests);

    const second = started(spawnBot(env));
    await second.waitForLog('slack connected');
    await until(() => allAnswered(database), 'every stored command to be answered', RECOVERY_MS);

    const { logsByKey, inbox } = await storedState(database);
    const stored = new Set(inbox.map((entry) => entry.idempotency_key));
    const responsesTo = (trigger: string) => fake.responses.filter((r) => r.id === trigger).length;
    console.log(
      `slack on ${dialect}: ${acknowledged.size} of ${triggers.length} acknowledged before the kill, ${answeredBeforeKill.length} answered by then, ${stored.size - 1} stored; after the restart every one answered`,
    );
    expect(acknowledged.size).toBeLessThan(triggers.length);
    for (const trigger of acknowledged) {
      const key = `slack:command:${trigger}`;
      expect(stored.has(key), `${key} is stored`).toBe(true);
      expect(logsByKey.get(key) ?? 0, `${key} is logged once`).toBe(1);
      expect(responsesTo(trigger), `${trigger} is answered once`).toBe(1);
    }
    // Stored but not acknowledged (the process died between the insert and the ack): run at most once too.
    for (const trigger of triggers) expect(responsesTo(trigger)).toBeLessThanOrEqual(1);
    expect([...logsByKey.values()].every((count) => count === 1)).toBe(true);
    // Every recovered answer was a real answer, not an apology.
    const recovered = fake.responses.filter((r) => r.id !== 'setup' && JSON.stringify(r.body).includes('Sorry'));
    expect(recovered).toEqual([]);
  }, 240_000);

  it('on Discord: each acknowledged /log is stored once and answered once through its interaction', async () => {
    const database = await createTestDatabase(dialect);
    later(() => database.drop());
    const guildId = snowflake();
    const writing = snowflake();
    const ada = { id: snowflake(), username: 'ada', globalName: 'Ada' };
    const writers = Array.from({ length: SLOW_PUBLISHES }, (_, n) => ({ id: snowflake(), username: `writer${n}` }));
    const fake = await FakeDiscord.start({
      guilds: [{ id: guildId, name: 'Writers', channels: [{ id: writing, name: 'writing', type: ChannelKind.GuildText }], members: [ada, ...writers].map((user) => ({ user })) }],
    });
    later(() => fake.stop());
    // Article pages that take a while to load, so /publish runs past Discord's 2 seconds and is deferred.
    const slowPages = createServer((request, response) => {
      setTimeout(() => response.writeHead(200, { 'content-type': 'text/html' }).end(`<title>Article ${request.url}</title>`), SLOW_PAGE_MS);
    });
    await new Promise<void>((resolve) => slowPages.listen(0, '127.0.0.1', resolve));
    later(() => new Promise((resolve) => slowPages.close(() => resolve())));
    const pageUrl = (n: number) => `http://127.0.0.1:${(slowPages.address() as AddressInfo).port}/article-${n}`;
    const env = {
      DISCORD_TOKEN: 'test-token-for-the-fake-discord',
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: guildId,
      DISCORD_CHAT_LOGGING: 'false',
      FEEDS_ALLOW_PRIVATE_HOSTS: 'true',
      ...databaseEnv(database),
    };

    const first = started(spawnBot(env));
    await first.waitForLog('bot running');
    const setup = fake.slashCommand({ guildId, channelId: writing, user: ada, name: 'setup', options: { timezone: 'UTC' }, memberPermissions: PermissionFlagsBits.ManageGuild });
    await fake.waitForCallback(setup, 20_000);

    // The interactions arrive a few milliseconds apart (all at once, they are all answered before a poll could see the first).
    const publishes = writers.map((user, n) => fake.slashCommand({ guildId, channelId: writing, user, name: 'publish', options: { url: pageUrl(n) } }));
    const interactions: { id: string; token: string }[] = [...publishes];
    let killed = false;
    const burst = (async () => {
      // Logs keep coming until the kill, which waits for the publishes to be deferred (after 2 seconds).
      for (let i = 0; i < 10 * BURST && !killed; i++) {
        interactions.push(fake.slashCommand({ guildId, channelId: writing, user: writers[i % writers.length]!, name: 'log', options: { words: 1 } }));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const callbacksOf = (interaction: { id: string; token: string }) => fake.requestsTo('POST', `/interactions/${interaction.id}/${interaction.token}/callback`);
    const acknowledgedNow = () => interactions.filter((interaction) => callbacksOf(interaction).length > 0);
    const deferred = () => publishes.filter((interaction) => callbacksOf(interaction).some((r) => (r.body as { type?: number }).type === 5));
    await until(() => acknowledgedNow().length >= KILL_AFTER_ACKS && deferred().length >= SLOW_PUBLISHES / 2, 'acknowledgements of the burst', 60_000, 1);
    await first.kill();
    killed = true;
    const deferredBeforeKill = deferred().length;
    await burst;
    const acknowledgedBeforeKill = acknowledgedNow().length;

    const second = started(spawnBot(env));
    await second.waitForLog('bot running');
    await until(() => allAnswered(database), 'every stored command to be answered', RECOVERY_MS);

    const { logsByKey, inbox, publicationsByUrl } = await storedState(database);
    const stored = new Set(inbox.map((entry) => entry.idempotency_key));
    /** What reached the person: an immediate answer, an edit of the deferral, or a follow-up. */
    const answersTo = (interaction: { id: string; token: string }) => {
      const immediate = callbacksOf(interaction).filter((r) => (r.body as { type?: number }).type === 4).length;
      const edits = fake.requestsTo('PATCH', new RegExp(`^/webhooks/${fake.applicationId}/${interaction.token}/messages/@original$`)).length;
      const followUps = fake.requestsTo('POST', `/webhooks/${fake.applicationId}/${interaction.token}`).length;
      return immediate + edits + followUps;
    };
    // Interactions dispatched while no process was connected may reach the second one; those it acknowledges count too.
    const acknowledged = acknowledgedNow();
    console.log(
      `discord on ${dialect}: ${acknowledgedBeforeKill} of ${interactions.length} acknowledged before the kill (${deferredBeforeKill} of them deferred), ${stored.size - 1} stored; after the restart ${acknowledged.length} acknowledged, every one answered`,
    );
    expect(acknowledgedBeforeKill).toBeLessThan(interactions.length);
    expect(deferredBeforeKill).toBeGreaterThan(0);
    for (const interaction of acknowledged) {
      const key = `discord:interaction:${interaction.id}`;
      expect(stored.has(key), `${key} is stored`).toBe(true);
      const n = publishes.findIndex((publish) => publish.id === interaction.id);
      if (n >= 0) expect(publicationsByUrl.get(pageUrl(n)) ?? 0, `${pageUrl(n)} is published once`).toBe(1);
      else expect(logsByKey.get(key) ?? 0, `${key} is logged once`).toBe(1);
      expect(answersTo(interaction), `${key} is answered once`).toBe(1);
      expect(fake.interaction(interaction.id).original?.flags ?? 0, `${key} is not left loading`).not.toBe(128 | 64);
    }
    expect([...logsByKey.values()].every((count) => count === 1)).toBe(true);
  }, 240_000);
});
