import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { ConfigError, InvalidResponseError, TransportError } from '../core/errors.js';
import { Secret } from '../core/secrets.js';
import type { TransportOptions } from './transport.js';
import { createHttpTransport, defaultTransportOptions } from './undici-transport.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A loopback server on port 0 whose answer per request the test chooses. */
async function serve(handler: Handler) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${port}/scim/v2`, seen, port };
}

const TOKEN = 'tok-1234567890-secret';

function transport(baseUrl: string, over: Partial<TransportOptions> = {}) {
  const t = createHttpTransport({
    ...defaultTransportOptions,
    baseUrl,
    headers: { authorization: new Secret(`Bearer ${TOKEN}`) },
    sleep: async () => {},
    ...over,
  });
  after(() => t.close());
  return t;
}

test('defaults are the documented values', () => {
  assert.equal(defaultTransportOptions.timeoutMs, 30_000);
  assert.deepEqual(defaultTransportOptions.retry, { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 });
  assert.equal(defaultTransportOptions.maxResponseBytes, 10 * 1024 * 1024);
});

test('sends JSON as scim+json with the revealed secret, parses a scim+json answer', async () => {
  const srv = await serve((_req, res) => {
    res.writeHead(201, { 'content-type': 'application/scim+json; charset=utf-8' });
    res.end(JSON.stringify({ id: 'u1', active: true }));
  });
  const out = await transport(srv.url).send({ method: 'POST', path: '/Users', body: { userName: 'a"b' } });
  assert.equal(out.status, 201);
  assert.deepEqual(out.json, { id: 'u1', active: true });
  const [req] = srv.seen;
  assert.equal(req?.url, '/scim/v2/Users');
  assert.equal(req?.headers['content-type'], 'application/scim+json');
  assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
  assert.deepEqual(JSON.parse(req?.body ?? ''), { userName: 'a"b' });
});

test('an HTML answer is text, not JSON', async () => {
  const srv = await serve((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body>Bad gateway</body></html>');
  });
  const out = await transport(srv.url, { retry: { ...defaultTransportOptions.retry, attempts: 1 } }).send({
    method: 'GET',
    path: 'Users',
  });
  assert.equal(out.status, 502);
  assert.equal(out.json, null);
  assert.match(out.text, /Bad gateway/);
});

test('429 is retried after Retry-After with the injected sleep', async () => {
  const srv = await serve((_req, res, n) => {
    if (n === 1) {
      res.writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' });
      res.end('{"detail":"slow down"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  const sleeps: number[] = [];
  const t = transport(srv.url, { sleep: async (ms) => void sleeps.push(ms) });
  const out = await t.send({ method: 'GET', path: 'Users?count=1' });
  assert.equal(out.status, 200);
  assert.deepEqual(sleeps, [2000]);
  assert.equal(srv.seen.length, 2);
});

test('a POST answered 503 is not repeated; a GET is', async () => {
  const srv = await serve((_req, res) => {
    res.writeHead(503);
    res.end();
  });
  const t = transport(srv.url);
  assert.equal((await t.send({ method: 'POST', path: 'Users', body: {} })).status, 503);
  assert.equal(srv.seen.length, 1);
  assert.equal((await t.send({ method: 'GET', path: 'Users' })).status, 503);
  assert.equal(srv.seen.length, 1 + defaultTransportOptions.retry.attempts);
});

test('a slow answer times out as a retryable TransportError', async () => {
  const srv = await serve((_req, res) => {
    const timer = setTimeout(() => res.end('{}'), 400);
    res.on('close', () => clearTimeout(timer));
  });
  const t = transport(srv.url, { timeoutMs: 80, retry: { ...defaultTransportOptions.retry, attempts: 1 } });
  await assert.rejects(t.send({ method: 'GET', path: 'Users' }), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.equal(e.retryable, true);
    assert.match(e.message, /127\.0\.0\.1:\d+.*timeout/);
    return true;
  });
});

test('a body past maxResponseBytes is refused, with or without content-length', async () => {
  const srv = await serve((req, res) => {
    const big = 'x'.repeat(5000);
    if (req.url?.endsWith('sized')) {
      res.writeHead(200, { 'content-length': String(big.length) });
      res.end(big);
      return;
    }
    res.writeHead(200);
    res.write(big.slice(0, 2500));
    setTimeout(() => res.end(big.slice(2500)), 10);
  });
  const t = transport(srv.url, { maxResponseBytes: 1000 });
  await assert.rejects(t.send({ method: 'GET', path: 'sized' }), InvalidResponseError);
  await assert.rejects(t.send({ method: 'GET', path: 'chunked' }), /larger than 1000 bytes/);
});

test('connection refused names the host, never the token', async () => {
  const srv = await serve((_req, res) => res.end());
  const dead = `http://127.0.0.1:1/scim`;
  const t = transport(dead, { retry: { ...defaultTransportOptions.retry, attempts: 2 } });
  await assert.rejects(t.send({ method: 'GET', path: 'Users' }), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.match(e.message, /cannot reach 127\.0\.0\.1:1: connection refused/);
    assert.ok(!e.message.includes(TOKEN));
    return true;
  });
  assert.equal(srv.seen.length, 0);
});

test('a header value with a line break is a ConfigError naming the header, never "network error"', async () => {
  const srv = await serve((_req, res) => res.end('{}'));
  const t = transport(srv.url, { headers: { authorization: new Secret(`Bearer ${TOKEN}\nX-Evil: 1`) } });
  await assert.rejects(t.send({ method: 'GET', path: '/Users' }), (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.match(e.message, /request header "authorization" holds a character a header cannot carry/);
    assert.doesNotMatch(e.message, /network error|X-Evil|tok-/);
    return true;
  });
  assert.equal(srv.seen.length, 0);
});
