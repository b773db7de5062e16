import type { IncomingMessage } from 'node:http';

/**
 * A request's body, or undefined once it passes `limit` bytes (the rest is discarded as it arrives),
 * for endpoints that must check a signature over the raw bytes before anything parses them.
 */
export function readBoundedBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      request.off('data', onData);
      request.off('end', onEnd);
      request.resume();
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
    // A sender that hangs up mid-body ends with 'close' and no 'end' (a no-op once the body is complete).
    request.once('close', () => reject(new Error('request closed before its body ended')));
  });
}
