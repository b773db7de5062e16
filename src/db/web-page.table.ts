/** A group's page link: the SHA-256 of its token, and the salt the token is derived from (a new salt is a new link). */
export interface PageTokenTable {
  group_id: number;
  salt: string;
  token_hash: string;
  created_at: number;
}

/** The deployment's key for page tokens when DASHBOARD_SECRET is unset: one row, id 1. */
export interface PageSecretTable {
  id: number;
  secret: string;
}

/** How many members wrote on a day of a group's calendar, and their words: kept in step with the logs, in each log's transaction. */
export interface GroupCalendarDayTable {
  group_id: number;
  local_date: string;
  writers: number;
  words: number;
}
