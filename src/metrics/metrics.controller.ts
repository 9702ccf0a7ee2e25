import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** /metrics, behind `Authorization: Bearer <COLLABORATION_DEBUG_TOKEN>` when that is set. */
@Controller()
export class MetricsController extends PrometheusController {
  constructor(private readonly config: AppConfig) {
    super();
  }

  @Get()
  override async index(
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('authorization') authorization?: string,
  ) {
    const expected = this.config.debug.token;
    if (expected !== undefined && !bearerMatches(authorization, expected)) {
      throw new UnauthorizedException('metrics need the debug token');
    }
    return super.index(response);
  }
}

function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) {
    return false;
  }
  const given = Buffer.from(match[1]);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
