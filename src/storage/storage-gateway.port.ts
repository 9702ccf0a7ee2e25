import type { Readable } from 'node:stream';
import type {
  FileInfo,
  FileRef,
  HealthReport,
  LockInfo,
  LockRequest,
  StorageCredentials,
  StorageUser,
  UploadOptions,
} from './storage.types';

export interface Download {
  /** The state of the file whose bytes `body` streams. */
  info: FileInfo;
  body: Readable;
}

/**
 * Where files live. Every adapter gives the same outcomes (see storage.errors.ts), checked by one
 * contract suite:
 *
 * - Locks follow the oCIS locking API: one lock per file with id, app name and expiry. `setLock` on a
 *   locked file (any id) fails with StorageLockedError carrying the current lock. `refreshLock` and
 *   `unlock` fail with StorageNotLockedError when there is no lock and StorageLockedError when the id
 *   (or app name) differs. Expired locks count as absent.
 * - Writes (`upload`, `move`, `delete`) on a locked file need its lock id, else StorageLockedError;
 *   on an unlocked file the lock id is ignored.
 * - Bodies are streamed both ways; nothing holds a whole file in memory. A failed upload leaves the
 *   stored file as it was.
 */
export abstract class StorageGateway {
  abstract readonly driver: string;

  abstract stat(ref: FileRef, credentials: StorageCredentials): Promise<FileInfo>;

  abstract download(ref: FileRef, credentials: StorageCredentials): Promise<Download>;

  /** Writes the body to the file (creating it when the ref names a new child) and returns the new state. */
  abstract upload(
    ref: FileRef,
    body: Readable,
    options: UploadOptions,
    credentials: StorageCredentials,
  ): Promise<FileInfo>;

  abstract setLock(ref: FileRef, lock: LockRequest, credentials: StorageCredentials): Promise<void>;

  abstract getLock(ref: FileRef, credentials: StorageCredentials): Promise<LockInfo | undefined>;

  /** Extends the lock; with `existingLockId` the lock changes id (UnlockAndRelock). */
  abstract refreshLock(
    ref: FileRef,
    lock: LockRequest,
    credentials: StorageCredentials,
    existingLockId?: string,
  ): Promise<void>;

  abstract unlock(
    ref: FileRef,
    lock: Pick<LockRequest, 'lockId' | 'appName'>,
    credentials: StorageCredentials,
  ): Promise<void>;

  /** Moves or renames; the resource id stays the same. */
  abstract move(
    source: FileRef,
    destination: FileRef,
    credentials: StorageCredentials,
    lockId?: string,
  ): Promise<FileInfo>;

  abstract delete(ref: FileRef, credentials: StorageCredentials, lockId?: string): Promise<void>;

  /** The user the credentials belong to. */
  abstract whoAmI(credentials: StorageCredentials): Promise<StorageUser>;

  /** Readiness of the storage itself. */
  abstract health(): Promise<HealthReport>;
}
