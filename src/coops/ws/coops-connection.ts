import { Logger } from '@nestjs/common';
import type { RawData, WebSocket } from 'ws';
import { describe } from '../../common/errors/http-exception.filter';
import { CoopsBadRequestError } from '../coops.errors';
import type { CoopsMetrics } from '../coops.metrics';
import type { CoopsAddress, CoopsService } from '../coops.service';
import { toWire, type CoopsSession } from '../coops.types';
import type { CoopsDocument } from '../document/coops-document';
import type { DocumentsService } from '../document/documents.service';
import { toPatchInput } from '../http/patch-input';
import type { SessionsService } from '../sessions/sessions.service';

/** A client that does not read its updates is cut off beyond this much unsent data. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface ConnectionDeps {
  coops: CoopsService;
  documents: DocumentsService;
  sessions: SessionsService;
  metrics: CoopsMetrics;
}

/**
 * One WebSocket of a CoOPS session. Updates go out through one pump that sends revision
 * `lastSent + 1` next, whether it comes from the catch-up or arrives live: no gap, no duplicate,
 * always in order. Incoming patches are handled one after another.
 */
export class CoopsConnection {
  private readonly logger = new Logger(CoopsConnection.name);
  private lastSent: number;
  private pumping = false;
  private again = false;
  private inbox: Promise<void> = Promise.resolve();
  private stopListening?: () => void;
  private closed = false;
  private shuttingDown = false;
  alive = true;

  constructor(
    private readonly socket: WebSocket,
    private readonly at: CoopsAddress,
    private readonly doc: CoopsDocument,
    private readonly session: CoopsSession,
    private readonly deps: ConnectionDeps,
  ) {
    this.lastSent = session.lastDelivered ?? session.joinRevision;
  }

  start(): void {
    this.deps.sessions.connected(this.session);
    this.stopListening = this.doc.listen(() => {
      this.pump();
    });
    this.socket.on('message', (data: RawData) => {
      this.inbox = this.inbox.then(() => this.receive(data));
    });
    this.socket.on('pong', () => {
      this.alive = true;
    });
    this.socket.on('close', () => {
      void this.closedBySocket();
    });
    this.socket.on('error', (error) => {
      this.logger.debug({ error: String(error) }, 'WebSocket error');
    });
    this.pump();
  }

  /** Ping frames are the heartbeat; a socket that missed the last one is dropped. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  /** Closes for a server shutdown: the client reconnects elsewhere, the session stays open. */
  shutdown(): void {
    this.shuttingDown = true;
    this.socket.close(1001, 'server shutting down');
  }

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void (async () => {
      try {
        do {
          this.again = false;
          while (this.isOpen() && this.lastSent < this.doc.revision) {
            const revisions = await this.deps.documents.revisionsAfter(this.doc, this.lastSent);
            const sent = this.lastSent;
            for (const revision of revisions) {
              if (!this.isOpen() || revision.revisionNumber !== this.lastSent + 1) {
                break;
              }
              this.send('update', toWire(revision));
              this.lastSent = revision.revisionNumber;
              if (revision.at !== undefined) {
                this.deps.metrics.fanout.observe(Math.max(0, Date.now() - revision.at) / 1000);
              }
            }
            if (this.lastSent === sent) {
              break;
            }
          }
        } while (this.pendingAgain() && this.isOpen());
      } catch (error) {
        this.logger.warn(
          { fileId: this.at.fileId, error: String(error) },
          'sending updates failed',
        );
        this.socket.close(1011, 'update failed');
      } finally {
        this.pumping = false;
      }
    })();
  }

  private isOpen(): boolean {
    return !this.closed;
  }

  private pendingAgain(): boolean {
    return this.again;
  }

  private async receive(data: RawData): Promise<void> {
    let message: { type?: unknown; data?: unknown };
    try {
      message = JSON.parse(rawText(data)) as { type?: unknown; data?: unknown };
    } catch {
      this.send('patchError', { code: 400, message: 'the message is not JSON' });
      return;
    }
    if (message.type !== 'patch') {
      this.send('patchError', {
        code: 400,
        message: `unknown message type ${String(message.type)}`,
      });
      return;
    }
    try {
      const input = toPatchInput(message.data);
      if (input.sessionId !== this.session.sessionId) {
        throw new CoopsBadRequestError(['sessionId is not the session of this WebSocket']);
      }
      await this.deps.coops.patch(this.at, input, 'websocket');
    } catch (error) {
      const { status, body } = describe(error, undefined);
      if (status === 409) {
        this.send('patchRejected', { code: 409, message: 'Conflict' });
      } else {
        const reasons = error instanceof CoopsBadRequestError ? error.reasons : undefined;
        this.send('patchError', {
          code: status,
          message: body.message,
          ...(reasons ? { reasons } : {}),
        });
      }
    }
  }

  private send(type: string, data: unknown): void {
    if (this.closed) {
      return;
    }
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn(
        { fileId: this.at.fileId },
        'a WebSocket client does not keep up; closing it',
      );
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify({ type, data }));
  }

  private async closedBySocket(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.stopListening?.();
    this.doc.lastActivity = Date.now();
    await this.deps.sessions
      .disconnected(this.doc, this.session, this.lastSent, this.shuttingDown)
      .catch((error: unknown) => {
        this.logger.warn({ error: String(error) }, 'closing the session failed');
      });
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
