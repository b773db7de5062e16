import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { applicationKeys, ChannelKind, type DispatchedInteraction, type EndpointDelivery, FakeDiscord, snowflake } from '../fakes/discord/fake-discord';
import { cleanUpAfterEach, databaseEnv, spawnBot } from '../support/bot-process';
import { createTestDatabase, DIALECTS } from '../support/databases';
import { startRoundRobinProxy } from '../support/round-robin-proxy';

const PROCESSES = 3;
const MEMBERS = 50;
const LOGS_PER_MEMBER = 6;
/** Interactions out at once, as Discord would send them while members type. */
const CONCURRENCY = 8;
/** Deliveries sent again to another process: half while the first is still running, half after it was answered. */
const RETRIES = 30;
const MANAGE_GUILD = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages;
const MEMBER = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;

/** Postgres when the suite has one (the shape this is for), otherwise SQLite shared by the processes. */
const dialect = DIALECTS.at(-1)!;

describe(`three bot processes over HTTP behind a round-robin proxy, on one database (${dialect})`, () => {
  const { later, started } = cleanUpAfterEach();

  it('answers each of a few hundred /log interactions exactly once and writes each log exactly once, retried deliveries to another process included', async () => {
    const database = await createTestDatabase(dialect);
    later(() => database.drop());
    const guildId = snowflake();
    const channelId = snowflake();
    const admin = { id: snowflake(), username: 'ada' };
    const members = Array.from({ length: MEMBERS }, (_, i) => ({ id: snowflake(), username: `writer${i}` }));
    const fake = await FakeDiscord.start({ guilds: [{ id: guildId, name: 'Writers', channels: [{ id: channelId, name: 'writing', type: ChannelKind.GuildText }], members: [{ user: admin }, ...members.map((user) => ({ user }))] }] });
    later(() => fake.stop());
    const keys = applicationKeys();
    const env = {
      DISCORD_TOKEN: 'test-token-for-the-fake-discord',
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: guildId,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_GATEWAY: 'false',
      ...databaseEnv(database),
    };
    // The first migrates; the others start on the migrated database.
    const first = started(spawnBot(env));
    const ports = [Number((await first.waitForLog('bot running', 60_000)).port)];
    const others = Array.from({ length: PROCESSES - 1 }, () => started(spawnBot(env)));
    for (const bot of others) ports.push(Number((await bot.waitForLog('bot running', 60_000)).port));
    const bots = [first, ...others];
    const origins = ports.map((port) => `http://127.0.0.1:${port}`);
    const proxy = await startRoundRobinProxy(origins);
    later(() => proxy.close());
    fake.useInteractionsEndpoint({ url: `${proxy.url}/discord/interactions`, privateKey: keys.privateKey });
    expect(fake.identifyCount).toBe(0);

    const setup = fake.slashCommand({ guildId, channelId, user: admin, name: 'setup', options: { timezone: 'UTC' }, memberPermissions: MANAGE_GUILD });
    expect((await fake.delivery(setup)).accepted).toBe(true);

    // Several /log per member, each with its own word count, so every row can be told apart.
    const plan = members.flatMap((user, m) => Array.from({ length: LOGS_PER_MEMBER }, (_, k) => ({ user, words: 100 + m * 10 + k })));
    const sent: { interaction: DispatchedInteraction; words: number; userId: string; raced?: boolean }[] = [];
    const retries: Promise<EndpointDelivery>[] = [];
    /** A delivery of the same interaction to a process other than the one the proxy chose. */
    const retryElsewhere = (interaction: DispatchedInteraction) => {
      const chosen = proxy.targetOf.get(interaction.id) ?? 0;
      return fake.redeliver(interaction, `${origins[(chosen + 1) % PROCESSES]}/discord/interactions`);
    };
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < plan.length) {
        const i = nextIndex++;
        const { user, words } = plan[i]!;
        const interaction = fake.slashCommand({ guildId, channelId, user, name: 'log', options: { words }, memberPermissions: MEMBER });
        const raced = i % Math.floor(plan.length / (RETRIES / 2)) === 0;
        sent.push({ interaction, words, userId: user.id, raced });
        // Some are delivered twice at once, to two processes, as a retry racing the first delivery.
        if (raced) {
          await new Promise((resolve) => setImmediate(resolve));
          retries.push(retryElsewhere(interaction));
        }
        await fake.delivery(interaction);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // The rest come again after they were answered.
    for (const { interaction } of sent.filter((_, i) => i % Math.floor(plan.length / (RETRIES / 2)) === 1)) retries.push(retryElsewhere(interaction));
    const retried = await Promise.all(retries);
    expect(retried.length).toBeGreaterThanOrEqual(RETRIES);

    // Every interaction's answer was taken by Discord exactly once: by the first delivery or its retry.
    for (const { interaction } of sent) {
      const deliveries = fake.endpointDeliveries.filter((d) => d.interactionId === interaction.id);
      expect(deliveries.filter((d) => d.accepted), `answers taken for ${interaction.id}`).toHaveLength(1);
    }
    // Deferred ones are filled in: let every answer reach Discord, then read what the members saw.
    await fake.waitUntil(() => sent.every(({ interaction }) => /logged|Already logged/.test(fake.interaction(interaction.id).original?.content ?? '')), {
      timeoutMs: 30_000,
      description: 'every interaction shows its answer',
    });
    for (const { interaction, words, raced } of sent) {
      const shown = fake.interaction(interaction.id);
      expect(shown.followUps).toEqual([]);
      // A retry that raced its first delivery may be the one answered; its answer then says the log was counted.
      expect(shown.original!.content).toMatch(raced ? new RegExp(`logged: ${words} words|Already logged`) : new RegExp(`logged: ${words} words`));
    }

    // Every log written exactly once, with its own words, for its own member.
    const handle = openDatabase(database.config);
    try {
      const rows = await handle.db
        .selectFrom('logs')
        .innerJoin('members', 'members.id', 'logs.member_id')
        .innerJoin('people', 'people.id', 'members.person_id')
        .select(['logs.event_key', 'logs.words', 'people.user_id'])
        .execute();
      expect(rows).toHaveLength(plan.length);
      expect(new Set(rows.map((r) => r.event_key)).size).toBe(plan.length);
      const expected = sent.map((s) => `${s.userId}:${s.words}`).sort();
      expect(rows.map((r) => `${r.user_id}:${r.words}`).sort()).toEqual(expected);
    } finally {
      await handle.close();
    }
    // All three processes took their share, and none logged a failure.
    expect(new Set(proxy.targetOf.values()).size).toBe(PROCESSES);
    for (const bot of bots) expect(bot.logs.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  }, 240_000);
});
