import { Controller, UseFilters } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { OcisEventsService } from './ocis-events.service';
import { OperatorExceptionFilter } from './operator-exception.filter';
import { OperatorService, type OpenDocument, type UnlockCommand } from './operator.service';
import { OCIS_EVENTS_SUBJECT, OPERATOR_SUBJECTS } from './operator.subjects';

/** The operator API over NATS request-reply, and oCIS's events. Thin: the services decide. */
@Controller()
@UseFilters(OperatorExceptionFilter)
export class OperatorController {
  constructor(
    private readonly operator: OperatorService,
    private readonly events: OcisEventsService,
  ) {}

  @MessagePattern(OPERATOR_SUBJECTS.documents)
  async documents(): Promise<{ documents: OpenDocument[] }> {
    return { documents: await this.operator.documents() };
  }

  @MessagePattern(OPERATOR_SUBJECTS.unlock)
  unlock(
    @Payload() command: UnlockCommand | undefined,
  ): ReturnType<OperatorService['forceUnlock']> {
    return this.operator.forceUnlock(command ?? {});
  }

  @MessagePattern(OPERATOR_SUBJECTS.flush)
  flush(@Payload() command: { fileId?: string } | undefined): ReturnType<OperatorService['flush']> {
    return this.operator.flush(typeof command?.fileId === 'string' ? command.fileId : undefined);
  }

  @EventPattern(OCIS_EVENTS_SUBJECT)
  async ocisEvent(@Payload() envelope: unknown): Promise<void> {
    await this.events.handle(envelope);
  }
}
