// What the row files of the conformance suite (rows-*.ts) get from runConformance (suite.ts): the
// started app, what the connector implements, and the helpers every row uses.
import type { TestContext } from 'node:test';
import type { IamClient } from '../../src/client.js';
import type { Connector } from '../../src/core/connector.js';
import type { VendorRecord } from '../../src/core/record.js';
import type { SupportedCommand } from '../../src/core/supports.js';
import type { Started } from './harness.js';

export interface SuiteContext {
  /** The brand's app, started for this suite (valid inside tests). */
  readonly app: Started;
  /** The brand as records name it. */
  readonly brand: string;
  /** The commands the connector implements. */
  readonly ops: ReadonlySet<SupportedCommand>;
  /**
   * The profile field the app's login (its first lookup attribute after `id`) comes from:
   * `username` for SCIM, AWS-ILM and Local, `email` for Zoom.
   */
  readonly login: string;
  /** A new value for the login field (a rename), still of the field's kind. */
  renamed(value: unknown): string;
  /** A client on the app, with instance flags; closed after each test. */
  client(flags?: Record<string, unknown>): IamClient;
  /** The connector of a fresh client, as the core sees it. */
  connector(): Connector;
  /** The vendor record of a command's result. */
  v(p: Promise<{ vendor: VendorRecord }>): Promise<VendorRecord>;
  /** A row that needs `needs` implemented; skipped (saying why) when the connector lacks one. */
  row(name: string, needs: readonly SupportedCommand[], fn: (tc: TestContext) => Promise<void>): void;
}
