import type { AppError } from '../common/errors/app-error';
import {
  StorageAlreadyExistsError,
  StorageInsufficientStorageError,
  StorageInternalError,
  StorageInvalidArgumentError,
  StorageNotFoundError,
  StoragePermissionDeniedError,
  StoragePreconditionError,
  StorageTimeoutError,
  StorageTooEarlyError,
  StorageUnauthenticatedError,
  StorageUnavailableError,
} from '../storage/storage.errors';
import { CS3_CODES, type Cs3Code, type Status } from './proto/cs3.messages';

/** The storage operations whose CS3 answers need their own reading. */
export type Cs3Operation =
  | 'stat'
  | 'download'
  | 'upload'
  | 'setLock'
  | 'getLock'
  | 'refreshLock'
  | 'unlock'
  | 'move'
  | 'delete'
  | 'whoAmI';

type ErrorClass = new (message: string) => AppError;

/**
 * What a CS3 status code means for an operation. Some codes are ambiguous in oCIS (decomposedfs):
 * the adapter then asks GetLock (or Stat) before it decides.
 * - `error`: that domain error.
 * - `noLock`: GetLock's "no lock" (NOT_FOUND) — unless Stat says the file itself is gone.
 * - `locked`: StorageLockedError carrying the current lock (GetLock; may be none after a race).
 * - `lockState`: no lock now → StorageNotLockedError; a lock → StorageLockedError with it.
 * - `heldByOther`: a lock with another id or app → StorageLockedError with it; else `error`.
 * - `writeConflict`: a lock → StorageLockedError with it; none → the write is retried once
 *   without lock id (the port ignores lock ids on unlocked files, decomposedfs refuses them).
 */
export type Outcome =
  | { kind: 'error'; error: ErrorClass }
  | { kind: 'noLock' }
  | { kind: 'locked' }
  | { kind: 'lockState' }
  | { kind: 'heldByOther'; error: ErrorClass }
  | { kind: 'writeConflict' };

const error = (cls: ErrorClass): Outcome => ({ kind: 'error', error: cls });
const NO_LOCK: Outcome = { kind: 'noLock' };
const LOCKED: Outcome = { kind: 'locked' };
const LOCK_STATE: Outcome = { kind: 'lockState' };
const WRITE_CONFLICT: Outcome = { kind: 'writeConflict' };
const heldByOther = (cls: ErrorClass): Outcome => ({ kind: 'heldByOther', error: cls });

type Row = { otherwise: Outcome } & Partial<Record<Cs3Operation, Outcome>>;

/**
 * THE table: every cs3.rpc.v1beta1.Code, what it means by default and where oCIS uses it by
 * accident (decomposedfs, reva's storage provider; see docs/adr/0020-cs3-status-mapping.md).
 */
