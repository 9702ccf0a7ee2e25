import type { FastifyInstance } from 'fastify';
import { register, type Histogram } from 'prom-client';
import { METRICS } from './metrics';

/** Observes every HTTP request's duration, labelled by route template (not the raw URL) and status. */
export function installHttpMetrics(fastify: FastifyInstance): void {
  const histogram = register.getSingleMetric(METRICS.httpDuration) as Histogram | undefined;
  if (histogram === undefined) {
    return;
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
