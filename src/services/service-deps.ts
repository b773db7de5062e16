import type { Outbound } from '../core/chat-adapter';
import type { Clock } from '../core/clock';
import type { Db } from '../db/database';
import type { Logger } from '../logger';

/** What every service is built from. Services open their own transactions and post only after commit. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  outbound: Outbound;
  logger: Logger;
}
