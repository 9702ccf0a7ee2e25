import type { OnModuleDestroy } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { StorageGateway, type Download } from '../storage/storage-gateway.port';
import {
  StorageInternalError,
  StorageInvalidArgumentError,
  StorageTooEarlyError,
} from '../storage/storage.errors';
import type {
  FileInfo,
  FileRef,
  HealthReport,
  LockInfo,
  LockRequest,
  StorageCredentials,
  StorageUser,
  UploadOptions,
} from '../storage/storage.types';
import { Cs3Calls, pickProtocol, tokenOf } from './cs3-calls';
import type { Cs3GatewayClient } from './cs3-gateway.client';
import { fromLock, fromUser, liveLock, toLock, toReference, toResourceId } from './cs3-mapping';
import { resolveStatus } from './cs3-outcomes';
import { codeOf } from './cs3-status';
import { Cs3Upload } from './cs3-upload';
import type { DataTransfer } from './data-transfer';
import type * as cs3 from './proto/cs3.messages';

const TOO_EARLY_FIRST_WAIT_MS = 20;
const TOO_EARLY_MAX_WAIT_MS = 2000;

export interface Cs3StorageOptions {
  /** How long Delete keeps retrying while the file is still being processed (TOO_EARLY). */
  tooEarlyBudgetMs: number;
}

/**
 * Files in oCIS through the CS3 gateway: Stat, the oCIS locking API, Move, Delete and WhoAmI over
 * gRPC, bytes through the data gateway, all with the caller's reva token. Every answer goes through
 * the status table (cs3-status.ts), so callers see the same outcomes as with the local adapter.
 */
export class Cs3StorageGateway extends StorageGateway implements OnModuleDestroy {
  readonly driver = 'cs3';
  private readonly calls: Cs3Calls;
  private readonly uploads: Cs3Upload;

  constructor(
    private readonly gateway: Cs3GatewayClient,
    private readonly transfer: DataTransfer,
    private readonly options: Cs3StorageOptions,
  ) {
    super();
    this.calls = new Cs3Calls(gateway);
    this.uploads = new Cs3Upload(this.calls, transfer);
  }

  async stat(ref: FileRef, credentials: StorageCredentials): Promise<FileInfo> {
    return await this.calls.statFull(toReference(ref), tokenOf(credentials));
  }

  /** Stat, InitiateFileDownload, GET; `info` describes the bytes that come (re-Stat on a change). */
  async download(ref: FileRef, credentials: StorageCredentials): Promise<Download> {
    const token = tokenOf(credentials);
    const reference = toReference(ref);
    let info = await this.calls.statFull(reference, token);
    if (info.type === 'folder') {
      throw new StorageInvalidArgumentError('is a folder');
    }
    const res = await this.calls.call(
      'download',
      'InitiateFileDownload',
      { ref: reference },
      token,
    );
    const protocol = pickProtocol(res.protocols, 'download_endpoint');
    const answer = await this.transfer.get(
      { url: protocol.download_endpoint ?? '', transferToken: protocol.token },
      token,
    );
    if (!answer.body) {
      throw await this.calls.dataFailure(answer.status, 'download', reference, token);
    }
    const etag = answer.headers.etag;
    if (etag !== undefined && etag !== info.etag) {
      try {
        info = await this.calls.statFull({ resource_id: toResourceId(info.resourceId) }, token);
      } catch (error) {
        answer.body.destroy();
        throw error;
      }
    }
    return { info, body: answer.body };
  }

  async upload(
    ref: FileRef,
    body: Readable,
    options: UploadOptions,
    credentials: StorageCredentials,
  ): Promise<FileInfo> {
    return await this.uploads.run(toReference(ref), body, options, tokenOf(credentials));
  }

  async setLock(ref: FileRef, lock: LockRequest, credentials: StorageCredentials): Promise<void> {
    const request = { ref: toReference(ref), lock: toLock(lock) };
    await this.calls.call('setLock', 'SetLock', request, tokenOf(credentials), lock);
  }

  /** GetLock; decomposedfs answers NOT_FOUND for "no lock", so Stat tells that from a missing file. */
  async getLock(ref: FileRef, credentials: StorageCredentials): Promise<LockInfo | undefined> {
    const token = tokenOf(credentials);
    const reference = toReference(ref);
    const res = await this.gateway.call('GetLock', { ref: reference }, { token });
    if (codeOf(res.status) === 'CODE_OK') {
      return liveLock(fromLock(res.lock));
    }
    const scope = this.calls.scope(reference, token);
    const resolution = await resolveStatus('getLock', 'GetLock', res.status, scope);
    if ('error' in resolution) {
      throw resolution.error;
    }
    return undefined;
  }

  async refreshLock(
    ref: FileRef,
    lock: LockRequest,
    credentials: StorageCredentials,
    existingLockId?: string,
  ): Promise<void> {
    const request: cs3.RefreshLockRequest = { ref: toReference(ref), lock: toLock(lock) };
    if (existingLockId !== undefined) {
      request.existing_lock_id = existingLockId;
    }
    const ours = { lockId: existingLockId ?? lock.lockId, appName: lock.appName };
    await this.calls.call('refreshLock', 'RefreshLock', request, tokenOf(credentials), ours);
  }

  async unlock(
    ref: FileRef,
    lock: Pick<LockRequest, 'lockId' | 'appName'>,
    credentials: StorageCredentials,
  ): Promise<void> {
    // As oCIS: the lock id and the app name, nothing else.
    const request = {
      ref: toReference(ref),
      lock: { lock_id: lock.lockId, app_name: lock.appName },
    };
    await this.calls.call('unlock', 'Unlock', request, tokenOf(credentials), lock);
  }

  async move(
    source: FileRef,
    destination: FileRef,
    credentials: StorageCredentials,
    lockId?: string,
  ): Promise<FileInfo> {
    const token = tokenOf(credentials);
    const request: cs3.MoveRequest = {
      source: toReference(source),
      destination: toReference(destination),
    };
    await this.calls.write('move', 'Move', request, token, lockId);
    return this.calls.statFull(request.destination, token);
  }

  /** Delete; while reva still post-processes the file (TOO_EARLY) it is retried with backoff. */
  async delete(ref: FileRef, credentials: StorageCredentials, lockId?: string): Promise<void> {
    const token = tokenOf(credentials);
    const request: cs3.DeleteRequest = { ref: toReference(ref) };
    const giveUpAt = Date.now() + this.options.tooEarlyBudgetMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.calls.write('delete', 'Delete', request, token, lockId);
        return;
      } catch (error) {
        const wait = Math.min(TOO_EARLY_FIRST_WAIT_MS * 2 ** attempt, TOO_EARLY_MAX_WAIT_MS);
        if (!(error instanceof StorageTooEarlyError) || Date.now() + wait > giveUpAt) {
          throw error;
        }
        await sleep(wait);
      }
    }
  }

  /** WhoAmI takes the token in the request (the gateway does not need it as metadata). */
  async whoAmI(credentials: StorageCredentials): Promise<StorageUser> {
    const token = tokenOf(credentials);
    const res = await this.calls.call('whoAmI', 'WhoAmI', { token }, token);
    if (!res.user) {
      throw new StorageInternalError('WhoAmI answered without a user');
    }
    return fromUser(res.user);
  }

  health(): Promise<HealthReport> {
    return this.gateway.health();
  }

  /** Closes the data-gateway connections (the gRPC channel belongs to Cs3GatewayClient). */
  onModuleDestroy(): void {
    this.transfer.close();
  }
}
