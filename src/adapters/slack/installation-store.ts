import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ClearStateStore as SignedStateStore, Installation, InstallationQuery, InstallationStore, InstallURLOptions, StateStore } from '@slack/oauth';
import { InvalidStateError } from '@slack/oauth';
import type { Db } from '../../db/database';
import { claimEvent } from '../../db/handled-event.repository';
import { deleteSlackInstallation, findSlackInstallation, upsertSlackInstallation } from '../../db/slack-installation.repository';
import type { SlackInstallationRow } from '../../db/slack-installation.table';
import type { Logger } from '../../logger';
import type { TokenCipher } from './token-cipher';

/** An installation refused: the app is installed workspace by workspace. */
export class OrgInstallRefusedError extends Error {
  override readonly name = 'OrgInstallRefusedError';

  constructor() {
    super('an installation for a whole Enterprise Grid organization is not supported: install the app in each workspace');
  }
}

export interface SlackInstallationStoreDeps {
  db: Db;
  cipher: TokenCipher;
  /** Epoch milliseconds. */
  now: () => number;
  logger: Logger;
}

/**
 * The workspaces that installed the app, in the database (both dialects), for Bolt's installer: it stores
 * what the OAuth flow returns, and Bolt's `authorize` fetches the token of each request's workspace.
 * Tokens are sealed before they are written and opened only when fetched; they are never logged.
 */
export class SlackInstallationStore implements InstallationStore {
  constructor(private readonly deps: SlackInstallationStoreDeps) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const teamId = installation.team?.id;
    if (installation.isEnterpriseInstall || !teamId) throw new OrgInstallRefusedError();
    const bot = installation.bot;
    if (!bot?.token || !bot.userId) throw new Error('Slack returned an installation without a bot token');
    await upsertSlackInstallation(this.deps.db, {
      team_id: teamId,
      team_name: installation.team?.name ?? null,
      enterprise_id: installation.enterprise?.id ?? null,
      app_id: installation.appId ?? null,
      bot_user_id: bot.userId,
      bot_id: bot.id ?? null,
      bot_scopes: bot.scopes.join(','),
      bot_token_sealed: this.deps.cipher.seal(teamId, bot.token),
      installer_user_id: installation.user?.id ?? null,
      installed_at: this.deps.now(),
    });
    this.deps.logger.info({ workspace: teamId }, 'slack workspace installed');
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v2', false>> {
    const row = query.teamId ? await findSlackInstallation(this.deps.db, query.teamId) : undefined;
    if (!row) throw new Error(`the app is not installed in workspace ${query.teamId ?? '(none named)'}`);
    return this.toInstallation(row);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    if (query.teamId) await this.forget(query.teamId);
  }

  /** The workspace's bot token, or undefined when the app is not installed there. */
  async botToken(teamId: string): Promise<string | undefined> {
    const row = await findSlackInstallation(this.deps.db, teamId);
    return row ? this.deps.cipher.open(teamId, row.bot_token_sealed) : undefined;
  }

  /** Deletes the workspace's installation and its token; its groups and their data stay. */
  async forget(teamId: string): Promise<boolean> {
    const deleted = await deleteSlackInstallation(this.deps.db, teamId);
    if (deleted) this.deps.logger.info({ workspace: teamId }, 'slack workspace uninstalled; its token is deleted');
    return deleted;
  }

  private toInstallation(row: SlackInstallationRow): Installation<'v2', false> {
    return {
      team: { id: row.team_id, ...(row.team_name && { name: row.team_name }) },
      enterprise: row.enterprise_id ? { id: row.enterprise_id } : undefined,
      // No user token is asked for; Bolt's type wants the installer named all the same.
      user: { token: undefined, scopes: undefined, id: row.installer_user_id ?? '' },
      bot: {
        token: this.deps.cipher.open(row.team_id, row.bot_token_sealed),
        scopes: row.bot_scopes.split(',').filter(Boolean),
        id: row.bot_id ?? '',
        userId: row.bot_user_id,
      },
      ...(row.app_id && { appId: row.app_id }),
      tokenType: 'bot',
      isEnterpriseInstall: false,
      authVersion: 'v2',
    };
  }
}

// @slack/oauth re-exports ClearStateStore in a way Node's ESM loader cannot see as a named export.
const { ClearStateStore } = createRequire(import.meta.url)('@slack/oauth') as typeof import('@slack/oauth');

/**
 * The OAuth state parameter: signed with SLACK_STATE_SECRET and good for ten minutes (Bolt's own
 * ClearStateStore), and used once: a state seen before is refused, even with its cookie, by any
 * process on the same database (the key goes into handled_events).
 */
export class SingleUseStateStore implements StateStore {
  private readonly signed: SignedStateStore;

  constructor(
    secret: string,
    private readonly db: Db,
    expirationSeconds = 600,
  ) {
    this.signed = new ClearStateStore(secret, expirationSeconds);
  }

  generateStateParam(installOptions: InstallURLOptions, now: Date): Promise<string> {
    return this.signed.generateStateParam(installOptions, now);
  }

  async verifyStateParam(now: Date, state: string): Promise<InstallURLOptions> {
    const options = await this.signed.verifyStateParam(now, state);
    const key = `slack:oauth-state:${createHash('sha256').update(state).digest('base64url')}`;
    if (!(await claimEvent(this.db, key, now.getTime()))) throw new InvalidStateError('The state parameter was used before');
    return options;
  }
}
