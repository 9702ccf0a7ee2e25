import { AppError, type ErrorCode } from '../common/errors/app-error';
import type { Cs3Code, Status } from '../cs3/proto/cs3.messages';

/** The CS3 status code OpenInApp answers for each domain error (the gRPC call itself succeeds). */
export const CS3_CODE_BY_ERROR: Record<ErrorCode, Cs3Code> = {
  BAD_REQUEST: 'CODE_INVALID_ARGUMENT',
  UNAUTHORIZED: 'CODE_UNAUTHENTICATED',
  FORBIDDEN: 'CODE_PERMISSION_DENIED',
  NOT_FOUND: 'CODE_NOT_FOUND',
  CONFLICT: 'CODE_ABORTED',
  ALREADY_EXISTS: 'CODE_ALREADY_EXISTS',
  LOCK_CONFLICT: 'CODE_LOCKED',
  NOT_LOCKED: 'CODE_FAILED_PRECONDITION',
  PRECONDITION_FAILED: 'CODE_FAILED_PRECONDITION',
  PAYLOAD_TOO_LARGE: 'CODE_RESOURCE_EXHAUSTED',
  NOT_IMPLEMENTED: 'CODE_UNIMPLEMENTED',
  TOO_EARLY: 'CODE_TOO_EARLY',
  UNAVAILABLE: 'CODE_UNAVAILABLE',
  TIMEOUT: 'CODE_DEADLINE_EXCEEDED',
  PROOF_INVALID: 'CODE_INTERNAL',
  INTERNAL: 'CODE_INTERNAL',
};

/** The status of a failed call: domain errors by their code, anything else CODE_INTERNAL. */
export function statusOfError(error: unknown): Status {
  if (error instanceof AppError) {
    return { code: CS3_CODE_BY_ERROR[error.code], message: error.message };
  }
  return { code: 'CODE_INTERNAL', message: 'internal error' };
}
