import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import {
  BadRequestError,
  NotFoundError,
  PayloadTooLargeError,
} from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { lockHeaderValue } from '../../locking/lock-id';
import { LockConflictError } from '../../locking/lock.errors';
import { LOCK_REASONS, WopiLockService } from '../../locking/wopi-lock.service';
import { StorageGateway } from '../../storage/storage-gateway.port';
import { StorageAlreadyExistsError, StoragePreconditionError } from '../../storage/storage.errors';
import type { FileInfo, ResourceId, StorageCredentials } from '../../storage/storage.types';
import { AccessTokenService } from '../../tokens/access-token.service';
import { hostUrls } from '../check-file-info/host-urls';
import { booleanHeader, headerOf } from '../http/headers';
import { announcedSize, limitedBody } from '../http/upload-body';
import { exactName, suggestedName } from '../names/file-names';
import { childRef, freeName, statChild } from '../names/free-name';
import { decodeUtf7, encodeUtf7 } from '../names/utf7-name';
import { recordedFile } from '../recorded-file';
import { WopiApps } from '../wopi-apps';
import { storageCredentials } from '../wopi-credentials';
import { RelativeTargetExistsError } from '../wopi.errors';
import type { VerifiedContext } from './verified';

export interface PutRelativeAnswer {
  Name: string;
  Url: string;
  HostViewUrl?: string;
  HostEditUrl?: string;
}

interface Target {
  name: string;
  /** Replace what is there (X-WOPI-RelativeTarget with overwrite). */
  existing?: FileInfo;
}

/**
 * PutRelativeFile ("save as"): a new file next to the source, named by X-WOPI-SuggestedTarget (the
 * host picks a free name) or X-WOPI-RelativeTarget (exactly that name; an existing file only with
 * X-WOPI-OverwriteRelativeTarget and when it is not locked). Answers the new file's WOPI URL with a
 * fresh access token for it.
 */
@Injectable()
export class PutRelativeService {
  constructor(
    private readonly storage: StorageGateway,
    private readonly locks: WopiLockService,
    private readonly tokens: AccessTokenService,
    private readonly apps: WopiApps,
    private readonly config: AppConfig,
  ) {}

  async putRelativeFile(
    context: VerifiedContext,
    raw: IncomingMessage,
  ): Promise<PutRelativeAnswer> {
    const suggested = headerOf(raw.headers, 'x-wopi-suggestedtarget');
    const relative = headerOf(raw.headers, 'x-wopi-relativetarget');
    if (suggested !== undefined && relative !== undefined) {
      throw new BadRequestError('X-WOPI-SuggestedTarget and X-WOPI-RelativeTarget are exclusive');
    }
    if (suggested === undefined && relative === undefined) {
      throw new BadRequestError('X-WOPI-SuggestedTarget or X-WOPI-RelativeTarget is required');
    }
    const maxBytes = this.config.http.maxUploadSize;
    const size = announcedSize(raw, maxBytes);
    const { token } = context;
    const credentials = storageCredentials(token, 'write');
    const source = await this.storage.stat({ resourceId: token.resourceId }, credentials);
    context.details.file = recordedFile(source, context.fileId);
    if (source.parentId === undefined) {
      throw new NotFoundError('the file has no parent folder');
    }
    const folder = source.parentId;
    const target =
      suggested !== undefined
        ? {
            name: await freeName(
              this.storage,
              folder,
              suggestedName(decodeUtf7(suggested), source.name),
              credentials,
            ),
          }
        : await this.relativeTarget(
            folder,
            exactName(decodeUtf7(relative ?? '')),
            raw,
            credentials,
          );
    const body = limitedBody(raw, maxBytes);
    let created: FileInfo;
    try {
      created = await this.storage.upload(
        childRef(folder, target.name),
        body.body,
        target.existing ? { size, ifMatch: target.existing.etag } : { size, ifNotExists: true },
        credentials,
      );
    } catch (error) {
      throw await this.uploadFailure(error, body.exceeded(), folder, target.name, credentials);
    }
    context.details.bytes = body.received();
    context.details.newFile = recordedFile(created);
    return this.answer(context, created);
  }

  private async relativeTarget(
    folder: ResourceId,
    name: string,
    raw: IncomingMessage,
    credentials: StorageCredentials,
  ): Promise<Target> {
    const existing = await statChild(this.storage, folder, name, credentials);
    if (existing === undefined) {
      return { name };
    }
    const overwrite = booleanHeader(raw.headers, 'x-wopi-overwriterelativetarget') ?? false;
    if (!overwrite || existing.type !== 'file') {
      throw await this.exists(folder, name, credentials);
    }
    if (existing.lock) {
      throw new LockConflictError(lockHeaderValue(existing.lock.lockId), LOCK_REASONS.locked);
    }
    return { name, existing };
  }

  private async exists(
    folder: ResourceId,
    name: string,
    credentials: StorageCredentials,
  ): Promise<RelativeTargetExistsError> {
    const free = await freeName(this.storage, folder, name, credentials);
    return new RelativeTargetExistsError(`${name} exists`, encodeUtf7(free));
  }

  private async uploadFailure(
    error: unknown,
    exceeded: boolean,
    folder: ResourceId,
    name: string,
    credentials: StorageCredentials,
  ): Promise<unknown> {
    if (exceeded) {
      return new PayloadTooLargeError(
        `the body passed ${String(this.config.http.maxUploadSize)} bytes`,
      );
    }
    if (error instanceof StorageAlreadyExistsError || error instanceof StoragePreconditionError) {
      // Someone else created or changed the target meanwhile.
      const now = await statChild(this.storage, folder, name, credentials);
      if (now?.lock) {
        return new LockConflictError(lockHeaderValue(now.lock.lockId), LOCK_REASONS.locked);
      }
      return this.exists(folder, name, credentials);
    }
    return this.locks.conflictOf(error);
  }

  /** Name, URL with a new token for the new file (same user, mode and app), oCIS host URLs. */
  private async answer(context: VerifiedContext, created: FileInfo): Promise<PutRelativeAnswer> {
    const { token } = context;
    const { fileId: _fileId, expiresAt, ...access } = token;
    const minted = await this.tokens.mint(
      {
        ...access,
        resourceId: created.resourceId,
        templateId: undefined,
        sessionId: AccessTokenService.newSessionId(),
      },
      expiresAt,
    );
    const urls = hostUrls(this.config.wopi.ocisUrl, this.apps.webAppName(token.app), created);
    const answer: PutRelativeAnswer = {
      Name: created.name,
      Url: `${this.apps.wopiBase}/wopi/files/${minted.fileId}?access_token=${encodeURIComponent(minted.token)}`,
    };
    if (urls.hostViewUrl !== undefined) {
      answer.HostViewUrl = urls.hostViewUrl;
    }
    if (urls.hostEditUrl !== undefined) {
      answer.HostEditUrl = urls.hostEditUrl;
    }
    return answer;
  }
}