export const CS3_STATUS_TABLE: Record<Exclude<Cs3Code, 'CODE_OK'>, Row> = {
  CODE_INVALID: { otherwise: error(StorageInternalError) },
  CODE_CANCELLED: { otherwise: error(StorageUnavailableError) },
  CODE_UNKNOWN: { otherwise: error(StorageInternalError) },
  CODE_INVALID_ARGUMENT: { otherwise: error(StorageInvalidArgumentError) },
  CODE_DEADLINE_EXCEEDED: { otherwise: error(StorageTimeoutError) },
  // decomposedfs: GetLock on an unlocked file is NOT_FOUND (and so is GetLock on a missing file).
  CODE_NOT_FOUND: { otherwise: error(StorageNotFoundError), getLock: NO_LOCK },
  CODE_ALREADY_EXISTS: { otherwise: error(StorageAlreadyExistsError) },
  // decomposedfs: Refresh/Unlock with another app name (or lock user) is PERMISSION_DENIED.
  CODE_PERMISSION_DENIED: {
    otherwise: error(StoragePermissionDeniedError),
    setLock: heldByOther(StoragePermissionDeniedError),
    refreshLock: heldByOther(StoragePermissionDeniedError),
    unlock: heldByOther(StoragePermissionDeniedError),
  },
  CODE_UNAUTHENTICATED: { otherwise: error(StorageUnauthenticatedError) },
  CODE_RESOURCE_EXHAUSTED: { otherwise: error(StorageInsufficientStorageError) },
  // decomposedfs: SetLock on a locked file; RefreshLock on an unlocked one ("lock does not exist").
  CODE_FAILED_PRECONDITION: {
    otherwise: error(StoragePreconditionError),
    setLock: LOCKED,
    refreshLock: LOCK_STATE,
    unlock: LOCK_STATE,
  },
  // decomposedfs: Refresh with another id; Unlock of an unlocked file; a write with a wrong lock id
  // or with a lock id on an unlocked file.
  CODE_ABORTED: {
    otherwise: LOCKED,
    setLock: LOCKED,
    refreshLock: LOCK_STATE,
    unlock: LOCK_STATE,
    upload: WRITE_CONFLICT,
    move: WRITE_CONFLICT,
    delete: WRITE_CONFLICT,
  },
  CODE_OUT_OF_RANGE: { otherwise: error(StorageInvalidArgumentError) },
  CODE_UNIMPLEMENTED: { otherwise: error(StorageInternalError) },
  // reva's InitiateFileUpload answers a lock mismatch (errtypes.Aborted) with INTERNAL.
  CODE_INTERNAL: {
    otherwise: error(StorageInternalError),
    upload: heldByOther(StorageInternalError),
  },
  CODE_UNAVAILABLE: { otherwise: error(StorageUnavailableError) },
  CODE_DATA_LOSS: { otherwise: error(StorageInternalError) },
  CODE_REDIRECTION: { otherwise: error(StorageInternalError) },
  CODE_INSUFFICIENT_STORAGE: { otherwise: error(StorageInsufficientStorageError) },
  // decomposedfs: a write without lock id on a locked file; Unlock with another id.
  CODE_LOCKED: {
    otherwise: LOCKED,
    refreshLock: LOCK_STATE,
    unlock: LOCK_STATE,
    upload: WRITE_CONFLICT,
    move: WRITE_CONFLICT,
    delete: WRITE_CONFLICT,
  },
  // reva: Delete while the file is still being post-processed.
  CODE_TOO_EARLY: { otherwise: error(StorageTooEarlyError) },
};

/** The code's name; numbers this proto set does not know stay numbers. */
export function codeOf(status: Status | undefined): Cs3Code | number {
  const code = status?.code ?? 'CODE_INVALID';
  return typeof code === 'number' ? (CS3_CODES[code] ?? code) : code;
}

/** What a non-OK status means for `operation`. */
export function outcomeOf(operation: Cs3Operation, status: Status | undefined): Outcome {
  const code = codeOf(status);
  if (code === 'CODE_OK') {
    throw new Error('CODE_OK is not an error');
  }
  if (typeof code === 'number') {
    return error(StorageInternalError);
  }
  const row = CS3_STATUS_TABLE[code];
  return row[operation] ?? row.otherwise;
}

/** "Stat: CODE_NOT_FOUND (stat: ... not found)" — for error messages and logs. */
export function describeStatus(method: string, status: Status | undefined): string {
  const code = codeOf(status);
  const message = status?.message ? ` (${status.message})` : '';
  return `${method}: ${typeof code === 'number' ? `code ${String(code)}` : code}${message}`;
}

/**
 * Data-gateway HTTP answers (reva's simple/spaces data servers and the data gateway in front):
 * 400 for a 0-byte or malformed PUT, 403 for a bad transfer token or missing permission, 412 for a
 * failed precondition or lock mismatch at the end of an upload, 425 while post-processing.
 */
export function dataStatusOutcome(status: number): Outcome {
  switch (status) {
    case 400:
      return error(StorageInvalidArgumentError);
    case 401:
      return error(StorageUnauthenticatedError);
    case 403:
      return error(StoragePermissionDeniedError);
    case 404:
      return error(StorageNotFoundError);
    case 409:
    case 412:
      return heldByOther(StoragePreconditionError);
    case 423:
      return LOCKED;
    case 425:
      return error(StorageTooEarlyError);
    case 502:
    case 503:
    case 504:
      return error(StorageUnavailableError);
    case 507:
      return error(StorageInsufficientStorageError);
    default:
      return error(StorageInternalError);
  }
}
