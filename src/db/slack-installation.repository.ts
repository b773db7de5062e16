import type { Db } from './database';
import type { SlackInstallationRow } from './slack-installation.table';

/** Saves a workspace's installation; a reinstall replaces the one before (a new token, new scopes). */
export async function upsertSlackInstallation(db: Db, row: SlackInstallationRow): Promise<void> {
  const { team_id: _team, ...rest } = row;
  await db
    .insertInto('slack_installations')
    .values(row)
    .onConflict((oc) => oc.column('team_id').doUpdateSet(rest))
    .execute();
}

export async function findSlackInstallation(db: Db, teamId: string): Promise<SlackInstallationRow | undefined> {
  return db.selectFrom('slack_installations').selectAll().where('team_id', '=', teamId).executeTakeFirst();
}

/** Forgets a workspace's installation (its token with it); true when there was one. */
export async function deleteSlackInstallation(db: Db, teamId: string): Promise<boolean> {
  const result = await db.deleteFrom('slack_installations').where('team_id', '=', teamId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
