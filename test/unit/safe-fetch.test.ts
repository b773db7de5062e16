import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { brotliCompressSync, createGzip, deflateSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPageTitle, titleFromHtml } from '../../src/net/page-title';
import { FetchError, fetchPolicy, isPrivateAddress, safeFetch } from '../../src/net/safe-fetch';

const open = fetchPolicy({ allowPrivateHosts: true, timeoutMs: 1500, maxBytes: 64 * 1024 });

describe('private addresses', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::10.0.0.1', '224.0.0.1'])(
    '%s is private',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );
  it.each([
    ['::7f00:1', 'IPv4-compatible loopback, hex'],
    ['::127.0.0.1', 'IPv4-compatible loopback, dotted'],
    ['::a00:1', 'IPv4-compatible 10.0.0.1'],
    ['::ffff:0:7f00:1', 'IPv4-translated loopback, hex'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated loopback, dotted'],
    ['0:0:0:0:0:ffff:7f00:1', 'IPv4-mapped loopback, written out'],
    ['::ffff:192.168.1.1', 'IPv4-mapped private'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback, hex'],
    ['64:ff9b::192.168.0.1', 'NAT64 of a private address'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['64:ff9b:1::5db8:d822', 'local-use NAT64, even of a public address'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:c0a8:101::', '6to4 of 192.168.1.1'],
    ['2002:a9fe:a9fe::1', '6to4 of the cloud metadata address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['fec0::1', 'site-local'],
    ['feff::1', 'site-local, top of the range'],
    ['192.88.99.1', '6to4 relay anycast'],
    ['198.18.0.1', 'benchmarking'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['ff02::1', 'multicast'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['example.com', 'not an address'],
    ['127.1', 'a loose IPv4 form'],
    ['', 'empty'],
  ])('%s is private (%s)', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each([
    '93.184.216.34',
    '151.101.1.69',
    '2606:4700::6810:84e5',
    '::ffff:93.184.216.34',
    '::ffff:5db8:d822',
    '2002:5db8:d822::1',
    '64:ff9b::93.184.216.34',
    '64:ff9b::5db8:d822',
  ])('%s is public', (address) => expect(isPrivateAddress(address)).toBe(false));
});

describe('safeFetch', () => {
  let server: Server;
  let inner: Server;
  let base: string;
  let innerBase: string;
  let connections = 0;

  beforeAll(async () => {
    inner = createServer((_, res) => res.end('inner secret'));
    await new Promise<void>((resolve) => inner.listen(0, '127.0.0.2', resolve));
    innerBase = `http://127.0.0.2:${(inner.address() as AddressInfo).port}`;
    server = createServer((req, res) => {
      switch (req.url) {
        case '/ok':
          return res.end('hello');
        case '/gzip':
          res.setHeader('content-encoding', 'gzip');
          return res.end(gzipSync('compressed hello'));
        case '/hop':
          res.writeHead(302, { location: '/ok' });
          return res.end();
        case '/loop':
          res.writeHead(302, { location: '/loop' });
          return res.end();
        case '/to-inner':
          res.writeHead(301, { location: `${innerBase}/` });
          return res.end();
        case '/big':
          res.setHeader('content-length', String(10 * 1024 * 1024));
          return res.end();
        case '/endless': {
          const chunk = Buffer.alloc(16 * 1024, 97);
          const timer = setInterval(() => res.write(chunk), 1);
          req.on('close', () => clearInterval(timer));
          return;
        }
        case '/slow':
          return setTimeout(() => res.end('late'), 5000).unref();
        case '/page':
          res.setHeader('content-type', 'text/html; charset=utf-8');
          return res.end('<html><head><title>Plain title</title><meta property="og:title" content="The &amp; Real Title"></head><body></body></html>');
        default:
          res.statusCode = 404;
          return res.end('not here');
      }
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    inner.close();
  });

  it('fetches, follows a redirect, and decompresses', async () => {
    expect((await safeFetch(`${base}/ok`, { policy: open })).body.toString()).toBe('hello');
    const hop = await safeFetch(`${base}/hop`, { policy: open });
    expect([hop.url, hop.body.toString()]).toEqual([`${base}/ok`, 'hello']);
    expect((await safeFetch(`${base}/gzip`, { policy: open })).body.toString()).toBe('compressed hello');
    expect((await safeFetch(`${base}/missing`, { policy: open })).status).toBe(404);
  });

  it('refuses loopback, private and link-local addresses, by literal or by name, with the default policy', async () => {
    const strict = fetchPolicy({ timeoutMs: 1500 });
    for (const url of [`${base}/ok`, 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', `http://[::1]:${new URL(base).port}/`]) {
      await expect(safeFetch(url, { policy: strict }), url).rejects.toMatchObject({ reason: 'blocked_address' });
    }
    await expect(safeFetch(`http://localhost:${new URL(base).port}/ok`, { policy: strict })).rejects.toMatchObject({ reason: 'blocked_address' });
  });

  it('refuses IPv4 addresses written inside IPv6 literals without connecting', async () => {
    const strict = fetchPolicy({ timeoutMs: 1500 });
    const port = new URL(base).port;
    const before = connections;
    for (const host of ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::7f00:1]', '[::127.0.0.1]', '[::ffff:0:7f00:1]', '[64:ff9b::7f00:1]', '[64:ff9b:1::1]', '[2002:7f00:1::]', '[fec0::1]', '192.88.99.1']) {
      await expect(safeFetch(`http://${host}:${port}/ok`, { policy: strict }), host).rejects.toMatchObject({ reason: 'blocked_address' });
    }
    // The next fetch is the only connection made since: none of the refused ones got as far.
    expect((await safeFetch(`${base}/ok`, { policy: open })).body.toString()).toBe('hello');
    expect(connections).toBe(before + 1);
  });

  it('re-checks every redirect hop', async () => {
    const blocksInner = { ...open, isBlockedAddress: (address: string) => address === '127.0.0.2' };
    await expect(safeFetch(`${base}/to-inner`, { policy: blocksInner })).rejects.toMatchObject({ reason: 'blocked_address' });
    expect((await safeFetch(`${base}/to-inner`, { policy: open })).body.toString()).toBe('inner secret');
  });

  it('stops at the size limit, the redirect limit and the deadline', async () => {
    await expect(safeFetch(`${base}/big`, { policy: open })).rejects.toMatchObject({ reason: 'too_large' });
    await expect(safeFetch(`${base}/endless`, { policy: open })).rejects.toMatchObject({ reason: 'too_large' });
    await expect(safeFetch(`${base}/loop`, { policy: open })).rejects.toMatchObject({ reason: 'too_many_redirects' });
    await expect(safeFetch(`${base}/slow`, { policy: { ...open, timeoutMs: 300 } })).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('refuses other schemes and credentials in the URL', async () => {
    await expect(safeFetch('file:///etc/passwd', { policy: open })).rejects.toMatchObject({ reason: 'bad_url' });
    await expect(safeFetch('ftp://example.com/x', { policy: open })).rejects.toMatchObject({ reason: 'bad_url' });
    await expect(safeFetch(`http://user:pw@127.0.0.1/`, { policy: open })).rejects.toMatchObject({ reason: 'bad_url' });
  });

  it('reads a page title from og:title, falling back to <title>', async () => {
    expect(await fetchPageTitle(`${base}/page`, open)).toBe('The & Real Title');
    expect(await titleFromHtml('<title>  Only\n the title </title>')).toBe('Only the title');
    expect(await fetchPageTitle(`${base}/slow`, { ...open, timeoutMs: 200 })).toBeUndefined();
  });
});

describe('safeFetch deadline, whatever the server does', () => {
  const timeoutMs = 400;
  const policy = fetchPolicy({ allowPrivateHosts: true, timeoutMs, maxBytes: 64 * 1024 });
  // Compressible enough to be a bomb, random enough that a prefix of it never completes a stream.
  const payload = randomBytes(8 * 1024);
  const compressed = { gzip: gzipSync(payload), deflate: deflateSync(payload), br: brotliCompressSync(payload) };
  const zeros = Buffer.alloc(4 * 1024 * 1024);
  const bombs = { gzip: gzipSync(zeros), br: brotliCompressSync(zeros) };
  const closedOnServer = new Map<string, Promise<void>>();
  let server: Server;
  let slowLoris: TcpServer;
  const lorisSockets = new Set<Socket>();
  let base: string;
  let lorisBase: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      closedOnServer.set(path, new Promise((resolve) => res.on('close', resolve)));
      const every = (ms: number, tick: () => void) => {
        const timer = setInterval(tick, ms);
        res.on('close', () => clearInterval(timer));
      };
      const stalled = /^\/stall\/(gzip|deflate|br)$/.exec(path)?.[1];
      if (stalled === 'gzip' || stalled === 'deflate' || stalled === 'br') {
        res.writeHead(200, { 'content-encoding': stalled });
        return res.write(compressed[stalled].subarray(0, 256));
      }
      const hop = /^\/slow-hop\/(\d)$/.exec(path)?.[1];
      if (hop) {
        const next = Number(hop) < 3 ? `/slow-hop/${Number(hop) + 1}` : '/ok';
        const timer = setTimeout(() => res.writeHead(302, { location: next }).end(), timeoutMs * 0.4);
        return res.on('close', () => clearTimeout(timer));
      }
      switch (path) {
        case '/ok':
          return res.end('hello');
        case '/trickle':
          res.writeHead(200);
          return every(50, () => res.write('a'));
        case '/trickle-gzip': {
          res.writeHead(200, { 'content-encoding': 'gzip' });
          const gzip = createGzip({ flush: zlibConstants.Z_SYNC_FLUSH });
          gzip.pipe(res);
          return every(50, () => gzip.write('a'));
        }
        case '/bomb/gzip':
          res.setHeader('content-encoding', 'gzip');
          return res.end(bombs.gzip);
        case '/bomb/br':
          res.setHeader('content-encoding', 'br');
          return res.end(bombs.br);
        case '/corrupt':
          res.setHeader('content-encoding', 'gzip');
          return res.end('this is not gzip');
        default:
          res.statusCode = 404;
          return res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Accepts the connection, then sends the status line and a header a byte at a time, never finishing.
    slowLoris = createTcpServer((socket) => {
      lorisSockets.add(socket);
      socket.on('error', () => {});
      socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
      const timer = setInterval(() => socket.write('a'), 50);
      socket.on('close', () => {
        clearInterval(timer);
        lorisSockets.delete(socket);
      });
    });
    await new Promise<void>((resolve) => slowLoris.listen(0, '127.0.0.1', resolve));
    lorisBase = `http://127.0.0.1:${(slowLoris.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
    for (const socket of lorisSockets) socket.destroy();
    slowLoris.close();
  });

  async function failureWithin(url: string, usePolicy = policy) {
    const started = performance.now();
    const error = await safeFetch(url, { policy: usePolicy }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    return { error, elapsed: performance.now() - started };
  }

  it.each(['gzip', 'deflate', 'br'])('a %s body that stops mid-stream fails as a timeout by the deadline, and the connection is closed', async (encoding) => {
    const { error, elapsed } = await failureWithin(`${base}/stall/${encoding}`);
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(elapsed).toBeLessThan(timeoutMs + 1000);
    await closedOnServer.get(`/stall/${encoding}`);
  });

  it.each(['/trickle', '/trickle-gzip'])('a body trickled a byte at a time (%s) is ended by the total deadline, not an idle timer', async (path) => {
    const { error, elapsed } = await failureWithin(`${base}${path}`);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(elapsed).toBeLessThan(timeoutMs + 1000);
    await closedOnServer.get(path);
  });

  it('headers that never finish (slow loris) fail as a timeout by the deadline', async () => {
    const { error, elapsed } = await failureWithin(`${lorisBase}/`);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(elapsed).toBeLessThan(timeoutMs + 1000);
  });

  it('one deadline covers every redirect hop together', async () => {
    // Each hop answers well inside the deadline; the four together do not.
    const { error, elapsed } = await failureWithin(`${base}/slow-hop/1`);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(elapsed).toBeLessThan(timeoutMs + 1000);
    const patient = fetchPolicy({ allowPrivateHosts: true, timeoutMs: 5000 });
    expect((await safeFetch(`${base}/slow-hop/1`, { policy: patient })).body.toString()).toBe('hello');
  });

  it('a page title read from a stalled compressed page gives up by the deadline', async () => {
    const started = performance.now();
    expect(await fetchPageTitle(`${base}/stall/gzip`, policy)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(timeoutMs + 1000);
  });

  it('counts decompressed bytes: a small compressed bomb is refused as too large', async () => {
    await expect(safeFetch(`${base}/bomb/gzip`, { policy })).rejects.toMatchObject({ reason: 'too_large' });
    await expect(safeFetch(`${base}/bomb/br`, { policy })).rejects.toMatchObject({ reason: 'too_large' });
  });

  it('a body that cannot be decompressed fails with a message saying so', async () => {
    await expect(safeFetch(`${base}/corrupt`, { policy })).rejects.toMatchObject({ reason: 'network', message: expect.stringContaining('could not be decoded') });
  });
});
