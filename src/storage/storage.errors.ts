import { AppError } from '../common/errors/app-error';
import type { LockInfo } from './storage.types';

/** Outcomes of storage operations, the same for every adapter. */

export class StorageNotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
}

export class StorageAlreadyExistsError extends AppError {
  readonly code = 'ALREADY_EXISTS';
}

/** The file holds a lock that does not match (or the operation needs a lock id it did not get). */
export class StorageLockedError extends AppError {
  readonly code = 'LOCK_CONFLICT';

  constructor(
    message: string,
    readonly current: LockInfo | undefined,
  ) {
    super(message);
  }
}

/** Refresh or unlock of a file that is not locked. */
export class StorageNotLockedError extends AppError {
  readonly code = 'NOT_LOCKED';
}

export class StoragePermissionDeniedError extends AppError {
  readonly code = 'FORBIDDEN';
}

/** The file changed since the caller looked (etag mismatch). */
export class StoragePreconditionError extends AppError {
  readonly code = 'PRECONDITION_FAILED';
}

export class StorageInvalidArgumentError extends AppError {
  readonly code = 'BAD_REQUEST';
}

/** The storage is unreachable or refused to serve; retrying later may work. */
export class StorageUnavailableError extends AppError {
  readonly code = 'UNAVAILABLE';
}

/** The file is still being processed (e.g. post-processing after an upload). */
export class StorageTooEarlyError extends AppError {
  readonly code = 'TOO_EARLY';
}

export class StorageTimeoutError extends AppError {
  readonly code = 'TIMEOUT';
}

/** The storage did not accept the credentials (e.g. an expired or revoked reva token). */
export class StorageUnauthenticatedError extends AppError {
  readonly code = 'UNAUTHORIZED';
}

/** Quota exceeded or the storage is full. */
export class StorageInsufficientStorageError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** The storage failed in a way the caller cannot fix (an internal error, an unexpected answer). */
export class StorageInternalError extends AppError {
  readonly code = 'INTERNAL';
}
