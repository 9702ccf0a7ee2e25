import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';

/** Metric names, in one place so dashboards and docs can rely on them. */
export const METRICS = {
  httpDuration: 'collaboration_http_request_duration_seconds',
  wopiOperations: 'collaboration_wopi_operations_total',
  wopiProofChecks: 'collaboration_wopi_proof_checks_total',
} as const;

export const metricProviders = [
  makeHistogramProvider({
    name: METRICS.httpDuration,
    help: 'HTTP request duration by method, route and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeCounterProvider({
    name: METRICS.wopiOperations,
    help: 'WOPI operations by operation and outcome (ok, or the error code).',
    labelNames: ['operation', 'outcome'],
  }),
  makeCounterProvider({
    name: METRICS.wopiProofChecks,
    help: 'Proof-key checks of WOPI requests by app and outcome (verified, unsigned, disabled, or the failed check).',
    labelNames: ['app', 'outcome'],
  }),
];

let defaultsCollected = false;

/** Process metrics (CPU, memory, event loop, handles); registered once per process. */
export function collectProcessMetrics(): void {
  if (
    !defaultsCollected &&
    register.getSingleMetric('process_cpu_user_seconds_total') === undefined
  ) {
    collectDefaultMetrics();
  }
  defaultsCollected = true;
}
