import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { requestIdOf } from '../common/http/request-id';
import { redactUrl } from '../common/logging/redact';
import { METRICS } from '../metrics/metrics';
import { ProofInvalidError } from './discovery.errors';
import { ProofCheckService } from './proof-check.service';
import { proofInputOf } from './proof-input';

/**
 * Proof keys on WOPI routes: `@UseGuards(WopiTokenGuard, WopiProofGuard)`. It runs after the token
 * guard (which attaches a ProofInput) and before the handler, so a refused request never has a body
 * byte read. A refusal is a ProofInvalidError (500, as WOPI clients expect) and one warning saying
 * which check failed; tokens and proof headers are never logged.
 */
@Injectable()
export class WopiProofGuard implements CanActivate {
  private readonly logger = new Logger(WopiProofGuard.name);

  constructor(
    private readonly proofs: ProofCheckService,
    @InjectMetric(METRICS.wopiProofChecks) private readonly checks: Counter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const requestTarget = request.raw.url ?? request.url;
    const requestId = requestIdOf(request.raw);
    const input = proofInputOf(request);
    if (!input) {
      this.logger.error(
        { requestId, url: redactUrl(requestTarget) },
        'proof check impossible: WopiProofGuard ran without the token guard before it',
      );
      this.checks.inc({ app: '', outcome: 'no-proof-input' });
      throw new ProofInvalidError('no-proof-input');
    }
    const outcome = await this.proofs.check({
      requestTarget,
      headers: request.headers,
      app: input.token.app,
      accessToken: input.accessToken,
    });
    if (!outcome.ok) {
      this.checks.inc({ app: outcome.app ?? '', outcome: outcome.reason });
      this.logger.warn(
        {
          requestId,
          app: outcome.app,
          check: outcome.reason,
          detail: outcome.detail,
          method: request.method,
          url: redactUrl(requestTarget),
        },
        `proof-key check failed (${outcome.reason}): ${outcome.detail}`,
      );
      throw new ProofInvalidError(outcome.reason);
    }
    this.checks.inc({ app: outcome.app ?? '', outcome: outcome.via });
    return true;
  }
}
