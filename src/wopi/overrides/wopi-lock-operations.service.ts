import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { requiredLockId } from '../../locking/lock-id';
import { LockConflictError } from '../../locking/lock.errors';
import { WopiLockService, type LockTarget } from '../../locking/wopi-lock.service';
import { StorageGateway } from '../../storage/storage-gateway.port';
import { headerOf } from '../http/headers';
import { recordedFile } from '../recorded-file';
import { WopiApps } from '../wopi-apps';
import { storageCredentials } from '../wopi-credentials';
import type { VerifiedContext } from './verified';

/** The lock overrides: their headers in, X-WOPI-ItemVersion or X-WOPI-Lock out. */
@Injectable()
export class WopiLockOperations {
  constructor(
    private readonly locks: WopiLockService,
    private readonly storage: StorageGateway,
    private readonly apps: WopiApps,
  ) {}

  /** LOCK, or UnlockAndRelock with X-WOPI-OldLock; returns the file's version afterwards. */
  async lock(context: VerifiedContext, headers: IncomingHttpHeaders): Promise<string> {
    const lockId = requiredLockId(headerOf(headers, 'x-wopi-lock'));
    context.details.lockId = lockId;
    const target = this.target(context);
    if (context.operation === 'UnlockAndRelock') {
      const oldLockId = requiredLockId(headerOf(headers, 'x-wopi-oldlock'), 'X-WOPI-OldLock');
      context.details.oldLockId = oldLockId;
      await this.noted(context, this.locks.unlockAndRelock(target, oldLockId, lockId));
    } else {
      await this.noted(context, this.locks.lock(target, lockId));
    }
    return this.version(context);
  }

  async getLock(context: VerifiedContext): Promise<string> {
    const lockId = await this.locks.getLock({
      ref: { resourceId: context.token.resourceId },
      credentials: storageCredentials(context.token, 'read'),
    });
    context.details.currentLockId = lockId;
    return lockId;
  }

  async refreshLock(context: VerifiedContext, headers: IncomingHttpHeaders): Promise<string> {
    const lockId = requiredLockId(headerOf(headers, 'x-wopi-lock'));
    context.details.lockId = lockId;
    await this.noted(context, this.locks.refreshLock(this.target(context), lockId));
    return this.version(context);
  }

  async unlock(context: VerifiedContext, headers: IncomingHttpHeaders): Promise<string> {
    const lockId = requiredLockId(headerOf(headers, 'x-wopi-lock'));
    context.details.lockId = lockId;
    await this.noted(context, this.locks.unlock(this.target(context), lockId));
    return this.version(context);
  }

  private target(context: VerifiedContext): LockTarget {
    return {
      ref: { resourceId: context.token.resourceId },
      credentials: storageCredentials(context.token, 'write'),
      appName: this.apps.lockAppName(context.token.app),
    };
  }

  /** Notes the lock that was in the way of a conflict. */
  private async noted(context: VerifiedContext, operation: Promise<void>): Promise<void> {
    try {
      await operation;
    } catch (error) {
      if (error instanceof LockConflictError) {
        context.details.currentLockId = error.currentLockId;
      }
      throw error;
    }
  }

  /** X-WOPI-ItemVersion after a lock operation (locks never change it). */
  private async version(context: VerifiedContext): Promise<string> {
    const info = await this.storage.stat(
      { resourceId: context.token.resourceId },
      storageCredentials(context.token, 'read'),
    );
    context.details.file = recordedFile(info, context.fileId);
    return info.version;
  }
}
