import type { Generated, Selectable } from 'kysely';

export interface MemberTable {
  id: Generated<number>;
  group_id: number;
  person_id: number;
  joined_at: number;
}

export type MemberRow = Selectable<MemberTable>;
