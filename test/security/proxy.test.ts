// Forward proxies, against a real proxy on loopback (the npm package `proxy`) that logs what passed
// through it: `proxy: URL` sends everything through that proxy (HTTPS by CONNECT, HTTP as
// absolute-URI requests), `proxy: true` follows HTTPS_PROXY/HTTP_PROXY/NO_PROXY, `proxy: false`
// (the default) ignores them. Credentials in the proxy URL work and never show up in any output.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import { createHttpTransport } from '../../src/http/undici-transport.js';
import { tempDir } from '../conformance/harness.js';
import { type ForwardProxy, startForwardProxy } from '../servers/forward-proxy.js';
import { type ScimPeer, startScimPeer } from '../servers/scim-peer.js';
import { makeTestPki, type TestPki } from '../servers/tls-pki.js';
import { runCli } from './run-cli.js';

const USER = 'svc-iam';
const PASSWORD = 'S3cr:et/p@ss word';
const ENCODED = encodeURIComponent(PASSWORD);

const dir = tempDir('iam-proxy-');
after(() => dir.cleanup());

let pki: TestPki;
let httpsApp: ScimPeer;
let httpApp: ScimPeer;
let open: ForwardProxy; // no credentials asked
let guarded: ForwardProxy; // asks for USER / PASSWORD

before(async () => {
  pki = makeTestPki(dir.path);
  [httpsApp, httpApp, open, guarded] = await Promise.all([
    startScimPeer({ tls: pki.server }),
    startScimPeer({}),
    startForwardProxy(),
    startForwardProxy({ username: USER, password: PASSWORD }),
  ]);
});
after(async () => {
  await Promise.all([httpsApp.close(), httpApp.close(), open.close(), guarded.close()]);
});
beforeEach(() => {
  open.log.length = 0;
  guarded.log.length = 0;
  httpsApp.requests.length = 0;
  httpApp.requests.length = 0;
});

const withCredentials = (p: ForwardProxy, password = ENCODED) =>
  `http://${USER}:${password}@${p.host}:${p.port}`;

/** A port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One get-user through a fresh library client (retries without waiting). */
async function getUser(app: ScimPeer, settings: Record<string, unknown>): Promise<VendorRecord> {
  const iam = createIamClient({
    config: { instances: { hr: { brand: 'SCIM', baseUrl: app.url, token: app.token, ...settings } } },
    env: {},
    transport: (o) => createHttpTransport({ ...o, sleep: async () => {} }),
  });
  try {
    return (await iam.getUser('hr', { userProfile: { username: 'nobody' } })).vendor;
  } finally {
    await iam.close();
  }
}

function assertReachedApp(vendor: VendorRecord, app: ScimPeer): void {
  assert.equal(vendor.errorCode, 404, vendor.errorMessage);
  assert.equal(app.requests.length, 1);
}

/** Neither the password, its URL-encoded form, nor the Basic credentials appear. */
function assertNoPassword(text: string): void {
  const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  for (const secret of [PASSWORD, ENCODED, basic, 'S3cr']) assert.ok(!text.includes(secret), text);
}

