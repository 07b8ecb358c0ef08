// Test set-up for the server tests: a config file with a Local instance (a file in a temp dir), a
// SCIM instance aimed at the repo's SCIM test server, and API keys of every kind; the app built
// in-process (for inject) from that file, as `iam serve` builds it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { type ServerClients, serverClients } from '../../src/server/clients.js';
import { ServerMetrics } from '../../src/server/metrics.js';
import { BIN, type IamRun, runIam } from '../support/run-iam.js';

export const KEYS = {
  admin: 'adm1n-key-0c1d2e3f4a5b6c7d8e9f',
  reader: 'read3r-key-1a2b3c4d5e6f7a8b9c0d',
  localOnly: 'l0cal-only-key-9f8e7d6c5b4a3f2e',
} as const;

export interface Setup {
  dir: string;
  configPath: string;
  auditPath: string;
  env: Record<string, string>;
}

/** A config with instances `local` (Local) and, when `scimUrl` is given, `scim` (SCIM brand). */
export function writeSetup(scim?: { url: string; token: string }): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'iam-server-'));
  const scimInstance = scim
    ? `  scim:\n    brand: SCIM\n    baseUrl: ${scim.url}\n    token: \${env:SCIM_TOKEN}\n    allowDelete: true\n`
    : '';
  const config = `instances:
  local:
    brand: Local
    path: ${join(dir, 'local.db')}
    allowDelete: true
${scimInstance}server:
  apiKeys:
    - name: soar
      key: \${env:IAM_API_KEY}
      scopes: [read, write]
    - name: auditor
      key: \${file:${join(dir, 'reader.key')}}
      scopes: [read]
    - name: local-bot
      key: ${KEYS.localOnly}
      scopes: [write]
      instances: [local]
`;
  const configPath = join(dir, 'iam.yaml');
  writeFileSync(configPath, config, { mode: 0o600 });
  writeFileSync(join(dir, 'reader.key'), `${KEYS.reader}\n`, { mode: 0o600 });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    XDG_DATA_HOME: join(dir, 'xdg'),
    IAM_API_KEY: KEYS.admin,
    ...(scim ? { SCIM_TOKEN: scim.token } : {}),
  };
  return { dir, configPath, auditPath: join(dir, 'audit.log'), env };
}

export interface TestApp {
  app: FastifyInstance;
  clients: ServerClients;
  logs: string[];
  /** Every route the app answers (HEAD excepted). */
  routes: { method: string; url: string }[];
  close(): Promise<void>;
}

export async function startApp(setup: Setup): Promise<TestApp> {
  const logs: string[] = [];
  const metrics = new ServerMetrics();
  const clients = serverClients({
    configPath: setup.configPath,
    env: setup.env,
    cwd: setup.dir,
    auditLog: setup.auditPath,
    logLevel: 'debug',
    logWrite: (l) => logs.push(l),
    onWarning: (m) => logs.push(m),
    onRetry: metrics.retry,
  });
  const routes: { method: string; url: string }[] = [];
  const app = await buildApp({
    clients,
    metrics,
    onRoute: (r) => {
      if (r.method !== 'HEAD') routes.push(r);
    },
  });
  return {
    app,
    clients,
    logs,
    routes,
    close: async () => {
      await app.close();
      await clients.close();
    },
  };
}

export const auditLines = (setup: Setup): Record<string, unknown>[] =>
  (existsSync(setup.auditPath) ? readFileSync(setup.auditPath, 'utf8') : '')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export interface Served {
  child: ChildProcess;
  url: string;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

/** `iam serve` spawned on port 0, its URL read back from the one line it prints. */
export async function serve(setup: Setup, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--config', setup.configPath, '--port', '0', '--audit-log', setup.auditPath],
    { cwd: setup.dir, env: { ...setup.env, IAM_LOG_LEVEL: 'debug', ...env } },
  );
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const exited = new Promise<number | null>((done) => child.on('close', done));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, url, out: () => out, err: () => err, exited };
}

/** `iam get-user` of `username` on the setup's Local instance, run as a user runs the CLI. */
export const cliGetUser = (setup: Setup, username: string, extra: readonly string[] = []): Promise<IamRun> =>
  runIam(
    [
      'get-user',
      '--config',
      setup.configPath,
      '--instance',
      'local',
      '--user-profile',
      JSON.stringify({ username }),
      ...extra,
    ],
    { cwd: setup.dir, env: setup.env },
  );
