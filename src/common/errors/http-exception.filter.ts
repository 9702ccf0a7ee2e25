import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestIdOf } from '../http/request-id';
import { redactText } from '../logging/redact';
import { AppError, HTTP_STATUS_BY_CODE } from './app-error';

export interface ErrorBody {
  code: string;
  message: string;
  requestId?: string;
}

/**
 * Last-resort HTTP mapping: domain errors by their code, Nest HTTP exceptions as they are, anything
 * else as a generic 500 whose stack is logged with the request id. Protocol modules add their own
 * filters in front of this one for protocol headers.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      throw exception;
    }
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const requestId = requestIdOf(request.raw);
    const { status, body } = describe(exception, requestId);
    if (status >= 500) {
      this.logger.error({ err: exception, requestId, status }, 'request failed');
    } else {
      this.logger.warn(
        { requestId, status, code: body.code, reason: body.message },
        'request rejected',
      );
    }
    sendError(reply, status, body);
  }
}

export function describe(
  exception: unknown,
  requestId: string | undefined,
): { status: number; body: ErrorBody } {
  if (exception instanceof AppError) {
    return {
      status: HTTP_STATUS_BY_CODE[exception.code],
      body: {
        code: exception.code,
        message: exception.code === 'INTERNAL' ? 'internal error' : redactText(exception.message),
        requestId,
      },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      status,
      body: { code: `HTTP_${String(status)}`, message: redactText(exception.message), requestId },
    };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error', requestId } };
}

/** Sends an error unless the response already started, in which case the connection is cut. */
export function sendError(reply: FastifyReply, status: number, body: unknown): void {
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.destroy();
    return;
  }
  void reply
    .status(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
}
