import type { HealthReport } from '../storage/storage.types';
import type { AuditEvent } from './audit-event';

/**
 * Where audit events go. `emit` never blocks and never throws: an adapter that talks to a network
 * buffers and delivers in the background. `flush` waits (at most `timeoutMs`) until what was
 * emitted so far is delivered.
 */
export abstract class AuditSink {
  abstract readonly kind: 'log' | 'nats';
  abstract emit(event: AuditEvent): void;
  abstract flush(timeoutMs: number): Promise<boolean>;
  abstract health(): Promise<HealthReport>;
}
