import { Controller, Get, Param, Patch, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from '../../common/errors/app-error';
import { CoopsService, type CoopsAddress } from '../coops.service';
import { CoopsExceptionFilter } from './coops-exception.filter';
import { toPatchInput } from './patch-input';
import { parseBody, readBody } from './request-body';

type Query = Record<string, string | string[] | undefined>;

/** The CoOPS REST routes under an address `/coops/<fileId>/<capability>`. */
@Controller('coops/:fileId/:capability')
@UseFilters(CoopsExceptionFilter)
export class CoopsController {
  constructor(private readonly coops: CoopsService) {}

  @Get()
  async load(
    @Param() at: CoopsAddress,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendJson(reply, await this.coops.load(at, first(queryOf(request)['revisionNumber'])));
  }

  @Get('join')
  async join(
    @Param() at: CoopsAddress,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const query = queryOf(request);
    sendJson(
      reply,
      await this.coops.join(at, all(query['algorithm']), first(query['protocolVersion'])),
    );
  }

  @Get('update')
  async update(
    @Param() at: CoopsAddress,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const query = queryOf(request);
    const revisions = await this.coops.update(
      at,
      first(query['sessionId']),
      first(query['revisionNumber']),
    );
    if (revisions === undefined) {
      void reply.code(204).send();
      return;
    }
    sendJson(reply, revisions);
  }

  @Patch()
  async patch(
    @Param() at: CoopsAddress,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = parseBody(await readBody(request.raw), request.headers['content-type']);
    await this.coops.patch(at, toPatchInput(body), 'rest');
    void reply.code(204).send();
  }

  /** PATCH for clients behind proxies that only pass GET and POST (`x-http-method-override`). */
  @Post()
  async override(
    @Param() at: CoopsAddress,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const method = request.headers['x-http-method-override'];
    if (typeof method !== 'string' || method.toUpperCase() !== 'PATCH') {
      request.raw.resume();
      throw new BadRequestError('POST needs the header x-http-method-override: PATCH');
    }
    await this.patch(at, request, reply);
  }
}

function queryOf(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function sendJson(reply: FastifyReply, body: unknown): void {
  void reply
    .code(200)
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(body));
}
