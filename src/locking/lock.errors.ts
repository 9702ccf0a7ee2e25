import { AppError } from '../common/errors/app-error';

/**
 * A WOPI lock operation or a lock-checked write that the current lock does not allow. Answered
 * with 409, `X-WOPI-Lock: <currentLockId>` ("" when the file is unlocked or the lock cannot be
 * represented) and `X-WOPI-LockFailureReason: <reason>`.
 */
export class LockConflictError extends AppError {
  readonly code = 'LOCK_CONFLICT';

  constructor(
    readonly currentLockId: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A missing, empty or over-long lock id (400). */
export class InvalidLockIdError extends AppError {
  readonly code = 'BAD_REQUEST';
}
