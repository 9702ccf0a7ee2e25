import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { WopiLockService } from './wopi-lock.service';

/** WOPI lock semantics over the StorageGateway's lock primitives. */
@Module({
  imports: [StorageModule],
  providers: [WopiLockService],
  exports: [WopiLockService],
})
export class LockingModule {}
