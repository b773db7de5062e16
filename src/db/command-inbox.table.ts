import type { Generated, Selectable } from 'kysely';

/**
 * A command stored before its platform was acknowledged. `done_at` is set in the transaction that made
 * its change (or when its answer went out, for a command that changes nothing); `answered_at` once
 * its answer reached the platform. A claim (`claimed_by` until `claimed_until`) is held by the process
 * running it, so processes sharing the database never run one entry twice.
 */
export interface CommandInboxTable {
  idempotency_key: string;
  workspace_id: string;
  /** The Invocation, as JSON. */
  invocation: string;
  /** The adapter's ReplyAddress, as JSON; null when the platform gave none. */
  reply_to: string | null;
  received_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  /** How many times a process has taken it up. */
  attempts: Generated<number>;
  done_at: number | null;
  answered_at: number | null;
}

export type CommandInboxRow = Selectable<CommandInboxTable>;
