import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
      this.finished(request.raw, reply.raw);
      done();
    });
    // Fastify runs onResponse on the response's 'finish' only; a streamed GetFile whose socket
    // closes first (the client read it all and hung up) would never be recorded without this.
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.raw.once('close', () => {
        this.finished(request.raw, reply.raw);
      });
      done();
    });
  }

  private finished(request: IncomingMessage, response: ServerResponse): void {
    const context = wopiContextOf(request);
    if (context !== undefined && !context.recorded) {
      // A streamed body cut short (client gone, storage failed) did not succeed; one read to its
      // end did, even when the client closed the socket before the response's 'finish'.
      const outcome = response.writableFinished || context.bodySent === true ? 'ok' : 'ABORTED';
      this.recorder.record(context, outcome, response.statusCode);
    }
  }
}
