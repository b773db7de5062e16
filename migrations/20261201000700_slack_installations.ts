import type { Kysely } from 'kysely';

/**
 * Slack workspaces that installed the app through OAuth: one row per workspace (team), with the bot
 * token sealed (AES-256-GCM under TOKEN_ENCRYPTION_KEY, never in the clear). Uninstalling deletes the
 * row; the workspace's groups and their data stay.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_installations')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('team_name', 'text')
    .addColumn('enterprise_id', 'text')
    .addColumn('app_id', 'text')
    .addColumn('bot_user_id', 'text', (c) => c.notNull())
    .addColumn('bot_id', 'text')
    .addColumn('bot_scopes', 'text', (c) => c.notNull())
    .addColumn('bot_token_sealed', 'text', (c) => c.notNull())
    .addColumn('installer_user_id', 'text')
    .addColumn('installed_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_installations').execute();
}
