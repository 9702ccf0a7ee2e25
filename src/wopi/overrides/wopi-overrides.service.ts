import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { PutRelativeService, type PutRelativeAnswer } from './put-relative.service';
import { PutUserInfoService } from './put-user-info.service';
import { RenameDeleteService } from './rename-delete.service';
import type { VerifiedContext } from './verified';
import { WopiLockOperations } from './wopi-lock-operations.service';

/** The operations behind POST /wopi/files/{id}, one entry per X-WOPI-Override family. */
@Injectable()
export class WopiOverrides {
  constructor(
    private readonly locks: WopiLockOperations,
    private readonly relative: PutRelativeService,
    private readonly renameDelete: RenameDeleteService,
    private readonly userInfo: PutUserInfoService,
  ) {}

  /** LOCK (UnlockAndRelock with X-WOPI-OldLock), REFRESH_LOCK, UNLOCK: the version afterwards. */
  lockOperation(context: VerifiedContext, headers: IncomingHttpHeaders): Promise<string> {
    if (context.operation === 'RefreshLock') {
      return this.locks.refreshLock(context, headers);
    }
    if (context.operation === 'Unlock') {
      return this.locks.unlock(context, headers);
    }
    return this.locks.lock(context, headers);
  }

  getLock(context: VerifiedContext): Promise<string> {
    return this.locks.getLock(context);
  }

  putRelativeFile(context: VerifiedContext, raw: IncomingMessage): Promise<PutRelativeAnswer> {
    return this.relative.putRelativeFile(context, raw);
  }

  renameFile(context: VerifiedContext, headers: IncomingHttpHeaders): Promise<{ Name: string }> {
    return this.renameDelete.renameFile(context, headers);
  }

  deleteFile(context: VerifiedContext, headers: IncomingHttpHeaders): Promise<void> {
    return this.renameDelete.deleteFile(context, headers);
  }

  putUserInfo(context: VerifiedContext, raw: IncomingMessage): Promise<void> {
    return this.userInfo.putUserInfo(context, raw);
  }
}
