// The vendor-neutral directory client (as src/scim is for SCIM): searches, paged lists and writes
// over a ConnectionPool, each failure turned into the contract's error classes. Reads are retried
// when the server was busy or unavailable or the connection was lost; writes are retried only when
// the server refused them before doing anything (busy, unavailable, or the request was never sent).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Change, Client, Entry, Filter } from 'ldapts';
import { IamError, TransportError } from '../core/errors.js';
import { isRetryableRead, RESULT, resultCode, toIamError } from './errors.js';
import { presenceFilter } from './lib.js';
import { ConnectionPool, type DirectoryConnection } from './pool.js';

/** An entry as read: its DN and each attribute's values (binary ones as Buffers). */
export interface DirEntry {
  dn: string;
  /** Attribute name (as requested, else as the server spelt it) -> values. */
  attrs: Record<string, (string | Buffer)[]>;
}

export interface SearchRequest {
  base: string;
  filter: Filter;
  scope?: 'base' | 'one' | 'sub';
  attributes: readonly string[];
  /** Attributes read as raw bytes (objectGUID). */
  binary?: readonly string[];
  sizeLimit?: number;
}

export interface ClientOptions extends DirectoryConnection {
  /** Connections at most (the batch concurrency). */
  poolSize: number;
  /** Attempts in all for a read (and for a write the server refused unprocessed). */
  attempts?: number;
  /** Every secret value, scrubbed from error messages. */
  secrets: readonly string[];
}

/** Values of an attribute of an ldapts entry, as an array. */
function valuesOf(v: Entry[string] | undefined): (string | Buffer)[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function toDirEntry(e: Entry, requested: readonly string[]): DirEntry {
  const names = new Map(requested.map((n) => [n.toLowerCase(), n]));
  const attrs: Record<string, (string | Buffer)[]> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'dn') continue;
    const values = valuesOf(v);
    if (values.length) attrs[names.get(k.toLowerCase()) ?? k] = values;
  }
  return { dn: e.dn, attrs };
}

/** The first value of an attribute as text (case-insensitive name), or undefined. */
export function first(entry: DirEntry, name: string): string | Buffer | undefined {
  return all(entry, name)[0];
}

export function all(entry: DirEntry, name: string): (string | Buffer)[] {
  if (entry.attrs[name]) return entry.attrs[name];
  const lower = name.toLowerCase();
  const key = Object.keys(entry.attrs).find((k) => k.toLowerCase() === lower);
  return key === undefined ? [] : (entry.attrs[key] ?? []);
}

const NOT_SENT = /Socket connection not established/;

export class DirectoryClient {
  readonly #opts: ClientOptions;
  #pool: ConnectionPool | undefined;

  constructor(opts: ClientOptions) {
    this.#opts = opts;
  }

  /** Connections opened (each bound once) since the pool was made: a batch reuses them. */
  get connectionsOpened(): number {
    return this.#pool?.opened ?? 0;
  }

  get options(): ClientOptions {
    return this.#opts;
  }

  #getPool(): ConnectionPool {
    this.#pool ??= new ConnectionPool(this.#opts, this.#opts.poolSize, this.#opts.secrets);
    return this.#pool;
  }

  /**
   * Runs `fn` on a pooled connection. `write`: a lost connection after sending may have applied
   * it (mayHaveLanded), so it is not retried; a read is retried on any transient failure.
   */
  async run<T>(what: string, write: boolean, fn: (c: Client) => Promise<T>): Promise<T> {
    const attempts = this.#opts.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const pool = this.#getPool();
      let client: Client;
      try {
        client = await pool.acquire();
      } catch (e) {
        // Nothing was sent: a connection that could not be opened is retried, reads and writes alike.
        if (!(e instanceof IamError && e.retryable) || attempt >= attempts) throw e;
        await sleep(50 * 2 ** (attempt - 1));
        continue;
      }
      let broken = false;
      try {
        return await fn(client);
      } catch (e) {
        const code = resultCode(e);
        broken = code === undefined;
        const sent = !(e instanceof Error && NOT_SENT.test(e.message));
        const refused = code === RESULT.busy || code === RESULT.unavailable;
        const again = write ? refused || !sent : isRetryableRead(e);
        if (!again || attempt >= attempts)
          throw toIamError(e, { what, write, sent, secrets: this.#opts.secrets });
      } finally {
        pool.release(client, broken);
      }
      await sleep(50 * 2 ** (attempt - 1));
    }
  }

  /** Every entry that matches (one request; `sizeLimit` caps it). */
  async search(req: SearchRequest): Promise<DirEntry[]> {
    const res = await this.run(`search ${req.base}`, false, (c) =>
      c.search(req.base, {
        scope: req.scope ?? 'sub',
        filter: req.filter,
        attributes: [...req.attributes],
        explicitBufferAttributes: [...(req.binary ?? [])],
        ...(req.sizeLimit ? { sizeLimit: req.sizeLimit } : {}),
      }),
    );
    return res.searchEntries.map((e) => toDirEntry(e, req.attributes));
  }

  /** The entry at `dn`, or null when there is none. */
  async read(
    dn: string,
    attributes: readonly string[],
    binary?: readonly string[],
  ): Promise<DirEntry | null> {
    try {
      const found = await this.search({
        base: dn,
        scope: 'base',
        filter: presenceFilter('objectClass'),
        attributes,
        ...(binary ? { binary } : {}),
      });
      return found[0] ?? null;
    } catch (e) {
      if (resultCode((e as { cause?: unknown }).cause) === RESULT.noSuchObject) return null;
      throw e;
    }
  }

  add(dn: string, attributes: Record<string, string[] | string | Buffer[]>): Promise<void> {
    return this.run(`add ${dn}`, true, (c) => c.add(dn, attributes as Record<string, string[]>));
  }

  modify(dn: string, changes: Change[]): Promise<void> {
    return this.run(`modify ${dn}`, true, (c) => c.modify(dn, changes));
  }

  /** Renames `dn` (and moves it under `newParent` when given). */
  rename(dn: string, newRdn: string, newParent?: string): Promise<void> {
    const target = newParent ? `${newRdn},${newParent}` : newRdn;
    return this.run(`rename ${dn}`, true, (c) => c.modifyDN(dn, target));
  }

  del(dn: string): Promise<void> {
    return this.run(`delete ${dn}`, true, (c) => c.del(dn));
  }

  /** A dedicated connection (not pooled): a paged search's cookie is valid on its connection only. */
  openDedicated(): Promise<Client> {
    return this.#getPool().open();
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.close();
  }
}

export const closedError = () => new TransportError('the directory connection was closed');
