// The one error tree of the project. Every error a user can see is an IamError with a stable
// `code` (IAM_ERR_*, never reused) and a message that is safe to print: no secret, no stack.
// Only core/record.ts turns these into a record's errorCode/errorMessage; the CLI maps them to
// exit codes (UsageError and ConfigError: 2).

export type IamErrorCode =
  | 'IAM_ERR_USAGE'
  | 'IAM_ERR_CONFIG'
  | 'IAM_ERR_APP'
  | 'IAM_ERR_NOT_FOUND'
  | 'IAM_ERR_CONFLICT'
  | 'IAM_ERR_RATE_LIMITED'
  | 'IAM_ERR_TRANSPORT'
  | 'IAM_ERR_NOT_SUPPORTED'
  | 'IAM_ERR_AMBIGUOUS'
  | 'IAM_ERR_INVALID_RESPONSE';

/** How an error happened, as far as the thrower knows: what the core decides on (never a status). */
export interface ErrorFlags {
  /** The same request may succeed later, unchanged (rate limit, a gateway error, no answer). */
  retryable?: boolean;
  /** The change may have been applied despite the error: the core looks before writing again. */
  mayHaveLanded?: boolean;
}

export class IamError extends Error {
  readonly code: IamErrorCode;
  readonly retryable: boolean;
  readonly mayHaveLanded: boolean;
  constructor(code: IamErrorCode, message: string, options: { cause?: unknown } & ErrorFlags = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
    this.mayHaveLanded = options.mayHaveLanded ?? false;
  }
}

/** Bad command-line or library input. `field` names what was wrong. Exit code 2. */
export class UsageError extends IamError {
  readonly field: string | undefined;
  constructor(message: string, field?: string, options?: { cause?: unknown }) {
    super('IAM_ERR_USAGE', message, options);
    this.field = field;
  }
}

/** Bad configuration file or instance settings (unknown brand, key, missing secret). Exit code 2. */
export class ConfigError extends IamError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IAM_ERR_CONFIG', message, options);
  }
}

/** Statuses after which the same request may succeed unchanged (the transport's retry set). */
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * The app answered with an error. `status` is the HTTP status (when there is one), `vendorCode` the app's own.
 * `retryable`: the same request may succeed later unchanged (rate limit, 502/503/504). `mayHaveLanded`:
 * the change may have been applied despite the error (5xx but 501, or an earlier attempt's answer was
 * lost), so the core looks before writing again. When the thrower does not say, both follow `status`;
 * the core reads only the flags.
 */
export class AppError extends IamError {
  readonly status: number | undefined;
  readonly vendorCode: string | number | undefined;
  constructor(
    message: string,
    init: {
      status?: number;
      vendorCode?: string | number;
      code?: IamErrorCode;
      retryable?: boolean;
      mayHaveLanded?: boolean;
      cause?: unknown;
    } = {},
  ) {
    const status = init.status;
    super(init.code ?? 'IAM_ERR_APP', message, {
      cause: init.cause,
      retryable: init.retryable ?? (status !== undefined && RETRYABLE_STATUS.has(status)),
      mayHaveLanded: init.mayHaveLanded ?? (status !== undefined && status >= 500 && status !== 501),
    });
    this.status = status;
    this.vendorCode = init.vendorCode;
  }
}

/**
 * The app refused a lookup's filter itself (SCIM: a 400 invalidFilter, or a 500 on a value that had
 * to be escaped): the core asks by the profile's next lookup attribute instead. Thrown by connectors
 * that know what their app's refusal looks like.
 */
export class FilterRefusedError extends AppError {
  constructor(
    message: string,
    init: { status?: number; vendorCode?: string | number; cause?: unknown } = {},
  ) {
    super(message, { ...init, retryable: false, mayHaveLanded: false });
  }
}

/**
 * The app refused a value in the request (a 400 about the content, e.g. an unknown member id), not
 * the request as a whole: the same request without the offending value may succeed, so the core
 * splits a refused membership chunk to find it.
 */
export class InvalidValueError extends AppError {
  constructor(
    message: string,
    init: { status?: number; vendorCode?: string | number; cause?: unknown } = {},
  ) {
    super(message, { ...init, status: init.status ?? 400, retryable: false, mayHaveLanded: false });
  }
}

export class NotFoundError extends AppError {
  constructor(
    message: string,
    init: { status?: number; vendorCode?: string | number; mayHaveLanded?: boolean; cause?: unknown } = {},
  ) {
    super(message, { ...init, status: init.status ?? 404, code: 'IAM_ERR_NOT_FOUND' });
  }
}

export class ConflictError extends AppError {
  constructor(
    message: string,
    init: { status?: number; vendorCode?: string | number; mayHaveLanded?: boolean; cause?: unknown } = {},
  ) {
    super(message, { ...init, status: init.status ?? 409, code: 'IAM_ERR_CONFLICT' });
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    init: {
      retryAfterMs?: number;
      vendorCode?: string | number;
      mayHaveLanded?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, {
      ...init,
      status: 429,
      code: 'IAM_ERR_RATE_LIMITED',
      retryable: true,
      mayHaveLanded: init.mayHaveLanded ?? false,
    });
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Two or more accounts matched one lookup. The message names their ids. */
export class AmbiguousError extends AppError {
  readonly ids: string[];
  constructor(message: string, ids: string[]) {
    super(message, { code: 'IAM_ERR_AMBIGUOUS', retryable: false, mayHaveLanded: false });
    this.ids = ids;
  }
}

/**
 * The app answered something we cannot read (not JSON, wrong shape). `landed`: it answered 2xx, so
 * the app accepted the request and a write did land: it is read back, never sent again.
 */
export class InvalidResponseError extends AppError {
  readonly landed: boolean;
  constructor(message: string, init: { status?: number; cause?: unknown } = {}) {
    const s = init.status;
    const landed = s !== undefined && s >= 200 && s < 300;
    super(message, { ...init, code: 'IAM_ERR_INVALID_RESPONSE', ...(landed ? { mayHaveLanded: true } : {}) });
    this.landed = landed;
  }
}

/**
 * No answer from the app: DNS, connect, TLS, reset, timeout. errorCode is null for these. A retryable
 * one (reset, timeout) may have reached the app: `mayHaveLanded` follows `retryable` unless said.
 */
export class TransportError extends IamError {
  constructor(message: string, init: { cause?: unknown } & ErrorFlags = {}) {
    super('IAM_ERR_TRANSPORT', message, {
      cause: init.cause,
      retryable: init.retryable ?? false,
      mayHaveLanded: init.mayHaveLanded ?? init.retryable ?? false,
    });
  }
}

/** The connector or app cannot do this (e.g. a command the app has no API for). */
export class NotSupportedError extends IamError {
  constructor(message: string) {
    super('IAM_ERR_NOT_SUPPORTED', message);
  }
}

export function isIamError(e: unknown): e is IamError {
  return e instanceof IamError;
}
