import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A load balancer in front of several bot processes: each request goes to the next one in turn. */
export interface RoundRobinProxy {
  url: string;
  /** Which target (its index) each request went to, by the interaction id in its body. */
  targetOf: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A small reverse proxy on 127.0.0.1 that forwards every request, path and headers as they are, to
 * `targets` (origins such as http://127.0.0.1:4001) in turn, and streams the answer back.
 */
export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const targetOf = new Map<string, number>();
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const index = next++ % targets.length;
      const id = /"id":"(\d+)"/.exec(body.toString('utf8'))?.[1];
      if (id && !targetOf.has(id)) targetOf.set(id, index);
      const target = new URL(incoming.url ?? '/', targets[index]);
      const forwarded = httpRequest(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      forwarded.on('error', () => {
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end();
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targetOf,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
