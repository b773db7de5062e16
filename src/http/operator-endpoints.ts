import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { type Context, Hono } from 'hono';

/** The paths load balancers and monitoring ask; each is mounted on the bot's server ahead of the web page. */
export const OPERATOR_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

export interface OperatorEndpointOptions {
  /** Undefined when the bot is ready to serve; otherwise a short reason, shown as it is. */
  readiness(): Promise<string | undefined>;
  /** The Prometheus exposition; undefined when metrics are off (404). */
  metrics(): Promise<{ contentType: string; text: string } | undefined>;
}

const PLAIN = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/**
 * /healthz (the process answers), /readyz (it can serve: 503 with a reason otherwise) and /metrics.
 * They are outside the web page and its per-address rate limit, so a load balancer probing often
 * from one address is never refused; they say nothing of groups or members.
 */
export function operatorEndpoints(options: OperatorEndpointOptions): RequestListener {
  const app = new Hono();
  const text = (c: Context, status: 200 | 404 | 405 | 503, body: string) => c.body(`${body}\n`, status, PLAIN);
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('allow', 'GET, HEAD');
      return text(c, 405, 'Method not allowed');
    }
    await next();
  });
  app.get('/healthz', (c) => text(c, 200, 'ok'));
  app.get('/readyz', async (c) => {
    const reason = await options.readiness();
    return reason ? text(c, 503, `not ready: ${reason}`) : text(c, 200, 'ready');
  });
  app.get('/metrics', async (c) => {
    const metrics = await options.metrics();
    if (!metrics) return text(c, 404, 'Not found');
    return c.body(metrics.text, 200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
  });
  app.notFound((c) => text(c, 404, 'Not found'));
  return getRequestListener(app.fetch) as unknown as RequestListener;
}

/**
 * A check that runs once for all the probes that arrive while it runs, so a database that hangs is
 * asked once per check, not once per probe.
 */
export function sharedCheck<T>(check: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= check().finally(() => (running = undefined));
    return running;
  };
}
