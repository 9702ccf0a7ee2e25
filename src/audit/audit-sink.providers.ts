import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { NatsService } from '../nats/nats.service';
import { AuditSink } from './audit-sink.port';
import { AuditMetrics } from './audit.metrics';
import { LogAuditSink } from './log-audit-sink.adapter';
import { NatsAuditSink } from './nats-audit-sink.adapter';

export function createAuditSink(
  config: AppConfig,
  nats: NatsService,
  metrics: AuditMetrics,
): AuditSink {
  if (config.audit.sink === 'log') {
    return new LogAuditSink();
  }
  return new NatsAuditSink(nats, metrics, {
    address: config.audit.endpoint ?? config.nats.url,
    capacity: config.audit.buffer,
    shutdownFlushMs: config.http.shutdownTimeout,
  });
}

export const auditSinkProviders: Provider[] = [
  AuditMetrics,
  {
    provide: AuditSink,
    inject: [AppConfig, NatsService, AuditMetrics],
    useFactory: createAuditSink,
  },
];
