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

export class IamError extends Error {
  readonly code: IamErrorCode;
  constructor(code: IamErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
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

/**
 * The app answered with an error. `status` is the HTTP status (when there is one), `vendorCode` the app's own.
 * `retryable`: the same request may succeed later unchanged (rate limit, 502/503/504). `mayHaveLanded`:
 * the change may have been applied despite the error (5xx, or an earlier attempt's answer was lost),
 * so the core looks before writing again. Both false unless the thrower knows better.
 */
export class AppError extends IamError {
  readonly status: number | undefined;
  readonly vendorCode: string | number | undefined;
  readonly retryable: boolean;
  readonly mayHaveLanded: boolean;
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
    super(init.code ?? 'IAM_ERR_APP', message, { cause: init.cause });
    this.status = init.status;
    this.vendorCode = init.vendorCode;
    this.retryable = init.retryable ?? false;
    this.mayHaveLanded = init.mayHaveLanded ?? false;
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
    super(message, { ...init, status: 429, code: 'IAM_ERR_RATE_LIMITED', retryable: true });
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Two or more accounts matched one lookup. The message names their ids. */
export class AmbiguousError extends AppError {
  readonly ids: string[];
  constructor(message: string, ids: string[]) {
    super(message, { code: 'IAM_ERR_AMBIGUOUS' });
    this.ids = ids;
  }
}

/** The app answered something we cannot read (not JSON, wrong shape). */
export class InvalidResponseError extends AppError {
  constructor(message: string, init: { status?: number; cause?: unknown } = {}) {
    super(message, { ...init, code: 'IAM_ERR_INVALID_RESPONSE' });
  }
}

/** No answer from the app: DNS, connect, TLS, reset, timeout. errorCode is null for these. */
export class TransportError extends IamError {
  readonly retryable: boolean;
  constructor(message: string, init: { retryable?: boolean; cause?: unknown } = {}) {
    super('IAM_ERR_TRANSPORT', message, { cause: init.cause });
    this.retryable = init.retryable ?? false;
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
