/**
 * A mistake the person can fix: bad input, a missing group, a refused permission.
 * The message is shown to them as is, so it names what was wrong and what is accepted.
 * Anything thrown that is not a UserError is a bug.
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type UserErrorCode =
  | 'unknown_command'
  | 'unknown_option'
  | 'bad_argument'
  | 'missing_argument'
  | 'no_group'
  | 'not_admin'
  | 'not_member'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'stale_button'
  | 'stale_form'
  | 'refused';
