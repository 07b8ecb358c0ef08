// Connection settings as schema pieces a connector's settings schema composes (they are its own
// settings, not keys the core reserves): `z.strictObject({ ...httpConnectionSettings.shape, baseUrl,
// token })`. The client builds the instance's transports from them. Every one is described and
// carries its default, so `iam brands` prints them from the schema itself.
import { z } from 'zod';
import { bool } from '../core/config-schema.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { defaultTransportOptions } from './undici-transport.js';

/**
 * Ranges of the numeric settings (README "Configuration"). Node's timers hold at most 2^31-1 ms:
 * a larger delay fires at once, so an absurd `timeoutMs` timed every request out immediately.
 */
export const LIMITS = {
  timeoutMs: { min: 1, max: 600_000 },
  attempts: { min: 1, max: 20 },
  baseDelayMs: { min: 0, max: 60_000 },
  maxDelayMs: { min: 1, max: 600_000 },
  requestsPerSecond: { max: 1_000_000 },
  burst: { min: 1, max: 100_000 },
} as const;

/** A number in [min, max] (whole when `int`), with one message that says the range. */
function ranged(min: number, max: number, int: boolean, unit = '') {
  const message = `expected a ${int ? 'whole number' : 'number'} from ${min} to ${max}${unit}`;
  const n = z.number({ error: message });
  return (int ? n.int(message) : n).min(min, message).max(max, message);
}

const { timeoutMs, attempts, baseDelayMs, maxDelayMs, requestsPerSecond, burst } = LIMITS;
const retryDefaults = DEFAULT_RETRY_POLICY;
const rps = `expected a number above 0, at most ${requestsPerSecond.max}`;

export const httpConnectionSettings = z.object({
  insecure: bool
    .default(false)
    .describe('true: do not verify TLS certificates (warned on every run); for a test app only'),
  proxy: z
    .union([bool, z.url({ protocol: /^https?$/ })], { error: 'expected true, false or a proxy URL' })
    .default(false)
    .describe(
      'true: the proxy of HTTPS_PROXY/HTTP_PROXY (NO_PROXY honoured); a URL: that proxy; false: none',
    ),
  caFile: z
    .string()
    .optional()
    .describe(
      'a PEM file of CA certificates trusted in addition to the system ones (relative to the config)',
    ),
  timeoutMs: ranged(timeoutMs.min, timeoutMs.max, true, ' (ms)')
    .default(defaultTransportOptions.timeoutMs)
    .describe('ms to wait for an answer before the request fails (and may be retried)'),
  rateLimit: z
    .strictObject(
      {
        requestsPerSecond: z
          .number({ error: rps })
          .positive(rps)
          .max(requestsPerSecond.max, rps)
          .describe('requests per second'),
        burst: ranged(burst.min, burst.max, true)
          .optional()
          .describe('requests that may go at once (default: requestsPerSecond rounded up)'),
      },
      { error: 'expected {requestsPerSecond, burst}' },
    )
    .optional()
    .describe("this instance's request rate (a token bucket); default: the brand's published limit, if any"),
  retry: z
    .strictObject(
      {
        attempts: ranged(attempts.min, attempts.max, true)
          .default(retryDefaults.attempts)
          .describe('attempts in all, the first one included'),
        baseDelayMs: ranged(baseDelayMs.min, baseDelayMs.max, false, ' (ms)')
          .default(retryDefaults.baseDelayMs)
          .describe('ms before the first retry, doubled for each next one'),
        maxDelayMs: ranged(maxDelayMs.min, maxDelayMs.max, false, ' (ms)')
          .default(retryDefaults.maxDelayMs)
          .describe('the longest wait between two attempts, ms'),
      },
      { error: 'expected {attempts, baseDelayMs, maxDelayMs}' },
    )
    .optional()
    .describe('retries of requests that failed for a transient reason (429, 502/503/504, no answer)'),
});
export type HttpConnectionSettings = z.output<typeof httpConnectionSettings>;

/** The connection settings of parsed connector settings (none for a brand that composes no piece). */
export function connectionOf(settings: unknown): Partial<HttpConnectionSettings> {
  if (!settings || typeof settings !== 'object') return {};
  const s = settings as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(httpConnectionSettings.shape)) if (s[k] !== undefined) out[k] = s[k];
  return out as Partial<HttpConnectionSettings>;
}
