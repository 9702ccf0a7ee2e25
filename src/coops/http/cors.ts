import type { FastifyInstance } from 'fastify';

const ALLOWED_METHODS = 'GET, PATCH, POST, OPTIONS';
const ALLOWED_HEADERS = 'Content-Type, X-HTTP-Method-Override, X-Request-ID';

/**
 * CORS for the CoOPS REST routes: the configured origins (`*` for any) get the headers on every
 * answer, errors included (a browser reports a blocked answer as status 0, which the CoOPS client
 * takes for a lost connection), and preflights are answered here.
 */
export function installCoopsCors(fastify: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) {
    return;
  }
  const any = origins.includes('*');
  fastify.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin === undefined || !request.url.startsWith('/coops/')) {
      done();
      return;
    }
    if (!any && !origins.includes(origin)) {
      done();
      return;
    }
    void reply.header('Access-Control-Allow-Origin', any ? '*' : origin);
    void reply.header('Vary', 'Origin');
    void reply.header('Access-Control-Expose-Headers', 'X-Request-ID');
    if (request.method === 'OPTIONS') {
      void reply
        .header('Access-Control-Allow-Methods', ALLOWED_METHODS)
        .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
        .header('Access-Control-Max-Age', '600')
        .code(204)
        .send();
      return;
    }
    done();
  });
}
