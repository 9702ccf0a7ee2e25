import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { assignRequestId } from '../common/http/request-id';

/**
 * Fastify for the public listener. Every request gets its request id first (from X-Request-ID or
 * generated, echoed back), matched route or not. No body parsing at all: WOPI bodies are raw bytes
 * with any (or no) Content-Type and are streamed by the handlers; JSON protocols read their bodies
 * explicitly.
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    routerOptions: { maxParamLength: 2048 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    genReqId: (req: IncomingMessage) => assignRequestId(req),
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-ID', request.id);
    done();
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => {
    done(null, undefined);
  });
  return adapter;
}
