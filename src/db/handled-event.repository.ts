import type { Db } from './database';
import { prepared } from './prepared';

const claimQuery = prepared((db: Db, a: { eventKey: string; now: number }) =>
  db.insertInto('handled_events').values({ event_key: a.eventKey, handled_at: a.now }).onConflict((oc) => oc.column('event_key').doNothing()).returning('event_key'),
);

/**
 * Claims an inbound event key; false means it was handled before (a re-delivery or a double click).
 * Compiled once: every sprint count and undo runs it.
 */
export async function claimEvent(db: Db, eventKey: string, now: number): Promise<boolean> {
  const rows = await claimQuery(db, { eventKey, now });
  return rows.length > 0;
}

export async function pruneHandledEvents(db: Db, olderThan: number): Promise<void> {
  await db.deleteFrom('handled_events').where('handled_at', '<', olderThan).execute();
}
