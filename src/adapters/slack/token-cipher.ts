import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What a sealed token starts with: the format's version, so a later format can sit beside this one. */
const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored token that does not open under the configured key: another key, or a changed row. */
export class TokenUnreadableError extends Error {
  override readonly name = 'TokenUnreadableError';

  constructor(readonly teamId: string) {
    super(`the Slack token stored for workspace ${teamId} cannot be decrypted with TOKEN_ENCRYPTION_KEY (was the key changed?)`);
  }
}

/**
 * Tokens sealed with AES-256-GCM for the database: `v1:` and base64 of a random 12-byte IV, the 16-byte
 * tag and the ciphertext. The workspace id is authenticated with it, so a token copied into another
 * workspace's row does not open there.
 */
export class TokenCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a token key must be 32 bytes');
  }

  seal(teamId: string, token: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(teamId));
    const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return `${FORMAT}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  /** The token, or TokenUnreadableError when it was sealed under another key or for another workspace. */
  open(teamId: string, stored: string): string {
    const [format, body = ''] = stored.split(':', 2);
    const bytes = Buffer.from(body, 'base64');
    if (format !== FORMAT || bytes.length <= IV_BYTES + TAG_BYTES) throw new TokenUnreadableError(teamId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(teamId));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenUnreadableError(teamId);
    }
  }
}
