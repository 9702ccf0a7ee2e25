import { Injectable } from '@nestjs/common';
import { StorageGateway } from '../storage/storage-gateway.port';
import { StorageLockedError, StorageNotLockedError } from '../storage/storage.errors';
import type {
  FileInfo,
  FileRef,
  LockInfo,
  LockRequest,
  StorageCredentials,
} from '../storage/storage.types';
import { lockHeaderValue } from './lock-id';
import { LockConflictError } from './lock.errors';

/** WOPI locks last 30 minutes unless refreshed (the editors refresh every 10-15 minutes). */
export const LOCK_DURATION_MS = 30 * 60_000;

/** The file a lock operation is about, who asks, and the app name the storage lock carries. */
export interface LockTarget {
  ref: FileRef;
  credentials: StorageCredentials;
  appName: string;
}

export const LOCK_REASONS = {
  conflict: 'Conflicting lock',
  otherApp: 'Locked by another app',
  notLocked: 'File not locked',
  mismatch: 'Lock mismatch',
  locked: 'File is locked',
  unlockedNotEmpty: 'Cannot PutFile on an unlocked file that is not empty',
} as const;

/**
 * The WOPI lock rules (Lock, UnlockAndRelock, GetLock, RefreshLock, Unlock, and the lock checks of
 * writes) over the storage's lock primitives, which follow the oCIS locking API. Every conflict is a
 * LockConflictError naming the current lock ("" when there is none or it cannot be represented).
 */
@Injectable()
export class WopiLockService {
  /** Overridable clock, for tests. */
  now: () => number = Date.now;

  constructor(private readonly storage: StorageGateway) {}

  /** LOCK: takes the lock; the same id again (same app) refreshes it. */
  async lock(target: LockTarget, lockId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.trySetLock(target, lockId);
      if (current === 'locked') {
        return;
      }
      if (current === undefined) {
        // The lock went away between the refusal and our look at it: try again, once.
        if (attempt === 0) {
          continue;
        }
        throw new LockConflictError('', LOCK_REASONS.conflict);
      }
      if (current.lockId !== lockId) {
        throw new LockConflictError(lockHeaderValue(current.lockId), LOCK_REASONS.conflict);
      }
      if (current.appName !== target.appName) {
        throw new LockConflictError(lockHeaderValue(current.lockId), LOCK_REASONS.otherApp);
      }
      try {
        await this.storage.refreshLock(
          target.ref,
          this.request(target, lockId),
          target.credentials,
        );
        return;
      } catch (error) {
        if (error instanceof StorageNotLockedError && attempt === 0) {
          continue;
        }
        throw this.conflictOf(error);
      }
    }
  }

  /** LOCK with X-WOPI-OldLock: atomically replaces the lock `oldLockId` with `lockId`. */
  async unlockAndRelock(target: LockTarget, oldLockId: string, lockId: string): Promise<void> {
    try {
      await this.storage.refreshLock(
        target.ref,
        this.request(target, lockId),
        target.credentials,
        oldLockId,
      );
    } catch (error) {
      throw this.conflictOf(error);
    }
  }

  /** GET_LOCK: the current lock id, "" when unlocked (or not representable in a header). */
  async getLock(target: Omit<LockTarget, 'appName'>): Promise<string> {
    const lock = await this.storage.getLock(target.ref, target.credentials);
    return lockHeaderValue(lock?.lockId);
  }

  async refreshLock(target: LockTarget, lockId: string): Promise<void> {
    try {
      await this.storage.refreshLock(target.ref, this.request(target, lockId), target.credentials);
    } catch (error) {
      throw this.conflictOf(error);
    }
  }

  async unlock(target: LockTarget, lockId: string): Promise<void> {
    try {
      await this.storage.unlock(
        target.ref,
        { lockId, appName: target.appName },
        target.credentials,
      );
    } catch (error) {
      throw this.conflictOf(error);
    }
  }

  /**
   * PutFile: a locked file takes writes only with its lock id; an unlocked file only when it is
   * empty (editors create new documents that way).
   */
  checkPutFile(info: FileInfo, lockId: string | undefined): void {
    if (info.lock) {
      this.checkLockedWrite(info.lock, lockId);
    } else if (info.size > 0) {
      throw new LockConflictError('', LOCK_REASONS.unlockedNotEmpty);
    }
  }

  /** RenameFile, DeleteFile, overwriting PutRelativeFile: unlocked, or locked with this id. */
  checkChange(info: FileInfo, lockId: string | undefined): void {
    if (info.lock) {
      this.checkLockedWrite(info.lock, lockId);
    }
  }

  /** Maps the storage's lock outcomes of any call to WOPI conflicts; other errors pass through. */
  conflictOf(error: unknown): unknown {
    if (error instanceof StorageNotLockedError) {
      return new LockConflictError('', LOCK_REASONS.notLocked);
    }
    if (error instanceof StorageLockedError) {
      return new LockConflictError(lockHeaderValue(error.current?.lockId), LOCK_REASONS.mismatch);
    }
    return error;
  }

  private checkLockedWrite(lock: LockInfo, lockId: string | undefined): void {
    if (lock.lockId !== lockId) {
      throw new LockConflictError(
        lockHeaderValue(lock.lockId),
        lockId === undefined ? LOCK_REASONS.locked : LOCK_REASONS.mismatch,
      );
    }
  }

  /** Sets the lock; 'locked' on success, else the lock that is in the way (undefined: none now). */
  private async trySetLock(
    target: LockTarget,
    lockId: string,
  ): Promise<'locked' | LockInfo | undefined> {
    try {
      await this.storage.setLock(target.ref, this.request(target, lockId), target.credentials);
      return 'locked';
    } catch (error) {
      if (!(error instanceof StorageLockedError)) {
        throw error;
      }
      return error.current ?? (await this.storage.getLock(target.ref, target.credentials));
    }
  }

  private request(target: LockTarget, lockId: string): LockRequest {
    return { lockId, appName: target.appName, expiresAt: this.now() + LOCK_DURATION_MS };
  }
}
