import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../common/errors/app-error';
import { requestIdOf } from '../common/http/request-id';
import { attachProofInput } from '../discovery/proof-input';
import { WopiProofGuard } from '../discovery/wopi-proof.guard';
import { AccessTokenService, InvalidTokenError } from '../tokens/access-token.service';
import { wopiFileId } from '../tokens/resource-id';
import { headerOf } from './http/headers';
import { operationOf, WRITE_OPERATIONS, type WopiEndpoint } from './wopi-operation';
import {
  accessTokenParam,
  attachWopiContext,
  type WopiRequestContext,
} from './wopi-request-context';

/** Marks a WOPI route with its endpoint kind (read by WopiAuthGuard). */
export const WopiEndpointKind = Reflector.createDecorator<WopiEndpoint>();

/** A valid token whose view mode does not allow the operation (view-only or read-only on a write). */
export class ViewModeRefusedError extends UnauthorizedError {}

/**
 * First guard of every WOPI route: builds the request's WopiRequestContext (so that even a refused
 * request is recorded), verifies the `access_token` query parameter against the file id of the
 * path, and refuses writes with view-only or read-only tokens. Everything after it (the proof-key
 * guard, the services) reads the verified token from the context.
 */
@Injectable()
export class WopiAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const request = execution.switchToHttp().getRequest<FastifyRequest>();
    const endpoint = this.reflector.get(WopiEndpointKind, execution.getHandler());
    const { headers } = request;
    const rawUrl = request.raw.url ?? request.url;
    const param = accessTokenParam(rawUrl);
    const context: WopiRequestContext = {
      operation: operationOf(
        endpoint,
        request.method,
        headerOf(headers, 'x-wopi-override'),
        headers['x-wopi-oldlock'] !== undefined,
      ),
      endpoint,
      fileId: (request.params as { fileId?: string }).fileId ?? '',
      accessToken: param?.value,
      rawAccessToken: param?.raw,
      rawUrl,
      requestId: requestIdOf(request.raw),
      clientAddress: request.raw.socket.remoteAddress,
      forwardedFor: headerOf(headers, 'x-forwarded-for'),
      startedAt: Date.now(),
      details: {},
      recorded: false,
    };
    attachWopiContext(request.raw, context);
    const token = await this.tokens.verify(context.accessToken, context.fileId);
    // AccessTokenService accepts the file or its template; each route takes only its own.
    const allowed =
      endpoint === 'template'
        ? token.templateId !== undefined && wopiFileId(token.templateId) === context.fileId
        : token.fileId === context.fileId;
    if (!allowed) {
      throw new InvalidTokenError('file mismatch');
    }
    context.token = token;
    attachProofInput(request, { accessToken: context.accessToken ?? '', token });
    if (WRITE_OPERATIONS.has(context.operation) && token.mode !== 'write') {
      throw new ViewModeRefusedError(
        `a ${token.mode === 'view' ? 'view-only' : 'read-only'} access token cannot ${context.operation}`,
      );
    }
    return true;
  }
}

/**
 * The guards of the /wopi/files routes, in order: proof-key verification (ADR 0041) after
 * WopiAuthGuard, which attaches the verified token's app and the access token it needs.
 */
export const WOPI_FILE_GUARDS = [WopiAuthGuard, WopiProofGuard];

/** The guards of /wopi/templates: no proof keys there, as in oCIS. */
export const WOPI_TEMPLATE_GUARDS = [WopiAuthGuard];
