import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { METRICS } from '../metrics/metrics';

/** The audit sink's metrics (defined in src/metrics/metrics.ts), in one injectable. */
@Injectable()
export class AuditMetrics {
  constructor(
    @InjectMetric(METRICS.auditPublished) readonly published: Counter,
    @InjectMetric(METRICS.auditRetried) readonly retried: Counter,
    @InjectMetric(METRICS.auditDropped) readonly dropped: Counter,
    @InjectMetric(METRICS.auditBuffered) readonly buffered: Gauge,
  ) {}
}
