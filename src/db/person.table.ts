import type { Generated, Selectable } from 'kysely';

/** One chat user in one workspace; their zone and rollover hour follow them into every group there. */
export interface PersonTable {
  id: Generated<number>;
  platform: string;
  workspace_id: string;
  user_id: string;
  display_name: string;
  /** Null: use the group's zone. */
  timezone: string | null;
  rollover_hour: Generated<number>;
  /** Where the person mostly writes (medium, substack, ...): the default for /followers. */
  main_platform: string | null;
  created_at: number;
}

export type PersonRow = Selectable<PersonTable>;
