import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EditorSessions } from '../audit/editor-sessions.service';
import { CoopsModule } from '../coops/coops.module';
import { StorageModule } from '../storage/storage.module';
import { TokensModule } from '../tokens/tokens.module';
import { OcisEventsService } from './ocis-events.service';
import { OpenSessions } from './open-sessions.port';
import { OperatorController } from './operator.controller';
import { OperatorService } from './operator.service';

/**
 * The operator API (NATS request-reply) and the consumer of oCIS events about open documents,
 * served by the Nest NATS microservice transport on the shared connection (SharedNatsServer).
 */
@Module({
  imports: [StorageModule, TokensModule, CoopsModule, AuditModule],
  controllers: [OperatorController],
  providers: [
    // The audit module's tracker: every replica's open WOPI sessions (NATS KV when shared).
    { provide: OpenSessions, useExisting: EditorSessions },
    OperatorService,
    OcisEventsService,
  ],
  exports: [OperatorService, OcisEventsService],
})
export class OperatorModule {}
