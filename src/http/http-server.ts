import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';

/** What a platform adapter needs of the bot's HTTP server: a path prefix of its own, and where the server listens. */
export interface HttpRoutes {
  /** Sends every request whose path is `prefix` or under `prefix/` to `listener`. */
  mount(prefix: string, listener: RequestListener): void;
  readonly address: AddressInfo | undefined;
}

/** Long enough for any page's path; a longer request target is refused before anything reads it. */
const MAX_TARGET_LENGTH = 2048;
/** How long stopping waits for requests under way before it cuts their connections. */
export const DEFAULT_CLOSE_GRACE_MS = 10_000;

/**
 * The bot's one HTTP server on PORT. Platforms mount their endpoints under a prefix of their own
 * (Slack's `/slack/*` goes to Bolt's receiver as it is); everything else goes to the web page, a Hono
 * app. Node refuses request heads over 16 KB itself (431); a request target over 2 KB is answered 414.
 */
export class HttpServer implements HttpRoutes {
  private readonly mounts: { prefix: string; listener: RequestListener }[] = [];
  private rest: RequestListener = (_request, response) => {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('Not found\n');
  };
  private server?: Server;
  /** Set once closing began: responses still being made close their connections behind them. */
  private closing = false;
  private readonly underWay = new Set<ServerResponse>();

  constructor(private readonly logger: Logger) {}

  mount(prefix: string, listener: RequestListener): void {
    if (!/^\/[a-z0-9-]+$/.test(prefix)) throw new Error(`HTTP mount ${prefix} is not a path prefix like /slack`);
    if (this.mounts.some((m) => m.prefix === prefix)) throw new Error(`HTTP mount ${prefix} is already registered`);
    this.mounts.push({ prefix, listener });
  }

  /** What every path no platform mounted is answered by. */
  serveRest(listener: RequestListener): void {
    this.rest = listener;
  }

  get address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  /** Requests being answered now (a drain waits for them). */
  get requestsUnderWay(): number {
    return this.underWay.size;
  }

  /** The address for links when PUBLIC_URL is unset. */
  get localUrl(): string {
    return `http://127.0.0.1:${this.address?.port ?? 0}`;
  }

  listen(port: number, host?: string): Promise<void> {
    const server = createServer((request, response) => this.dispatch(request, response));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host }, () => {
        server.off('error', reject);
        server.on('error', (error) => this.logger.error({ err: error }, 'http server error'));
        this.server = server;
        resolve();
      });
    });
  }

  /**
   * Stops listening at once (a new connection is refused), closes idle kept-alive connections, and
   * lets the requests under way finish: up to `graceMs`, after which their connections are cut.
   */
  async close(graceMs = DEFAULT_CLOSE_GRACE_MS): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.closing = true;
    for (const response of this.underWay) closeAfter(response);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(cut);
  }

  private dispatch(request: IncomingMessage, response: ServerResponse): void {
    this.underWay.add(response);
    response.once('close', () => this.underWay.delete(response));
    if (this.closing) closeAfter(response);
    const target = request.url ?? '/';
    if (target.length > MAX_TARGET_LENGTH) {
      response.writeHead(414, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      response.end('Request target too long\n');
      return;
    }
    const path = target.split('?', 1)[0]!;
    const mounted = this.mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    try {
      (mounted?.listener ?? this.rest)(request, response);
    } catch (error) {
      this.logger.error({ err: error }, 'http request failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end();
    }
  }
}

/** Ends the response's connection once it is sent: kept alive, it would wait for a next request the closing server will not take. */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
  else response.once('finish', () => response.socket?.end());
}
