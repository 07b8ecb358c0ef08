import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { withJson } from './json.js';
import type { Transport } from './transport.js';
import { createHttpTransport, defaultTransportOptions } from './undici-transport.js';

const got: { headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString('utf8');
  });
  req.on('end', () => {
    got.push({ headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
let api: Transport;
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = withJson(createHttpTransport({ ...defaultTransportOptions, baseUrl, headers: {} }));
});
after(async () => {
  await api.close();
  server.close();
});

describe('JSON as the default content type', () => {
  it('a write is sent as application/json and asks for JSON back', async () => {
    const res = await api.send({ method: 'POST', path: 'users', body: { email: 'a@example.com' } });
    assert.equal(res.status, 200);
    const sent = got.at(-1);
    assert.equal(sent?.headers['content-type'], 'application/json');
    assert.equal(sent?.headers.accept, 'application/json');
    assert.deepEqual(JSON.parse(sent?.body ?? ''), { email: 'a@example.com' });
  });

  it('a read asks for JSON and declares no body type', async () => {
    await api.send({ method: 'GET', path: 'users/u1' });
    assert.equal(got.at(-1)?.headers.accept, 'application/json');
    assert.equal(got.at(-1)?.headers['content-type'], undefined);
  });

  it("a request's own types win, whatever their case (SCIM, a form)", async () => {
    await api.send({
      method: 'PATCH',
      path: 'Users/u1',
      headers: { 'Content-Type': 'application/scim+json' },
      body: {},
    });
    assert.equal(got.at(-1)?.headers['content-type'], 'application/scim+json');
    await api.send({
      method: 'POST',
      path: 'token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', Accept: 'text/plain' },
      body: 'a=1&b=2',
    });
    assert.equal(got.at(-1)?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(got.at(-1)?.headers.accept, 'text/plain');
    assert.equal(got.at(-1)?.body, 'a=1&b=2');
  });
});
