import { Logger } from '@nestjs/common';
import type { HealthReport } from '../storage/storage.types';
import { envelopeOf, payloadOf, type AuditEvent } from './audit-event';
import { AuditSink } from './audit-sink.port';

/**
 * Audit events as JSON log lines (the default): context `Audit`, the event's id, type, time and
 * the decoded payload, so a log pipeline needs no base64.
 */
export class LogAuditSink extends AuditSink {
  readonly kind = 'log';
  private readonly logger = new Logger('Audit');

  emit(event: AuditEvent): void {
    const envelope = envelopeOf(event);
    this.logger.log(
      {
        audit: {
          id: envelope.ID,
          type: envelope.Metadata.eventtype,
          timestamp: envelope.Timestamp,
          traceparent: envelope.Metadata.traceparent,
          payload: payloadOf(envelope),
        },
      },
      envelope.Metadata.eventtype,
    );
  }

  flush(): Promise<boolean> {
    return Promise.resolve(true);
  }

  health(): Promise<HealthReport> {
    return Promise.resolve({ status: 'up', sink: 'log' });
  }
}
