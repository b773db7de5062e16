import type { Outbound } from '../core/chat-adapter';
import type { Clock } from '../core/clock';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import type { FetchPolicy } from '../net/safe-fetch';
import type { RateLimitSettings } from './rate-limits';
import type { PictureSettings, SvgToPng } from '../render/picture-pool';

/** Tunable behaviour of the services, with defaults in `DEFAULT_SERVICE_SETTINGS`. */
export interface ServiceSettings {
  /** How pages and feeds members give us may be fetched. */
  fetchPolicy: FetchPolicy;
  /** How often each feed is polled. */
  feedPollMs: number;
  /** How long one feed's poll (its fetch and its announcements) may take before it counts as failed. */
  feedPollDeadlineMs: number;
  /** At most one edit of an announcement per this interval, however fast the clicks come. */
  announcementEditIntervalMs: number;
  /** How long a looked-up group or member is reused before reading it again (changes by other processes show after this). */
  lookupCacheMs: number;
  /** How fast each member and each group may ask for pictures and fetches. */
  rateLimits: RateLimitSettings;
  /** How many threads draw pictures, how many may wait, and for how long. */
  pictures: PictureSettings;
  /** The address the group's web page links start with (PUBLIC_URL); unset, the address the server listens on. */
  publicUrl?: string;
  /** The key page links are derived with (DASHBOARD_SECRET); unset, a key made once and kept in the database. */
  pageSecret?: string;
  /** How pictures are drawn: by default the app's picture threads (resvg with the shipped fonts). */
  svgToPng: SvgToPng;
}

/** What every service is built from. Services open their own transactions and post only after commit. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  outbound: Outbound;
  logger: Logger;
  settings: ServiceSettings;
}
