// One HTTP exchange on an undici dispatcher, through its handler interface rather than `request()`:
// the answer's bytes are collected as they arrive, with no Readable stream, async iterator,
// AbortController or event listener per request (a third of the transport's CPU per command, by
// bench/profile-get.ts). What `request()` gave is kept: one deadline for headers and body, an
// answer larger than the cap cut off, an abort asked before the request reached a socket applied
// before anything is written, and an error after the status tells "broke off mid-body" apart.
import type { Dispatcher } from 'undici';

export interface Exchange {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
  maxBytes: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Why an exchange failed; the transport turns each into its own error with the host named. */
export type Failure =
  | { kind: 'timeout'; cause: Error }
  | { kind: 'too-large'; status: number }
  | { kind: 'broke-off'; status: number; cause: Error }
  | { kind: 'unreachable'; cause: Error };

export class ExchangeFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

function flatten(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

const timeoutError = (ms: number) =>
  Object.assign(new Error(`timed out after ${ms} ms`), { code: 'UND_ERR_ABORTED' });

/** Sends one request and collects its answer; rejects with ExchangeFailed. */
export function exchange(dispatcher: Dispatcher, x: Exchange): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: Record<string, string> = {};
    let chunks: Buffer[] = [];
    let size = 0;
    let failure: Failure | undefined;
    let settled = false;
    const stop = (f: Failure) => {
      failure ??= f;
      // Before the request reached a socket there is no controller yet: onRequestStart aborts it
      // then, so it is never written.
      controller?.abort(f.kind === 'timeout' ? f.cause : new Error(f.kind));
    };
    const timer = setTimeout(() => stop({ kind: 'timeout', cause: timeoutError(x.timeoutMs) }), x.timeoutMs);
    const settle = (err: ExchangeFailed | undefined, answer?: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chunks = [];
      if (err) reject(err);
      else resolve(answer as Answer);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (failure) c.abort(failure.kind === 'timeout' ? failure.cause : new Error(failure.kind));
      },
      onResponseStart(c, statusCode, h) {
        status = statusCode;
        headers = flatten(h as Record<string, string | string[] | undefined>);
        const declared = Number(headers['content-length']);
        if (Number.isFinite(declared) && declared > x.maxBytes) {
          failure ??= { kind: 'too-large', status };
          c.abort(new Error('too-large'));
        }
      },
      onResponseData(c, chunk) {
        size += chunk.length;
        if (size > x.maxBytes) {
          failure ??= { kind: 'too-large', status };
          c.abort(new Error('too-large'));
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (failure) return settle(new ExchangeFailed(failure));
        const text =
          chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8');
        settle(undefined, { status, headers, text });
      },
      onResponseError(_c, error) {
        if (failure?.kind === 'timeout') return settle(new ExchangeFailed({ kind: 'timeout', cause: error }));
        if (failure) return settle(new ExchangeFailed(failure));
        settle(
          new ExchangeFailed(
            status ? { kind: 'broke-off', status, cause: error } : { kind: 'unreachable', cause: error },
          ),
        );
      },
    };
    try {
      dispatcher.dispatch(
        {
          origin: x.origin,
          path: x.path,
          method: x.method as Dispatcher.HttpMethod,
          headers: x.headers,
          body: x.body,
        },
        handler,
      );
    } catch (e) {
      settle(
        new ExchangeFailed({ kind: 'unreachable', cause: e instanceof Error ? e : new Error(String(e)) }),
      );
    }
  });
}
