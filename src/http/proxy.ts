// Forward proxies of one transport. `proxy: false` (the default) goes direct whatever the
// environment says; `proxy: URL` sends everything through that proxy; `proxy: true` reads
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lowercase first, as curl and undici do) once, when the
// transport is built, and hands the same values to undici's EnvHttpProxyAgent, so the proxy we
// name in an error is the one that was used. HTTPS targets go through a CONNECT tunnel; plain HTTP
// targets as absolute-URI requests (many proxies allow CONNECT to port 443 only). A proxy is named
// by host and port only: credentials in its URL never reach a message.
import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';
import { ConfigError, TransportError } from '../core/errors.js';
import type { TlsSettings } from './tls.js';

// undici loads when the first HTTP transport is built, not at every start: a Local or LDAP command
// never pays for it (about 20 MB of memory and 70 ms of start-up here).
const load = createRequire(import.meta.url);
const undici = (): typeof import('undici') => load('undici') as typeof import('undici');

export interface ProxyPlan {
  /** Proxy for http: targets (none: direct). */
  http?: URL;
  /** Proxy for https: targets (none: direct). */
  https?: URL;
  /** NO_PROXY as written (comma or space separated hosts, `.suffix`, `host:port`, `*`). */
  noProxy: string;
  /** Where the plan came from, for messages: `proxy setting` or `environment`. */
  from: 'setting' | 'environment';
}

type Env = Readonly<Record<string, string | undefined>>;

function proxyUrl(raw: string, where: string): URL {
  // curl and most tools accept `host:port` without a scheme in *_PROXY and read it as http.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${where} is not a valid proxy URL (expected http://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where}: proxy URL must start with http:// or https:// (got ${url.protocol}//)`);
  }
  return url;
}

const pick = (env: Env, name: string): string | undefined => {
  const v = env[name.toLowerCase()] ?? env[name];
  return v?.trim() ? v.trim() : undefined;
};

/** What `proxy` means for this transport; undefined: always direct. ConfigError for a bad URL. */
export function proxyPlan(proxy: boolean | string, env: Env = process.env): ProxyPlan | undefined {
  if (proxy === false) return undefined;
  if (typeof proxy === 'string') {
    const url = proxyUrl(proxy, 'proxy setting');
    return { http: url, https: url, noProxy: '', from: 'setting' };
  }
  const httpRaw = pick(env, 'HTTP_PROXY');
  const httpsRaw = pick(env, 'HTTPS_PROXY');
  const http = httpRaw === undefined ? undefined : proxyUrl(httpRaw, 'HTTP_PROXY');
  // As undici: without HTTPS_PROXY, https targets use HTTP_PROXY.
  const https = httpsRaw === undefined ? http : proxyUrl(httpsRaw, 'HTTPS_PROXY');
  return {
    ...(http ? { http } : {}),
    ...(https ? { https } : {}),
    noProxy: pick(env, 'NO_PROXY') ?? '',
    from: 'environment',
  };
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** NO_PROXY matching exactly as undici's EnvHttpProxyAgent does it (host, subdomain, optional port). */
function bypasses(noProxy: string, url: URL): boolean {
  const entries = noProxy.split(/[,\s]/).filter(Boolean);
  if (entries.length === 0) return false;
  if (noProxy === '*') return true;
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || DEFAULT_PORTS[url.protocol] || 0;
  return entries.some((entry) => {
    const m = /^(.+):(\d+)$/.exec(entry);
    const host = (m?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase();
    if (m?.[2] && Number.parseInt(m[2], 10) !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}

/** The proxy a request to `url` goes through, or undefined when it goes direct. */
export function proxyFor(plan: ProxyPlan | undefined, url: URL): URL | undefined {
  if (!plan || bypasses(plan.noProxy, url)) return undefined;
  return url.protocol === 'https:' ? plan.https : plan.http;
}

/** `host:port` of a proxy: never its user or password. */
export function proxyLabel(proxy: URL): string {
  return proxy.port ? `${proxy.hostname}:${proxy.port}` : proxy.hostname;
}

type AgentOptions = ConstructorParameters<typeof Agent>[0];

/** The dispatcher for a plan: a plain Agent when direct, else a proxy agent with the same TLS. */
export function proxyDispatcher(
  plan: ProxyPlan | undefined,
  common: AgentOptions,
  tls: TlsSettings,
): Dispatcher {
  const { Agent, EnvHttpProxyAgent, ProxyAgent } = undici();
  if (!plan) return new Agent({ ...common, connect: tls });
  // proxyTunnel false: http targets as absolute-URI requests; https targets always tunnel.
  if (plan.from === 'setting' && plan.https) {
    return new ProxyAgent({ ...common, uri: plan.https.href, requestTls: tls, proxyTunnel: false });
  }
  return new EnvHttpProxyAgent({
    ...common,
    connect: tls,
    requestTls: tls,
    proxyTunnel: false,
    // '' (not undefined): undici would otherwise read process.env again itself.
    httpProxy: plan.http?.href ?? '',
    httpsProxy: plan.https?.href ?? '',
    noProxy: plan.noProxy,
  });
}

/** Messages of the chain (error, causes, AggregateError members). */
function messages(e: unknown, depth = 0): string[] {
  if (!(e instanceof Error) || depth > 5) return [];
  const inner = e instanceof AggregateError ? e.errors.flatMap((x) => messages(x, depth + 1)) : [];
  return [e.message, ...inner, ...messages(e.cause, depth + 1)];
}

/**
 * The proxy's own refusal (a non-200 answer to CONNECT, or a 407 to a forwarded request) as a
 * TransportError naming the proxy; undefined when the error is something else.
 */
export function proxyRefusal(e: unknown, proxy: URL, host: string): TransportError | undefined {
  let status: number | undefined;
  for (const m of messages(e)) {
    const found = /Proxy response \((\d{3})\)/.exec(m) ?? /Proxy Authentication Required \((407)\)/.exec(m);
    if (found) {
      status = Number(found[1]);
      break;
    }
  }
  if (status === undefined) return undefined;
  const label = proxyLabel(proxy);
  if (status === 407) {
    const advice = proxy.username
      ? 'check the user and password in the proxy URL'
      : 'give them in the proxy URL (http://user:password@host:port)';
    return new TransportError(`proxy ${label} wants credentials (HTTP 407): ${advice}`, { cause: e });
  }
  const retryable = status === 502 || status === 503 || status === 504;
  return new TransportError(`proxy ${label} did not connect to ${host} (HTTP ${status})`, {
    retryable,
    cause: e,
  });
}
