import { randomBytes } from 'node:crypto';
import { type Installation, InvalidStateError } from '@slack/oauth';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrgInstallRefusedError, SingleUseStateStore, SlackInstallationStore } from '../../src/adapters/slack/installation-store';
import { TokenCipher, TokenUnreadableError } from '../../src/adapters/slack/token-cipher';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';

const INSTALLED_AT = Date.parse('2026-03-01T12:00:00Z');

function installation(teamId: string, token: string, overrides: Partial<Installation> = {}): Installation {
  return {
    team: { id: teamId, name: `Team ${teamId}` },
    enterprise: undefined,
    user: { token: undefined, scopes: undefined, id: 'U0INSTALLER' },
    bot: { token, scopes: ['commands', 'chat:write'], id: `B-${teamId}`, userId: `U-${teamId}-BOT` },
    appId: 'A0APP',
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
    ...overrides,
  };
}

const query = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false as const });

for (const dialect of DIALECTS) {
  describe(`Slack installations on ${dialect}`, () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    const key = randomBytes(32);
    const logger = pino({ level: 'silent' });
    let store: SlackInstallationStore;

    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      handle = openDatabase(database.config);
      await migrateToLatest(handle);
      store = new SlackInstallationStore({ db: handle.db, cipher: new TokenCipher(key), now: () => INSTALLED_AT, logger });
    });
    afterEach(async () => {
      await handle.close();
      await database.drop();
    });

    const rawRows = () => handle.db.selectFrom('slack_installations').selectAll().orderBy('team_id').execute();

    it('GIVEN an installation stored THEN it is fetched as it was given, and its row holds the token only sealed', async () => {
      await store.storeInstallation(installation('T1', 'xoxb-one-secret'));
      const fetched = await store.fetchInstallation(query('T1'));
      expect(fetched).toMatchObject({
        team: { id: 'T1', name: 'Team T1' },
        bot: { token: 'xoxb-one-secret', scopes: ['commands', 'chat:write'], id: 'B-T1', userId: 'U-T1-BOT' },
        appId: 'A0APP',
        isEnterpriseInstall: false,
        authVersion: 'v2',
      });
      expect(await store.botToken('T1')).toBe('xoxb-one-secret');
      const [row] = await rawRows();
      expect(row).toMatchObject({ team_id: 'T1', installed_at: INSTALLED_AT, bot_scopes: 'commands,chat:write' });
      expect(JSON.stringify(row)).not.toContain('xoxb-');
      // Sealing twice gives two ciphertexts (a fresh IV each time).
      await store.storeInstallation(installation('T1', 'xoxb-one-secret'));
      expect((await rawRows())[0]!.bot_token_sealed).not.toBe(row!.bot_token_sealed);
    });

    it('GIVEN two workspaces and a reinstall THEN each keeps its own token and the reinstall replaces only its own', async () => {
      await store.storeInstallation(installation('T1', 'xoxb-one-first'));
      await store.storeInstallation(installation('T2', 'xoxb-two'));
      await store.storeInstallation(installation('T1', 'xoxb-one-second', { bot: { token: 'xoxb-one-second', scopes: ['commands'], id: 'B-T1', userId: 'U-T1-BOT' } }));
      expect(await store.botToken('T1')).toBe('xoxb-one-second');
      expect(await store.botToken('T2')).toBe('xoxb-two');
      expect((await rawRows()).map((r) => [r.team_id, r.bot_scopes])).toEqual([
        ['T1', 'commands'],
        ['T2', 'commands,chat:write'],
      ]);
    });

    it("GIVEN a token copied into another workspace's row THEN it does not open there", async () => {
      await store.storeInstallation(installation('T1', 'xoxb-one'));
      await store.storeInstallation(installation('T2', 'xoxb-two'));
      const [one] = await rawRows();
      await handle.db.updateTable('slack_installations').set({ bot_token_sealed: one!.bot_token_sealed }).where('team_id', '=', 'T2').execute();
      await expect(store.botToken('T2')).rejects.toBeInstanceOf(TokenUnreadableError);
      expect(await store.botToken('T1')).toBe('xoxb-one');
    });

    it('GIVEN another key THEN a stored token fails to open with a one-line error naming TOKEN_ENCRYPTION_KEY, and no token in it', async () => {
      await store.storeInstallation(installation('T1', 'xoxb-one-secret'));
      const otherKey = new SlackInstallationStore({ db: handle.db, cipher: new TokenCipher(randomBytes(32)), now: () => INSTALLED_AT, logger });
      const error = await otherKey.botToken('T1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenUnreadableError);
      expect((error as Error).message).toBe('the Slack token stored for workspace T1 cannot be decrypted with TOKEN_ENCRYPTION_KEY (was the key changed?)');
      await expect(otherKey.fetchInstallation(query('T1'))).rejects.toThrow(/cannot be decrypted with TOKEN_ENCRYPTION_KEY/);
      // A damaged value fails the same way.
      await handle.db.updateTable('slack_installations').set({ bot_token_sealed: 'v1:AAAA' }).execute();
      await expect(store.botToken('T1')).rejects.toBeInstanceOf(TokenUnreadableError);
    });

    it('GIVEN an uninstall THEN the installation and its token are gone, and Bolt is told there is none', async () => {
      await store.storeInstallation(installation('T1', 'xoxb-one'));
      await store.storeInstallation(installation('T2', 'xoxb-two'));
      await store.deleteInstallation(query('T1'));
      expect(await store.botToken('T1')).toBeUndefined();
      await expect(store.fetchInstallation(query('T1'))).rejects.toThrow(/not installed in workspace T1/);
      expect(await store.forget('T1')).toBe(false);
      expect(await store.botToken('T2')).toBe('xoxb-two');
    });

    it('GIVEN an install for a whole organization THEN it is refused and nothing is stored', async () => {
      const org = installation('T1', 'xoxb-org', { team: undefined, enterprise: { id: 'E1' }, isEnterpriseInstall: true });
      await expect(store.storeInstallation(org)).rejects.toBeInstanceOf(OrgInstallRefusedError);
      expect(await rawRows()).toEqual([]);
    });

    it('GIVEN a state parameter THEN it is taken once, by any process on the database, and one signed with another secret never', async () => {
      const secret = 'the-state-secret-of-this-deployment-0123456789';
      const first = new SingleUseStateStore(secret, handle.db);
      const second = new SingleUseStateStore(secret, handle.db);
      const state = await first.generateStateParam({ scopes: ['commands'] }, new Date());
      expect(await first.verifyStateParam(new Date(), state)).toEqual({ scopes: ['commands'] });
      await expect(second.verifyStateParam(new Date(), state)).rejects.toBeInstanceOf(InvalidStateError);
      await expect(first.verifyStateParam(new Date(), state)).rejects.toThrow(/used before/);
      const forged = await new SingleUseStateStore('another-secret-of-someone-else-0123456789', handle.db).generateStateParam({ scopes: ['commands'] }, new Date());
      await expect(first.verifyStateParam(new Date(), forged)).rejects.toBeInstanceOf(InvalidStateError);
      // Older than ten minutes: expired, even unused.
      const old = await first.generateStateParam({ scopes: ['commands'] }, new Date(Date.now() - 11 * 60_000));
      await expect(first.verifyStateParam(new Date(), old)).rejects.toThrow(/expired/);
    });
  });
}
