import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** An application's Ed25519 key pair: the private half signs for the fake, the public half (hex) is what the bot is told. */
export function applicationKeys(): { privateKey: KeyObject; publicKeyHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // The raw key is the last 32 bytes of its SubjectPublicKeyInfo.
  const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return { privateKey, publicKeyHex };
}

/** The headers Discord signs a request to an interactions endpoint with: Ed25519 over the timestamp and the body. */
export function signatureHeaders(privateKey: KeyObject, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(timestampSeconds);
  return {
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
    'x-signature-timestamp': timestamp,
  };
}
