import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { METRICS } from '../metrics/metrics';
import type { WopiOperationRecord } from './wopi-operation-record';
import { WopiOperationObserver } from './wopi-operation.observer';
import type { WopiRequestContext } from './wopi-request-context';

/**
 * Turns an answered WOPI request into its WopiOperationRecord, exactly once: counts it in
 * `collaboration_wopi_operations_total{operation,outcome}`, logs PutFile's editor flags and hands the
 * record to the observers.
 */
@Injectable()
export class WopiOperationRecorder {
  private readonly logger = new Logger('WopiOperations');

  constructor(
    @InjectMetric(METRICS.wopiOperations) private readonly counter: Counter,
    private readonly observer: WopiOperationObserver,
  ) {}

  record(context: WopiRequestContext, outcome: string, status: number): void {
    if (context.recorded) {
      return;
    }
    context.recorded = true;
    this.counter.inc({ operation: context.operation, outcome });
    const { token } = context;
    const record: WopiOperationRecord = {
      operation: context.operation,
      outcome,
      status,
      fileId: context.fileId,
      sessionId: token?.sessionId,
      user: token?.user,
      app: token?.app,
      mode: token?.mode,
      requestId: context.requestId,
      clientAddress: context.clientAddress,
      forwardedFor: context.forwardedFor,
      startedAt: new Date(context.startedAt),
      durationMs: Date.now() - context.startedAt,
      details: context.details,
    };
    if (context.operation === 'PutFile' && context.details.editorFlags !== undefined) {
      this.logger.log(
        {
          requestId: record.requestId,
          fileId: record.fileId,
          sessionId: record.sessionId,
          app: record.app,
          outcome,
          ...context.details.editorFlags,
        },
        'PutFile editor flags',
      );
    }
    this.observer.publish(record);
  }
}
