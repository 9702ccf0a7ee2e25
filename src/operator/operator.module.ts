import { Module } from '@nestjs/common';
import { CoopsModule } from '../coops/coops.module';
import { StorageModule } from '../storage/storage.module';
import { TokensModule } from '../tokens/tokens.module';
import { OcisEventsService } from './ocis-events.service';
import { NoOpenSessions, OpenSessions } from './open-sessions.port';
import { OperatorController } from './operator.controller';
import { OperatorService } from './operator.service';

/**
 * The operator API (NATS request-reply) and the consumer of oCIS events about open documents,
 * served by the Nest NATS microservice transport on the shared connection (SharedNatsServer).
 */
@Module({
  imports: [StorageModule, TokensModule, CoopsModule],
  controllers: [OperatorController],
  providers: [
    { provide: OpenSessions, useClass: NoOpenSessions },
    OperatorService,
    OcisEventsService,
  ],
  exports: [OperatorService, OcisEventsService],
})
export class OperatorModule {}