describe('proxy: URL', () => {
  test('an HTTP app is reached through the proxy as an absolute-URI request', async () => {
    const vendor = await getUser(httpApp, { proxy: open.url });
    assertReachedApp(vendor, httpApp);
    assert.equal(open.log.length, 1);
    assert.equal(open.log[0]?.method, 'GET');
    assert.match(open.log[0]?.target ?? '', new RegExp(`^${httpApp.url}/Users\\?filter=userName`));
    // The proxy adds a Via header: the app saw the request come through it.
    assert.match(String(httpApp.requests[0]?.headers.via), /proxy\//);
  });

  test('an HTTPS app is reached through a CONNECT tunnel, with caFile', async () => {
    const vendor = await getUser(httpsApp, { proxy: open.url, caFile: pki.caFile });
    assertReachedApp(vendor, httpsApp);
    assert.deepEqual(
      open.log.map((r) => `${r.method} ${r.target}`),
      [`CONNECT 127.0.0.1:${httpsApp.port}`],
    );
    // Inside the tunnel TLS is still verified: without caFile the certificate is not trusted.
    const untrusted = await getUser(httpsApp, { proxy: open.url });
    assert.equal(untrusted.errorCode, null);
    assert.match(untrusted.errorMessage, /^TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
  });

  test('credentials in the URL are sent to the proxy, for HTTPS and HTTP apps', async () => {
    assertReachedApp(
      await getUser(httpsApp, { proxy: withCredentials(guarded), caFile: pki.caFile }),
      httpsApp,
    );
    assertReachedApp(await getUser(httpApp, { proxy: withCredentials(guarded) }), httpApp);
    assert.deepEqual(
      guarded.log.map((r) => [r.method, r.authorized]),
      [
        ['CONNECT', true],
        ['GET', true],
      ],
    );
    // Proxy credentials are for the proxy: the app never gets them.
    assert.equal(httpApp.requests[0]?.headers['proxy-authorization'], undefined);
  });

  test('a proxy refusing the credentials (407): named, and no password in the record', async () => {
    for (const app of [httpsApp, httpApp]) {
      const vendor = await getUser(app, { proxy: withCredentials(guarded, 'wrong'), caFile: pki.caFile });
      assert.equal(vendor.success, false);
      assert.equal(vendor.errorCode, null);
      assert.equal(
        vendor.errorMessage,
        `proxy 127.0.0.1:${guarded.port} wants credentials (HTTP 407): check the user and password in the proxy URL`,
      );
      assert.equal(app.requests.length, 0);
    }
    const noCredentials = await getUser(httpApp, { proxy: guarded.url });
    assert.match(noCredentials.errorMessage, /wants credentials \(HTTP 407\): give them in the proxy URL/);
  });

  test('a proxy that is not there: the record names the proxy, never its password', async () => {
    const port = await deadPort();
    const vendor = await getUser(httpsApp, {
      proxy: `http://${USER}:${ENCODED}@127.0.0.1:${port}`,
      caFile: pki.caFile,
    });
    assert.equal(vendor.success, false);
    assert.equal(vendor.errorCode, null);
    assert.match(
      vendor.errorMessage,
      new RegExp(
        `^cannot reach proxy 127\\.0\\.0\\.1:${port} \\(for 127\\.0\\.0\\.1:${httpsApp.port}\\): connection refused`,
      ),
    );
    assertNoPassword(JSON.stringify(vendor));
    assert.equal(httpsApp.requests.length, 0);
  });
});

describe('proxy settings through the CLI (the environment is the real one)', () => {
  async function iam(proxySetting: string | undefined, app: ScimPeer, env: Record<string, string>) {
    const config = join(dir.path, 'iam.yaml');
    const proxyLine = proxySetting === undefined ? '' : `    proxy: ${proxySetting}\n`;
    writeFileSync(
      config,
      `instances:\n  hr:\n    brand: SCIM\n    baseUrl: ${app.url}\n    token: \${env:SCIM_TOKEN}\n    caFile: ${pki.caFile}\n${proxyLine}`,
      { mode: 0o600 },
    );
    return runCli(
      ['get-user', '--user-profile', '{"username":"nobody"}', '--config', config, '--output', 'json'],
      {
        env: { HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg'), SCIM_TOKEN: app.token, ...env },
        cwd: dir.path,
      },
    );
  }

  test('proxy: true uses HTTPS_PROXY for an HTTPS app', async () => {
    const r = await iam('true', httpsApp, { HTTPS_PROXY: open.url });
    assert.equal(r.vendors[0]?.errorCode, 404, r.stderr);
    assert.deepEqual(
      open.log.map((x) => x.method),
      ['CONNECT'],
    );
  });

  test('proxy: true uses HTTP_PROXY for an HTTP app, with credentials from the URL', async () => {
    const r = await iam('true', httpApp, { HTTP_PROXY: withCredentials(guarded) });
    assert.equal(r.vendors[0]?.errorCode, 404, r.stderr);
    assert.deepEqual(
      guarded.log.map((x) => [x.method, x.authorized]),
      [['GET', true]],
    );
  });

  test('proxy: true honours NO_PROXY: the app is reached directly', async () => {
    const r = await iam('true', httpsApp, { HTTPS_PROXY: open.url, NO_PROXY: 'localhost,127.0.0.1' });
    assert.equal(r.vendors[0]?.errorCode, 404, r.stderr);
    assert.equal(open.log.length, 0);
    assert.equal(httpsApp.requests.length, 1);
  });

  test('proxy: false (and no proxy setting) ignores HTTPS_PROXY and HTTP_PROXY', async () => {
    const env = { HTTPS_PROXY: open.url, HTTP_PROXY: open.url, https_proxy: open.url };
    for (const setting of ['false', undefined]) {
      const r = await iam(setting, httpsApp, env);
      assert.equal(r.vendors[0]?.errorCode, 404, r.stderr);
    }
    assert.equal(open.log.length, 0);
    assert.equal(httpsApp.requests.length, 2);
  });

  test('a wrong password in the proxy URL: exit 1, a clear record, no password anywhere', async () => {
    const r = await iam(withCredentials(guarded, `${ENCODED}x`), httpsApp, {});
    assert.equal(r.code, 1);
    assert.match(r.vendors[0]?.errorMessage ?? '', /^proxy 127\.0\.0\.1:\d+ wants credentials \(HTTP 407\)/);
    assertNoPassword(r.stdout + r.stderr);
  });

  test('a malformed HTTPS_PROXY is a configuration error (exit 2), without echoing it', async () => {
    const r = await iam('true', httpsApp, { HTTPS_PROXY: `http://${USER}:${ENCODED}@[::bad` });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr.trim(),
      /^iam: error: .*HTTPS_PROXY is not a valid proxy URL \(expected http:\/\/host:port\)$/,
    );
    assertNoPassword(r.stderr);
    assert.equal(httpsApp.requests.length, 0);
  });
});
