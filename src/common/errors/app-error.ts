/**
 * Domain errors. Services throw these; one filter per transport maps the code to the protocol's
 * answer (HTTP status and headers, CS3 status code, NATS reply).
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'ALREADY_EXISTS',
  'LOCK_CONFLICT',
  'NOT_LOCKED',
  'PRECONDITION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'NOT_IMPLEMENTED',
  'TOO_EARLY',
  'UNAVAILABLE',
  'TIMEOUT',
  'PROOF_INVALID',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  readonly code = 'BAD_REQUEST';
}

export class UnauthorizedError extends AppError {
  readonly code = 'UNAUTHORIZED';
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class NotImplementedError extends AppError {
  readonly code = 'NOT_IMPLEMENTED';
}

export class UnavailableError extends AppError {
  readonly code = 'UNAVAILABLE';
}

export class InternalError extends AppError {
  readonly code = 'INTERNAL';
}

/** HTTP status for each code, used by every HTTP filter unless a protocol says otherwise. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  LOCK_CONFLICT: 409,
  NOT_LOCKED: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  NOT_IMPLEMENTED: 501,
  TOO_EARLY: 503,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  PROOF_INVALID: 500,
  INTERNAL: 500,
};
