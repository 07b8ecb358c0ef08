// /metrics: Prometheus text from a registry of this server's own (no global default registry).
// Commands are counted from the records they return (instance, command, outcome); latency is a
// histogram per instance and command; retries and 429s come from the transport's retry events,
// and a command whose record still ends in a 429 is counted as a 429 too.
import { Counter, Histogram, Registry } from 'prom-client';
import type { RetryInfo } from '../http/transport.js';

export type Outcome = 'success' | 'skipped' | 'failed' | 'error';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly #commands: Counter<'instance' | 'command' | 'outcome'>;
  readonly #latency: Histogram<'instance' | 'command'>;
  readonly #retries: Counter<'instance'>;
  readonly #rateLimited: Counter<'instance'>;

  constructor() {
    const registers = [this.registry];
    this.#commands = new Counter({
      name: 'iam_commands_total',
      help: 'Commands run, by instance, command and outcome (success, skipped, failed; error: no record).',
      labelNames: ['instance', 'command', 'outcome'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'iam_command_duration_seconds',
      help: 'Time from a command start to its record, by instance and command.',
      labelNames: ['instance', 'command'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#retries = new Counter({
      name: 'iam_retries_total',
      help: 'Requests to an app sent again by the transport (429, 5xx, network errors), by instance.',
      labelNames: ['instance'],
      registers,
    });
    this.#rateLimited = new Counter({
      name: 'iam_rate_limited_total',
      help: 'HTTP 429 answers from an app (retried or final), by instance.',
      labelNames: ['instance'],
      registers,
    });
  }

  /** One command's end. `errorCode` 429 on a final record counts as a 429 too. */
  command(instance: string, command: string, outcome: Outcome, seconds: number, errorCode?: unknown): void {
    this.#commands.inc({ instance, command, outcome });
    this.#latency.observe({ instance, command }, seconds);
    if (errorCode === 429 || errorCode === '429') this.#rateLimited.inc({ instance });
  }

  /** The client's onRetry hook. */
  readonly retry = (instance: string, info: RetryInfo): void => {
    this.#retries.inc({ instance });
    if (info.reason === 'HTTP 429') this.#rateLimited.inc({ instance });
  };

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
