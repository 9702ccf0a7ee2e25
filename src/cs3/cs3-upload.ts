import type { Readable } from 'node:stream';
import {
  StorageAlreadyExistsError,
  StorageInvalidArgumentError,
  StorageLockedError,
  StorageNotFoundError,
  StoragePreconditionError,
} from '../storage/storage.errors';
import type { FileInfo, UploadOptions } from '../storage/storage.types';
import { pickProtocol, type Cs3Calls } from './cs3-calls';
import { liveLock, toFileInfo } from './cs3-mapping';
import type { DataTransfer } from './data-transfer';
import { plainEntry } from './proto/cs3-proto';
import type * as cs3 from './proto/cs3.messages';
import { isEmpty, spool } from './spool';

/**
 * An upload the way oCIS's PutFile does it: Stat and the lock checks, InitiateFileUpload with the
 * Upload-Length opaque entry, if-match and lock id, then a PUT of exactly that many bytes to the
 * data gateway (none for an empty file: reva finishes 0-byte uploads at once and refuses empty
 * PUTs), then Stat for the new state. A body of unknown length is spooled to a temporary file first.
 */
export class Cs3Upload {
  constructor(
    private readonly calls: Cs3Calls,
    private readonly transfer: DataTransfer,
  ) {}

  async run(
    ref: cs3.Reference,
    body: Readable,
    options: UploadOptions,
    token: string,
  ): Promise<FileInfo> {
    const lockId = await this.check(ref, options, token);
    if (options.size === 0) {
      if (!(await isEmpty(body))) {
        throw new StorageInvalidArgumentError('body is longer than the announced 0 bytes');
      }
      await this.initiate(ref, 0, options, lockId, token);
      return this.calls.statFull(ref, token);
    }
    const spooled = options.size === undefined ? await spool(body, options.signal) : undefined;
    try {
      const size = spooled?.size ?? options.size ?? 0;
      const initiated = await this.initiate(ref, size, options, lockId, token);
      if (size > 0) {
        const protocol = pickProtocol(initiated.response.protocols, 'upload_endpoint');
        const answer = await this.transfer.put(
          { url: protocol.upload_endpoint ?? '', transferToken: protocol.token },
          token,
          spooled ? spooled.open() : body,
          size,
          initiated.lockId,
          options.signal,
        );
        if (answer.status < 200 || answer.status > 204) {
          throw await this.calls.dataFailure(answer.status, 'upload', ref, token, initiated.lockId);
        }
      }
      return await this.calls.statFull(ref, token);
    } finally {
      await spooled?.remove();
    }
  }

  /** The checks oCIS's PutFile makes before it uploads; returns the lock id to send. */
  private async check(
    ref: cs3.Reference,
    options: UploadOptions,
    token: string,
  ): Promise<string | undefined> {
    const current = await this.calls.statRaw(ref, token).then(toFileInfo, (error: unknown) => {
      if (error instanceof StorageNotFoundError) {
        return undefined;
      }
      throw error;
    });
    if (current?.type === 'folder') {
      throw new StorageInvalidArgumentError('is a folder');
    }
    if (current && options.ifNotExists) {
      throw new StorageAlreadyExistsError('target exists');
    }
    if (options.ifMatch !== undefined && options.ifMatch !== current?.etag) {
      throw new StoragePreconditionError(current ? 'file changed' : 'file does not exist');
    }
    const lock = liveLock(current?.lock);
    if (lock && lock.lockId !== options.lockId) {
      const reason = options.lockId === undefined ? 'file is locked' : 'lock mismatch';
      throw new StorageLockedError(reason, lock);
    }
    // decomposedfs answers a lock id on an unlocked file with an error; the port ignores it.
    return lock ? options.lockId : undefined;
  }

  private initiate(
    ref: cs3.Reference,
    size: number,
    options: UploadOptions,
    lockId: string | undefined,
    token: string,
  ): Promise<{ response: cs3.InitiateFileUploadResponse; lockId: string | undefined }> {
    const request: cs3.InitiateFileUploadRequest = {
      opaque: { map: { 'Upload-Length': plainEntry(String(size)) } },
      ref,
      ...(options.ifNotExists ? { if_not_exist: true } : {}),
      ...(options.ifMatch !== undefined ? { if_match: options.ifMatch } : {}),
    };
    return this.calls.write('upload', 'InitiateFileUpload', request, token, lockId);
  }
}
