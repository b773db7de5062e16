import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** A small web server on 127.0.0.1 for pages and feeds, whose routes a test can change as it goes. */
export class WebServer {
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[] = [];
  private readonly routes = new Map<string, Route>();
  private server?: Server;

  static async start(): Promise<WebServer> {
    const web = new WebServer();
    web.server = createServer((request, response) => {
      const path = request.url ?? '/';
      web.requests.push({ path, headers: request.headers });
      const route = web.routes.get(path);
      if (route) return route(request, response);
      response.statusCode = 404;
      response.end('not found');
    });
    await new Promise<void>((resolve) => web.server!.listen(0, '127.0.0.1', resolve));
    return web;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  route(path: string, route: Route): void {
    this.routes.set(path, route);
  }

  /** Serves `body` at `path` with validators, answering 304 to a request that already has this version. */
  serve(path: string, body: string, contentType = 'application/rss+xml; charset=utf-8'): void {
    const etag = `"${Buffer.from(body).length}-${body.length % 9973}"`;
    this.route(path, (request, response) => {
      if (request.headers['if-none-match'] === etag) {
        response.statusCode = 304;
        return response.end();
      }
      response.setHeader('content-type', contentType);
      response.setHeader('etag', etag);
      response.end(body);
    });
  }

  requestsTo(path: string) {
    return this.requests.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}
