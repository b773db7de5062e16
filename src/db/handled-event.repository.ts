import type { Db } from './database';

/** Claims an inbound event key; false means it was handled before (a re-delivery or a double click). */
export async function claimEvent(db: Db, eventKey: string, now: number): Promise<boolean> {
  const row = await db
    .insertInto('handled_events')
    .values({ event_key: eventKey, handled_at: now })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('event_key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function pruneHandledEvents(db: Db, olderThan: number): Promise<void> {
  await db.deleteFrom('handled_events').where('handled_at', '<', olderThan).execute();
}
