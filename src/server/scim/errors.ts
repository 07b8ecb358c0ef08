// SCIM error answers (RFC 7644 3.12): one class the routes throw, one body the plugin sends, and the
// one place a command's record becomes an HTTP status. A record is never read as more than it says:
// a skipped write is not a success, and an app failure is the app's status where SCIM has one.
import { escapeControls } from '../../core/one-line.js';
import type { GroupRecord, VendorRecord } from '../../core/record.js';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 table 9, the ones this gateway uses. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ScimHttpError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  constructor(status: number, detail: string, scimType?: ScimType) {
    super(detail);
    this.status = status;
    this.scimType = scimType;
  }
}

/**
 * The error body: `status` is a string, as RFC 7644 3.12 shows it; `detail` one line (a path or
 * filter the client sent is echoed with its control characters escaped).
 */
export function errorBody(status: number, detail: string, scimType?: ScimType): Record<string, unknown> {
  const line = escapeControls(detail);
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail: line };
}

export const badRequest = (detail: string, scimType: ScimType = 'invalidValue') =>
  new ScimHttpError(400, detail, scimType);

/** The reason core/commands gives a write an instance's flags forbid. */
const DISABLED = 'Command is disabled.';
const NOT_FOUND_REASONS = new Set(['User does not exist', 'Group Not Found']);

/**
 * The HTTP error a record stands for, or undefined when it is a real success. Decisions (README):
 * a command the instance's flags turn off (or a dry run) is 403, an operation the connector lacks is
 * 501, the app's not-found 404, its conflict 409 `uniqueness`, its other 4xx kept (but 401 and 407,
 * which are about the gateway's own credentials), anything else 502.
 */
export function recordError(record: VendorRecord | GroupRecord): ScimHttpError | undefined {
  if (record.skipped) {
    const reason = record.reason ?? '';
    if (NOT_FOUND_REASONS.has(reason)) return new ScimHttpError(404, reason);
    if (reason === DISABLED) return new ScimHttpError(403, `${reason} (set by this instance's flags)`);
    return new ScimHttpError(403, `Nothing was changed: ${reason}`);
  }
  if (record.success) return undefined;
  const message = record.errorMessage || 'the app refused the request';
  if (/ does not support /.test(message) && record.errorCode === null) return new ScimHttpError(501, message);
  const code = typeof record.errorCode === 'number' ? record.errorCode : Number.NaN;
  if (code === 404) return new ScimHttpError(404, message);
  if (code === 409) return new ScimHttpError(409, message, 'uniqueness');
  if (code === 400) return new ScimHttpError(400, message, 'invalidValue');
  // The app refusing the gateway's own credentials (401, 407) is the gateway's failure, not the client's.
  if (code >= 402 && code < 500 && code !== 407) return new ScimHttpError(code, message);
  if (record.errorCode === null && /no lookup attribute|expected|required/i.test(message))
    return new ScimHttpError(400, message, 'invalidValue');
  return new ScimHttpError(502, `The app behind this gateway failed: ${message}`);
}
