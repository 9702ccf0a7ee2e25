import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { BadRequestError, NotFoundError } from '../../common/errors/app-error';
import { optionalLockId } from '../../locking/lock-id';
import { WopiLockService } from '../../locking/wopi-lock.service';
import { StorageGateway } from '../../storage/storage-gateway.port';
import {
  StorageAlreadyExistsError,
  StorageInvalidArgumentError,
  StorageTooEarlyError,
} from '../../storage/storage.errors';
import type { FileInfo, FileRef, StorageCredentials } from '../../storage/storage.types';
import { headerOf } from '../http/headers';
import { baseName, dottedExtension, exactName } from '../names/file-names';
import { childRef, freeName } from '../names/free-name';
import { decodeUtf7 } from '../names/utf7-name';
import { recordedFile } from '../recorded-file';
import { storageCredentials } from '../wopi-credentials';
import { InvalidFileNameError } from '../wopi.errors';
import type { VerifiedContext } from './verified';

/** Retries of a delete the storage is not ready for yet (post-processing), then 503. */
const TOO_EARLY_DELAYS_MS = [100, 400, 1000];

/** Moves that find their new name taken meanwhile before giving up. */
const MOVE_ATTEMPTS = 3;

/** RenameFile and DeleteFile: the file id and its lock stay with the file through a rename. */
@Injectable()
export class RenameDeleteService {
  constructor(
    private readonly storage: StorageGateway,
    private readonly locks: WopiLockService,
  ) {}

  /**
   * RENAME_FILE: X-WOPI-RequestedName (UTF-7) is the new name without extension; the extension
   * stays. A taken name gets a free variant. The request body is ignored.
   */
  async renameFile(
    context: VerifiedContext,
    headers: IncomingHttpHeaders,
  ): Promise<{ Name: string }> {
    const requestedHeader = headerOf(headers, 'x-wopi-requestedname');
    if (requestedHeader === undefined) {
      throw new BadRequestError('X-WOPI-RequestedName is required');
    }
    const lockId = optionalLockId(headerOf(headers, 'x-wopi-lock'));
    context.details.lockId = lockId;
    const credentials = storageCredentials(context.token, 'write');
    const ref: FileRef = { resourceId: context.token.resourceId };
    const info = await this.stat(ref, credentials, context);
    const extension = dottedExtension(info.name);
    let requested = decodeUtf7(requestedHeader);
    // Lenient with editors that send the extension too.
    if (extension !== '' && requested.toLowerCase().endsWith(extension.toLowerCase())) {
      requested = requested.slice(0, requested.length - extension.length);
    }
    const wanted = exactName(`${exactName(requested)}${extension}`);
    context.details.oldName = info.name;
    this.locks.checkChange(info, lockId);
    if (wanted === info.name) {
      context.details.newName = wanted;
      return { Name: baseName(wanted) };
    }
    const moved = await this.move(ref, info, wanted, credentials, lockId);
    context.details.newName = moved.name;
    context.details.file = recordedFile(moved, context.fileId);
    return { Name: moved.name.slice(0, moved.name.length - extension.length) };
  }

  /** DELETE: refused while locked by another lock id. */
  async deleteFile(context: VerifiedContext, headers: IncomingHttpHeaders): Promise<void> {
    const lockId = optionalLockId(headerOf(headers, 'x-wopi-lock'));
    context.details.lockId = lockId;
    const credentials = storageCredentials(context.token, 'write');
    const ref: FileRef = { resourceId: context.token.resourceId };
    const info = await this.stat(ref, credentials, context);
    this.locks.checkChange(info, lockId);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.storage.delete(ref, credentials, info.lock ? lockId : undefined);
        return;
      } catch (error) {
        const delay = TOO_EARLY_DELAYS_MS[attempt];
        if (!(error instanceof StorageTooEarlyError) || delay === undefined) {
          throw this.locks.conflictOf(error);
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async stat(
    ref: FileRef,
    credentials: StorageCredentials,
    context: VerifiedContext,
  ): Promise<FileInfo> {
    const info = await this.storage.stat(ref, credentials);
    if (info.type !== 'file') {
      throw new NotFoundError('not a file');
    }
    context.details.file = recordedFile(info, context.fileId);
    return info;
  }

  private async move(
    ref: FileRef,
    info: FileInfo,
    wanted: string,
    credentials: StorageCredentials,
    lockId: string | undefined,
  ): Promise<FileInfo> {
    const folder = info.parentId;
    if (folder === undefined) {
      throw new NotFoundError('the file has no parent folder');
    }
    for (let attempt = 1; ; attempt++) {
      const name = await freeName(this.storage, folder, wanted, credentials);
      try {
        return await this.storage.move(
          ref,
          childRef(folder, name),
          credentials,
          info.lock ? lockId : undefined,
        );
      } catch (error) {
        if (error instanceof StorageInvalidArgumentError) {
          throw new InvalidFileNameError(error.message);
        }
        if (!(error instanceof StorageAlreadyExistsError) || attempt >= MOVE_ATTEMPTS) {
          throw this.locks.conflictOf(error);
        }
      }
    }
  }
}
