import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, sendError } from '../../common/errors/http-exception.filter';
import { requestIdOf } from '../../common/http/request-id';
import { CoopsBadRequestError } from '../coops.errors';

/**
 * CoOPS answers: 400 with every reason, 401 bad capability, 403, 404, 409 (stale revision or a patch
 * that does not apply), 413, 501 (join without a protocol or algorithm we speak), 503.
 */
@Catch()
export class CoopsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(CoopsExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const requestId = requestIdOf(http.getRequest<FastifyRequest>().raw);
    const { status, body } = describe(exception, requestId);
    const reasons = exception instanceof CoopsBadRequestError ? exception.reasons : undefined;
    if (status >= 500 && status !== 501 && status !== 503) {
      this.logger.error({ err: exception, requestId, status }, 'CoOPS request failed');
    } else {
      this.logger.log(
        { requestId, status, code: body.code, reason: body.message },
        'CoOPS request refused',
      );
    }
    sendError(reply, status, reasons ? { ...body, reasons } : body);
  }
}
