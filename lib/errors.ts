/**
 * The one error hierarchy. Domain code throws these; the API's error middleware
 * renders them in the envelope of whichever route family answered. `kind` is
 * the family-neutral meaning; each family maps it to its own codes.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'insufficient_quota'
  | 'payload_too_large'
  | 'unsupported'
  | 'license'
  | 'unavailable'
  | 'upstream'
  | 'internal';

export interface FieldIssue {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  details?: FieldIssue[];
  /** Family-specific code overrides, e.g. `{ tikmatrix: 40002 }` for "missing script_name". */
  codes?: Partial<Record<'tikmatrix' | 'midjourney' | 'suno', number | string>>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly details?: FieldIssue[];
  readonly codes: NonNullable<AppErrorOptions['codes']>;

  constructor(
    readonly kind: ErrorKind,
    readonly status: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
    this.codes = options.codes ?? {};
  }

  /** 5xx messages may carry internals; everything else is written for the caller. */
  get expose(): boolean {
    return this.status < 500;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super('validation', 400, message, options);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid access token', options?: AppErrorOptions) {
    super('unauthorized', 401, message, options);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'not allowed', options?: AppErrorOptions) {
    super('forbidden', 403, message, options);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'not found', options?: AppErrorOptions) {
    super('not_found', 404, message, options);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super('conflict', 409, message, options);
  }
}

export class InsufficientQuotaError extends AppError {
  constructor(message = 'insufficient quota', options?: AppErrorOptions) {
    super('insufficient_quota', 403, message, options);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'request body too large', options?: AppErrorOptions) {
    super('payload_too_large', 413, message, options);
  }
}

/** A feature the caller asked for that this server does not offer (e.g. TikMatrix's "script not supported via API"). */
export class UnsupportedError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super('unsupported', 400, message, options);
  }
}

/** The configured licence plan does not include what was asked for (TikMatrix 40301). */
export class LicenseError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super('license', 403, message, options);
  }
}

export class UnavailableError extends AppError {
  constructor(message = 'service unavailable', options?: AppErrorOptions) {
    super('unavailable', 503, message, options);
  }
}

export class InternalError extends AppError {
  constructor(message = 'internal server error', options?: AppErrorOptions) {
    super('internal', 500, message, options);
  }
}

/** Field-level messages joined into one human sentence for envelopes that only carry a string. */
export function describeIssues(prefix: string, issues: FieldIssue[]): string {
  if (issues.length === 0) return prefix;
  return `${prefix}: ${issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ')}`;
}
