import { Injectable, Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { StorageGateway } from '../../storage/storage-gateway.port';
import { StorageLockedError, StorageNotLockedError } from '../../storage/storage.errors';
import type { LockRequest } from '../../storage/storage.types';
import { deriveKey } from '../../tokens/token-crypto';
import { WopiSecret } from '../../tokens/wopi-secret';
import type { CoopsDocument } from './coops-document';

/** App name of the storage lock CoOPS holds while a document is open. */
export const COOPS_LOCK_APP = 'CoOPS';
const LOCK_TTL_MS = 30 * 60_000;
const LOCK_REFRESH_MS = 10 * 60_000;

/**
 * The storage lock on open documents: 30 minutes, refreshed every 10, with an id derived from the
 * secret and the file id, so every replica holds (and saves under) the same lock. A lock another
 * app holds is not fought over: saves wait until it is gone.
 */
@Injectable()
export class CoopsStorageLock {
  private readonly logger = new Logger(CoopsStorageLock.name);
  private readonly key: Buffer;
  private readonly lockedAt = new Map<string, number>();

  constructor(
    private readonly storage: StorageGateway,
    secret: WopiSecret,
  ) {
    this.key = deriveKey(secret.value, 'coops-lock');
  }

  /** The lock id for a document (not guessable from the file id). */
  idOf(fileId: string): string {
    return `coops-${createHmac('sha256', this.key).update(fileId).digest('base64url').slice(0, 32)}`;
  }

  isHeld(fileId: string): boolean {
    return this.lockedAt.has(fileId);
  }

  /** Takes the lock, or refreshes it when this or another replica holds it already. */
  async acquire(doc: CoopsDocument): Promise<void> {
    if (!doc.canWrite || !doc.credentials) {
      return;
    }
    const request: LockRequest = {
      lockId: this.idOf(doc.fileId),
      appName: COOPS_LOCK_APP,
      expiresAt: Date.now() + LOCK_TTL_MS,
    };
    this.lockedAt.set(doc.fileId, Date.now());
    try {
      try {
        await this.storage.setLock(doc.ref, request, doc.credentials);
      } catch (error) {
        if (!(error instanceof StorageLockedError) || error.current?.lockId !== request.lockId) {
          throw error;
        }
        await this.storage.refreshLock(doc.ref, request, doc.credentials);
      }
    } catch (error) {
      this.logger.warn(
        {
          fileId: doc.fileId,
          lockedBy: error instanceof StorageLockedError ? error.current?.appName : undefined,
          error: String(error),
        },
        'could not lock the file for CoOPS; saves wait until it is free',
      );
    }
  }

  /** Refreshes a held lock once it is due. */
  async refresh(doc: CoopsDocument): Promise<void> {
    const at = this.lockedAt.get(doc.fileId);
    if (at !== undefined && Date.now() - at > LOCK_REFRESH_MS) {
      await this.acquire(doc);
    }
  }

  async release(doc: CoopsDocument): Promise<void> {
    if (!this.lockedAt.delete(doc.fileId) || !doc.credentials) {
      return;
    }
    await this.storage
      .unlock(doc.ref, { lockId: this.idOf(doc.fileId), appName: COOPS_LOCK_APP }, doc.credentials)
      .catch((error: unknown) => {
        if (!(error instanceof StorageNotLockedError) && !(error instanceof StorageLockedError)) {
          this.logger.warn({ fileId: doc.fileId, error: String(error) }, 'unlock failed');
        }
      });
  }
}
