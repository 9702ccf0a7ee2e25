import type { AppError } from '../common/errors/app-error';
import {
  StorageLockedError,
  StorageNotFoundError,
  StorageNotLockedError,
} from '../storage/storage.errors';
import type { LockInfo } from '../storage/storage.types';
import { describeStatus, outcomeOf, type Cs3Operation, type Outcome } from './cs3-status';
import type { Status } from './proto/cs3.messages';

/** How the adapter goes on after a failed call. */
export type Resolution =
  | { error: AppError }
  /** GetLock: the file exists and has no lock. */
  | { noLock: true }
  /** A write failed over a lock id the file does not hold: send it again without one. */
  | { retryWithoutLockId: true };

/** What the resolution may look at: the file's state right now, and the lock the call used. */
export interface FailureScope {
  /** The live lock (GetLock), undefined when there is none. */
  currentLock(): Promise<LockInfo | undefined>;
  /** Whether the resource still exists (Stat). */
  exists(): Promise<boolean>;
  ours?: { lockId?: string; appName?: string };
  /** False after a retry without lock id: no second one. */
  mayRetry?: boolean;
}

/** Reads a failed CS3 call through the status table, asking GetLock/Stat where the code is ambiguous. */
export function resolveStatus(
  operation: Cs3Operation,
  method: string,
  status: Status | undefined,
  scope: FailureScope,
): Promise<Resolution> {
  return resolveOutcome(outcomeOf(operation, status), describeStatus(method, status), scope);
}

export async function resolveOutcome(
  outcome: Outcome,
  message: string,
  scope: FailureScope,
): Promise<Resolution> {
  switch (outcome.kind) {
    case 'error':
      return { error: new outcome.error(message) };
    case 'noLock':
      return (await scope.exists())
        ? { noLock: true }
        : { error: new StorageNotFoundError(message) };
    case 'locked':
      return { error: new StorageLockedError(message, await scope.currentLock()) };
    case 'lockState': {
      const lock = await scope.currentLock();
      return lock
        ? { error: new StorageLockedError(message, lock) }
        : { error: new StorageNotLockedError(message) };
    }
    case 'heldByOther': {
      const lock = await scope.currentLock();
      const ours = scope.ours;
      const other =
        lock !== undefined &&
        (lock.lockId !== ours?.lockId ||
          (ours.appName !== undefined && lock.appName !== ours.appName));
      return other
        ? { error: new StorageLockedError(message, lock) }
        : { error: new outcome.error(message) };
    }
    case 'writeConflict': {
      const lock = await scope.currentLock();
      if (lock) {
        return { error: new StorageLockedError(message, lock) };
      }
      return scope.mayRetry === false
        ? { error: new StorageLockedError(message, undefined) }
        : { retryWithoutLockId: true };
    }
  }
}
