import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { NotFoundError, PayloadTooLargeError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { optionalLockId } from '../../locking/lock-id';
import { LockConflictError } from '../../locking/lock.errors';
import { LOCK_REASONS, WopiLockService } from '../../locking/wopi-lock.service';
import { StorageGateway, type Download } from '../../storage/storage-gateway.port';
import { StoragePreconditionError } from '../../storage/storage.errors';
import { isoTimestamp, type FileInfo, type FileRef } from '../../storage/storage.types';
import type { VerifiedToken } from '../../tokens/access-token.types';
import { headerOf } from '../http/headers';
import { announcedSize, ClientAbortedError, limitedBody } from '../http/upload-body';
import { recordedFile } from '../recorded-file';
import { storageCredentials } from '../wopi-credentials';
import type { WopiRequestContext } from '../wopi-request-context';
import { TimestampConflictError, TooLargeForClientError } from '../wopi.errors';
import { editorSaveFlags, editorTimestamp } from './editor-save-headers';

type Verified = WopiRequestContext & { token: VerifiedToken };

export interface SavedFile {
  version: string;
  lastModifiedTime: string;
}

/** GetFile, PutFile and the template download: file bodies streamed both ways. */
@Injectable()
export class WopiContentsService {
  constructor(
    private readonly storage: StorageGateway,
    private readonly locks: WopiLockService,
    private readonly config: AppConfig,
  ) {}

  /** GetFile; with X-WOPI-MaxExpectedSize, a larger file is 412 and nothing is sent. */
  getFile(context: Verified, maxExpectedSize: string | undefined): Promise<Download> {
    return this.download(context, { resourceId: context.token.resourceId }, maxExpectedSize);
  }

  /** The template a new document is made from (TemplateSource). */
  getTemplate(context: Verified): Promise<Download> {
    const { templateId } = context.token;
    if (templateId === undefined) {
      throw new NotFoundError('the access token names no template');
    }
    return this.download(context, { resourceId: templateId }, undefined);
  }

  /**
   * PutFile: a locked file takes the body with its lock id, an unlocked one only while empty; with
   * X-COOL-/X-LOOL-WOPI-Timestamp the file must still be the one the editor saw.
   */
  async putFile(context: Verified, raw: IncomingMessage): Promise<SavedFile> {
    const { token } = context;
    const lockId = optionalLockId(headerOf(raw.headers, 'x-wopi-lock'));
    context.details.lockId = lockId;
    context.details.editorFlags = editorSaveFlags(raw.headers);
    const timestamp = editorTimestamp(raw.headers);
    const maxBytes = this.config.http.maxUploadSize;
    const size = announcedSize(raw, maxBytes);
    const ref: FileRef = { resourceId: token.resourceId };
    const credentials = storageCredentials(token, 'write');
    const info = await this.storage.stat(ref, credentials);
    this.checkIsFile(info);
    context.details.file = recordedFile(info, context.fileId);
    this.locks.checkPutFile(info, lockId);
    if (timestamp !== undefined && timestamp !== isoTimestamp(info.mtime)) {
      throw new TimestampConflictError('the file changed since the editor loaded it');
    }
    const body = limitedBody(raw, maxBytes);
    let saved: FileInfo;
    try {
      saved = await this.storage.upload(
        ref,
        body.body,
        {
          size,
          lockId: info.lock ? lockId : undefined,
          // Unlocked writes (empty files) and timestamped saves must not race other writers.
          ifMatch: timestamp !== undefined || !info.lock ? info.etag : undefined,
        },
        credentials,
      );
    } catch (error) {
      throw await this.uploadFailure(error, body.exceeded(), raw, timestamp, ref, context);
    }
    context.details.file = recordedFile(saved, context.fileId);
    context.details.bytes = body.received();
    return { version: saved.version, lastModifiedTime: isoTimestamp(saved.mtime) };
  }

  private async download(
    context: Verified,
    ref: FileRef,
    maxExpectedSize: string | undefined,
  ): Promise<Download> {
    const download = await this.storage.download(ref, storageCredentials(context.token, 'read'));
    context.details.file = recordedFile(
      download.info,
      context.endpoint === 'template' ? undefined : context.fileId,
    );
    const limit = maxExpectedSize === undefined ? undefined : Number(maxExpectedSize.trim());
    if (limit !== undefined && Number.isFinite(limit) && download.info.size > limit) {
      download.body.destroy();
      throw new TooLargeForClientError(
        `the file has ${String(download.info.size)} bytes, more than X-WOPI-MaxExpectedSize`,
      );
    }
    context.details.bytes = download.info.size;
    return download;
  }

  private checkIsFile(info: FileInfo): void {
    if (info.type !== 'file') {
      throw new NotFoundError('not a file');
    }
  }

  /** The WOPI answer for a failed upload; the stored file is unchanged in every case. */
  private async uploadFailure(
    error: unknown,
    exceeded: boolean,
    raw: IncomingMessage,
    timestamp: string | undefined,
    ref: FileRef,
    context: Verified,
  ): Promise<unknown> {
    if (exceeded) {
      return new PayloadTooLargeError(
        `the body passed ${String(this.config.http.maxUploadSize)} bytes`,
      );
    }
    if (raw.readableAborted || (raw.destroyed && !raw.complete)) {
      return new ClientAbortedError('the client closed the request before the body was complete');
    }
    if (error instanceof StoragePreconditionError) {
      if (timestamp !== undefined) {
        return new TimestampConflictError('the file changed while it was being saved');
      }
      // The empty, unlocked file changed meanwhile: answer as the rules say for what it is now.
      const now = await this.storage.stat(ref, storageCredentials(context.token, 'write'));
      return now.lock
        ? new LockConflictError(now.lock.lockId, LOCK_REASONS.locked)
        : new LockConflictError('', LOCK_REASONS.unlockedNotEmpty);
    }
    return this.locks.conflictOf(error);
  }
}
