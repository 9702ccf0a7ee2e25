import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { WopiOperationRecorder } from './wopi-operation.recorder';
import { wopiContextOf } from './wopi-request-context';

/**
 * Records every WOPI request that did not fail once its response is finished (failures are recorded
 * by WopiExceptionFilter with their error code). A Fastify `onResponse` hook rather than a Nest
 * interceptor: it sees the final status, the end of streamed GetFile bodies, and costs nothing on
 * the hot path of CheckFileInfo.
 */
@Injectable()
export class WopiOperationHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly recorder: WopiOperationRecorder,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      const context = wopiContextOf(request.raw);
      if (context !== undefined && !context.recorded) {
        // A streamed body cut short (client gone, storage failed) did not succeed.
        const outcome = reply.raw.writableFinished ? 'ok' : 'ABORTED';
        this.recorder.record(context, outcome, reply.statusCode);
      }
      done();
    });
  }
}
