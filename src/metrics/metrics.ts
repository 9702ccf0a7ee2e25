import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';

/** Metric names, in one place so dashboards and docs can rely on them. */
export const METRICS = {
  httpDuration: 'collaboration_http_request_duration_seconds',
  wopiOperations: 'collaboration_wopi_operations_total',
  wopiProofChecks: 'collaboration_wopi_proof_checks_total',
  coopsDocuments: 'collaboration_coops_documents',
  coopsSessions: 'collaboration_coops_sessions',
  coopsPatches: 'collaboration_coops_patches_total',
  coopsFanout: 'collaboration_coops_fanout_seconds',
  coopsSaves: 'collaboration_coops_saves_total',
  auditPublished: 'collaboration_audit_events_published_total',
  auditRetried: 'collaboration_audit_events_retried_total',
  auditDropped: 'collaboration_audit_events_dropped_total',
  auditBuffered: 'collaboration_audit_events_buffered',
  ocisEvents: 'collaboration_ocis_events_total',
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
  makeGaugeProvider({
    name: METRICS.coopsDocuments,
    help: 'CoOPS documents open on this replica.',
  }),
  makeGaugeProvider({
    name: METRICS.coopsSessions,
    help: 'CoOPS sessions this replica serves, by transport (websocket, rest).',
    labelNames: ['transport'],
  }),
  makeCounterProvider({
    name: METRICS.coopsPatches,
    help: 'CoOPS patches by transport and outcome (accepted, or the status they were refused with).',
    labelNames: ['transport', 'outcome'],
  }),
  makeHistogramProvider({
    name: METRICS.coopsFanout,
    help: 'Time from a CoOPS revision being accepted (on any replica) to its update being sent to a WebSocket.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  makeCounterProvider({
    name: METRICS.coopsSaves,
    help: 'CoOPS saves to storage by outcome (saved, outside_change, failed).',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: METRICS.auditPublished,
    help: 'Audit events acknowledged by JetStream (main-queue).',
  }),
  makeCounterProvider({
    name: METRICS.auditRetried,
    help: 'Audit event publishes that failed and were queued again (NATS down or slow).',
  }),
  makeCounterProvider({
    name: METRICS.auditDropped,
    help: 'Audit events dropped because the buffer (COLLABORATION_AUDIT_BUFFER) was full, or left undelivered at shutdown.',
  }),
  makeGaugeProvider({
    name: METRICS.auditBuffered,
    help: 'Audit events waiting for JetStream on this replica.',
  }),
  makeCounterProvider({
    name: METRICS.ocisEvents,
    help: 'oCIS events about files open here, by event type and reaction (reloaded, closed, noted).',
    labelNames: ['type', 'reaction'],
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
