import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, tap } from 'rxjs';
import { WopiOperationRecorder } from './wopi-operation.recorder';
import { wopiContextOf } from './wopi-request-context';

/** Records every WOPI request that succeeds; failures are recorded by WopiExceptionFilter. */
@Injectable()
export class WopiOperationInterceptor implements NestInterceptor {
  constructor(private readonly recorder: WopiOperationRecorder) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = execution.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      tap({
        complete: () => {
          const context = wopiContextOf(request.raw);
          if (context) {
            this.recorder.record(context, 'ok', reply.statusCode);
          }
        },
      }),
    );
  }
}
