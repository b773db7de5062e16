import type { Generated, Selectable } from 'kysely';

/** A member's writing project (a novel, a series); its words are those of the logs that went to it. */
export interface ProjectTable {
  id: Generated<number>;
  member_id: number;
  group_id: number;
  /** As the member wrote it. */
  name: string;
  /** The name in lower case: unique per member. */
  name_key: string;
  target_words: number | null;
  /** The member's local date it is due by. */
  deadline: string | null;
  /** The member's date when it was created: where its par line starts. */
  start_date: string;
  /** 1 for the project a log goes to when none is named (at most one per member). */
  is_current: number;
  archived_at: number | null;
  created_at: number;
}

/** Which project a log's words went to. */
export interface ProjectLogTable {
  log_id: number;
  project_id: number;
}

export type ProjectRow = Selectable<ProjectTable>;
