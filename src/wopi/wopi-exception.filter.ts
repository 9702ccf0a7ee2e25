import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestIdOf } from '../common/http/request-id';
import { InvalidTokenError } from '../tokens/access-token.service';
import { wopiErrorResponse } from './wopi-error-response';
import { WopiOperationRecorder } from './wopi-operation.recorder';
import { wopiContextOf } from './wopi-request-context';

/**
 * The WOPI routes' error answer (see wopiErrorResponse), with one log line per failure carrying the
 * request id, and the failed operation recorded.
 */
@Catch()
export class WopiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(WopiExceptionFilter.name);

  constructor(private readonly recorder: WopiOperationRecorder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = requestIdOf(request.raw);
    const context = wopiContextOf(request.raw);
    const answer = wopiErrorResponse(exception, requestId);
    const fields = {
      requestId,
      operation: context?.operation,
      fileId: context?.fileId,
      status: answer.status,
      outcome: answer.outcome,
    };
    if (answer.status >= 500 && answer.status !== 503 && answer.status !== 504) {
      this.logger.error({ ...fields, err: exception }, 'WOPI request failed');
    } else if (answer.status === 503 || answer.status === 504) {
      this.logger.warn(
        { ...fields, reason: (exception as Error).message },
        answer.status === 503 ? 'storage unavailable' : 'storage timed out',
      );
    } else if (answer.status === 401) {
      this.logger.warn(
        {
          ...fields,
          reason:
            exception instanceof InvalidTokenError
              ? exception.reason
              : (exception as Error).message,
        },
        'WOPI request refused',
      );
    } else {
      this.logger.debug(
        { ...fields, reason: (exception as Error).message },
        'WOPI request rejected',
      );
    }
    if (context) {
      this.recorder.record(context, answer.outcome, answer.status);
    }
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    if (!request.raw.complete) {
      // A refused upload: close the connection rather than read the rest of its body.
      void reply.header('Connection', 'close');
    }
    void reply
      .status(answer.status)
      .headers(answer.headers)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(answer.body));
  }
}
