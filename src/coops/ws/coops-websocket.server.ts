import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { describe } from '../../common/errors/http-exception.filter';
import { assignRequestId } from '../../common/http/request-id';
import { AppConfig } from '../../config/app-config';
import { CoopsMetrics } from '../coops.metrics';
import { CoopsService } from '../coops.service';
import { DocumentsService } from '../document/documents.service';
import { MAX_BODY_BYTES } from '../http/request-body';
import { SessionsService } from '../sessions/sessions.service';
import { CoopsConnection } from './coops-connection';

const WS_PATH = /^\/coops\/([\w-]{1,128})\/([\w-]{16,4096})\/ws\/([\w-]{1,128})$/;

/**
 * The CoOPS WebSocket extension on the public HTTP listener: upgrades of
 * `/coops/<fileId>/<capability>/ws/<sessionId>` (checked like REST requests) become connections.
 */
@Injectable()
export class CoopsWebSocketServer implements OnModuleInit {
  private readonly logger = new Logger(CoopsWebSocketServer.name);
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BODY_BYTES,
    perMessageDeflate: false,
  });
  private readonly connections = new Set<CoopsConnection>();
  private heartbeat?: NodeJS.Timeout;
  private closing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly coops: CoopsService,
    private readonly documents: DocumentsService,
    private readonly sessions: SessionsService,
    private readonly metrics: CoopsMetrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head);
    });
    fastify.addHook('preClose', (done) => {
      this.shutdown();
      done();
    });
    this.heartbeat = setInterval(() => {
      for (const connection of this.connections) {
        connection.heartbeat();
      }
    }, this.config.coops.heartbeat);
    this.heartbeat.unref();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const requestId = assignRequestId(req);
    socket.on('error', () => undefined);
    const match = WS_PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (this.closing || !match?.[1] || !match[2] || !match[3]) {
      reject(socket, this.closing ? 503 : 404);
      return;
    }
    const at = { fileId: match[1], capability: match[2] };
    try {
      const { token, doc } = await this.coops.access(at);
      const session = await this.sessions.resolve(doc, token, match[3]);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const connection = new CoopsConnection(ws, at, doc, session, {
          coops: this.coops,
          documents: this.documents,
          sessions: this.sessions,
          metrics: this.metrics,
        });
        this.connections.add(connection);
        ws.once('close', () => this.connections.delete(connection));
        connection.start();
      });
    } catch (error) {
      const { status, body } = describe(error, requestId);
      this.logger.log({ requestId, status, reason: body.message }, 'CoOPS WebSocket refused');
      reject(socket, status);
    }
  }

  private shutdown(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const connection of this.connections) {
      connection.shutdown();
    }
  }
}

function reject(socket: Duplex, status: number): void {
  socket.end(
    `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}
