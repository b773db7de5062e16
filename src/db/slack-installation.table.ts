import type { Selectable } from 'kysely';

/** A Slack workspace that installed the app through OAuth; its bot token only sealed (see token-cipher.ts). */
export interface SlackInstallationTable {
  team_id: string;
  team_name: string | null;
  enterprise_id: string | null;
  app_id: string | null;
  bot_user_id: string;
  bot_id: string | null;
  /** Comma-separated, as Slack lists them. */
  bot_scopes: string;
  bot_token_sealed: string;
  installer_user_id: string | null;
  installed_at: number;
}

export type SlackInstallationRow = Selectable<SlackInstallationTable>;
