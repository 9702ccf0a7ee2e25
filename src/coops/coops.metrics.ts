import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { METRICS } from '../metrics/metrics';

/** The CoOPS metrics (defined in src/metrics/metrics.ts), in one injectable. */
@Injectable()
export class CoopsMetrics {
  constructor(
    @InjectMetric(METRICS.coopsDocuments) readonly documents: Gauge,
    @InjectMetric(METRICS.coopsSessions) readonly sessions: Gauge<'transport'>,
    @InjectMetric(METRICS.coopsPatches) readonly patches: Counter<'transport' | 'outcome'>,
    @InjectMetric(METRICS.coopsFanout) readonly fanout: Histogram,
    @InjectMetric(METRICS.coopsSaves) readonly saves: Counter<'outcome'>,
  ) {}
}
