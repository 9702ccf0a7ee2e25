import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { NatsService } from '../nats/nats.service';
import { StorageModule } from '../storage/storage.module';
import { TokensModule } from '../tokens/tokens.module';
import { CoopsAddressModule } from './address/coops-address.module';
import { CoopsDocumentsControl } from './coops-documents.control';
import { CoopsMetrics } from './coops.metrics';
import { CoopsService } from './coops.service';
import { CoopsSetup } from './coops.setup';
import { DocumentsService } from './document/documents.service';
import { PersistenceService } from './document/persistence.service';
import { CoopsStorageLock } from './document/storage-lock';
import { EditorController } from './editor/editor.controller';
import { CoopsController } from './http/coops.controller';
import { JetStreamRevisionLog } from './log/jetstream-revision-log.adapter';
import { MemoryRevisionLog } from './log/memory-revision-log.adapter';
import { RevisionLog } from './log/revision-log.port';
import { CoopsSessionEvents } from './sessions/coops-session-events';
import { KvSessionStore } from './sessions/kv-session-store.adapter';
import { MemorySessionStore } from './sessions/memory-session-store.adapter';
import { SessionStore } from './sessions/session-store.port';
import { SessionsService } from './sessions/sessions.service';
import { CoopsWebSocketServer } from './ws/coops-websocket.server';

/** CoOPS: REST and WebSocket, sessions, the revision log, write-behind to storage, the editor. */
@Module({
  imports: [CoopsAddressModule, StorageModule, TokensModule],
  controllers: [CoopsController, EditorController],
  providers: [
    {
      provide: RevisionLog,
      inject: [AppConfig, NatsService],
      useFactory: (config: AppConfig, nats: NatsService): RevisionLog =>
        config.coops.log === 'jetstream' ? new JetStreamRevisionLog(nats) : new MemoryRevisionLog(),
    },
    {
      provide: SessionStore,
      inject: [AppConfig, NatsService],
      useFactory: (config: AppConfig, nats: NatsService): SessionStore =>
        config.coops.log === 'jetstream' ? new KvSessionStore(nats) : new MemorySessionStore(),
    },
    CoopsMetrics,
    CoopsSessionEvents,
    DocumentsService,
    PersistenceService,
    CoopsStorageLock,
    SessionsService,
    CoopsService,
    CoopsWebSocketServer,
    CoopsSetup,
    CoopsDocumentsControl,
  ],
  exports: [CoopsAddressModule, CoopsSessionEvents, CoopsDocumentsControl],
})
export class CoopsModule {}
