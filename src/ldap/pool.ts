// A small pool of bound connections to one directory: at most `size` at once (the batch
// concurrency), each connected, secured (LDAPS or StartTLS) and bound once, then reused, so a batch
// of thousands of commands binds `size` times, not once per call. A connection that failed is
// dropped, never reused. A bind refused for bad credentials is remembered: every later call fails
// with the same one-line error at once (no stream of failed binds to lock the service account out).
import { isIP } from 'node:net';
import { type ConnectionOptions, checkServerIdentity } from 'node:tls';
import type { Client } from 'ldapts';
import { AppError, ConfigError, type IamError, TransportError } from '../core/errors.js';
import type { Secret } from '../core/secrets.js';
import { diagnostic, RESULT, resultCode } from './errors.js';
import { ldapClient } from './lib.js';

export interface DirectoryConnection {
  /** `ldap://host:port` or `ldaps://host:port`. */
  url: string;
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  startTls: boolean;
  /** Simple bind DN; none: anonymous. */
  bindDn?: string | undefined;
  password?: Secret | undefined;
  /** PEM text of the CA certificates to trust (else the system ones). */
  ca?: string | undefined;
  insecure: boolean;
  /** The name the server certificate must carry (when `url` names an address or an alias). */
  tlsServerName?: string | undefined;
  timeoutMs: number;
}

/** Node's TLS error codes that mean "the certificate is not trusted or not for this host". */
const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME|HOSTNAME/;

/** TLS options for one connection: the CA, the name checked, verification unless `insecure`. */
export function tlsOptions(conn: DirectoryConnection): ConnectionOptions {
  const host = new URL(conn.url).hostname.replace(/^\[|\]$/g, '');
  const name = conn.tlsServerName ?? host;
  return {
    ...(conn.ca ? { ca: conn.ca } : {}),
    rejectUnauthorized: !conn.insecure,
    host,
    // SNI carries host names only (RFC 6066 3).
    ...(isIP(name) ? {} : { servername: name }),
    checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert),
  };
}

/** A failure to connect, secure or bind: one line saying what to do. Never the password. */
export function connectError(e: unknown, conn: DirectoryConnection, secrets: readonly string[]): IamError {
  const code = resultCode(e);
  if (code === RESULT.invalidCredentials) {
    return new AppError(
      `bind failed for ${conn.bindDn ?? '(anonymous)'}: invalid credentials (49); check bindDn and password`,
      { status: 401, vendorCode: code, retryable: false },
    );
  }
  const text = diagnostic(e, secrets);
  const errno = (e as { code?: unknown } | null)?.code;
  if (typeof errno === 'string' && CERT_CODES.test(errno)) {
    return new TransportError(
      `TLS to ${conn.url}: the server certificate was not accepted (${errno}: ${text}); set caFile to the CA ` +
        'that signed it, or tlsServerName to the name it carries',
      { retryable: false, mayHaveLanded: false },
    );
  }
  if (code !== undefined) {
    return new AppError(`LDAP bind to ${conn.url} as ${conn.bindDn ?? '(anonymous)'}: ${text} (${code})`, {
      vendorCode: code,
      retryable: code === RESULT.busy || code === RESULT.unavailable,
      mayHaveLanded: false,
    });
  }
  return new TransportError(`cannot connect to ${conn.url}: ${text}`, {
    cause: e,
    retryable: true,
    mayHaveLanded: false,
  });
}

export class ConnectionPool {
  readonly #conn: DirectoryConnection;
  readonly #size: number;
  readonly #secrets: readonly string[];
  readonly #idle: Client[] = [];
  readonly #waiting: ((c: Client | Error) => void)[] = [];
  #live = 0;
  #opened = 0;
  #closed = false;
  #bindRefused: IamError | undefined;

  constructor(conn: DirectoryConnection, size: number, secrets: readonly string[]) {
    if (!/^ldaps?:\/\//i.test(conn.url))
      throw new ConfigError(`url: expected ldap:// or ldaps://, got ${conn.url}`);
    this.#conn = conn;
    this.#size = Math.max(1, size);
    this.#secrets = secrets;
  }

  /** A new connection, secured and bound. Connect, TLS and bind errors become IamErrors. */
  async open(): Promise<Client> {
    if (this.#bindRefused) throw this.#bindRefused;
    this.#opened += 1;
    const conn = this.#conn;
    const secure = /^ldaps:/i.test(conn.url);
    const tls = tlsOptions(conn);
    const client = ldapClient({
      url: conn.url,
      timeout: conn.timeoutMs,
      connectTimeout: conn.timeoutMs,
      ...(secure ? { tlsOptions: tls } : {}),
    });
    try {
      if (conn.startTls && !secure) await client.startTLS(tls);
      if (conn.bindDn) await client.bind(conn.bindDn, conn.password?.reveal() ?? '');
      return client;
    } catch (e) {
      await client.unbind().catch(() => {});
      const err = connectError(e, conn, this.#secrets);
      if (resultCode(e) === RESULT.invalidCredentials) this.#bindRefused = err;
      throw err;
    }
  }

  /** Connections opened (and bound) so far, pooled or dedicated. */
  get opened(): number {
    return this.#opened;
  }

  /** A bound connection from the pool (waits while `size` are in use). */
  async acquire(): Promise<Client> {
    if (this.#closed) throw new TransportError('the directory connection was closed');
    while (this.#idle.length) {
      const c = this.#idle.pop() as Client;
      if (c.isConnected) return c;
      this.#live -= 1;
    }
    if (this.#live < this.#size) {
      this.#live += 1;
      try {
        return await this.open();
      } catch (e) {
        this.#live -= 1;
        this.#wake();
        throw e;
      }
    }
    const got = await new Promise<Client | Error>((resolve) => this.#waiting.push(resolve));
    if (got instanceof Error) throw got;
    return got;
  }

  /** Gives a connection back; `broken` (or a closed socket) drops it instead. */
  release(client: Client, broken = false): void {
    if (broken || this.#closed || !client.isConnected) {
      this.#live -= 1;
      void client.unbind().catch(() => {});
      this.#wake();
      return;
    }
    const next = this.#waiting.shift();
    if (next) next(client);
    else this.#idle.push(client);
  }

  /** A waiter takes a free slot: it opens a connection of its own. */
  #wake(): void {
    const next = this.#waiting.shift();
    if (!next) return;
    this.#live += 1;
    this.open().then(next, (e: Error) => {
      this.#live -= 1;
      next(e);
      this.#wake();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    this.#live -= idle.length;
    for (const w of this.#waiting.splice(0)) w(new TransportError('the directory connection was closed'));
    await Promise.all(idle.map((c) => c.unbind().catch(() => {})));
  }
}
