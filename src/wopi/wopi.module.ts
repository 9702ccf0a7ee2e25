import { Module } from '@nestjs/common';
import { LockingModule } from '../locking/locking.module';
import { StorageModule } from '../storage/storage.module';
import { TokensModule } from '../tokens/tokens.module';
import { CheckFileInfoService } from './check-file-info/check-file-info.service';
import { WopiContentsService } from './contents/wopi-contents.service';
import { PutRelativeService } from './overrides/put-relative.service';
import { PutUserInfoService } from './overrides/put-user-info.service';
import { RenameDeleteService } from './overrides/rename-delete.service';
import { WopiLockOperations } from './overrides/wopi-lock-operations.service';
import { WopiOverrides } from './overrides/wopi-overrides.service';
import { UserInfoStore } from './user-info/user-info-store.port';
import { userInfoStoreProvider } from './user-info/user-info.providers';
import { WopiApps } from './wopi-apps';
import { WopiAuthGuard } from './wopi-auth.guard';
import { WopiContentsController, WopiTemplatesController } from './wopi-contents.controller';
import { WopiExceptionFilter } from './wopi-exception.filter';
import { WopiFilesController } from './wopi-files.controller';
import { WopiMethodsController } from './wopi-methods.controller';
import { WopiOperationHook } from './wopi-operation.hook';
import { WopiOperationObserver } from './wopi-operation.observer';
import { WopiOperationRecorder } from './wopi-operation.recorder';

/** The WOPI host: /wopi/files/{id}[/contents] and /wopi/templates/{id} on the StorageGateway. */
@Module({
  imports: [StorageModule, TokensModule, LockingModule],
  controllers: [
    WopiFilesController,
    WopiContentsController,
    WopiTemplatesController,
    WopiMethodsController,
  ],
  providers: [
    WopiApps,
    WopiAuthGuard,
    WopiOperationObserver,
    WopiOperationRecorder,
    WopiOperationHook,
    WopiExceptionFilter,
    CheckFileInfoService,
    WopiContentsService,
    WopiLockOperations,
    PutRelativeService,
    RenameDeleteService,
    PutUserInfoService,
    WopiOverrides,
    userInfoStoreProvider,
  ],
  exports: [WopiOperationObserver, WopiApps, UserInfoStore],
})
export class WopiModule {}
