import type { Generated, Selectable } from 'kysely';

export interface VacationTable {
  id: Generated<number>;
  member_id: number;
  start_date: string;
  /** Null while the vacation is open. */
  end_date: string | null;
  created_at: number;
}

export type VacationRow = Selectable<VacationTable>;
