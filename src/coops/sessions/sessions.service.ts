import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ForbiddenError } from '../../common/errors/app-error';
import type { VerifiedToken } from '../../tokens/access-token.types';
import { CoopsBadRequestError } from '../coops.errors';
import { CoopsMetrics } from '../coops.metrics';
import type { CoopsSession, Presence } from '../coops.types';
import type { CoopsDocument } from '../document/coops-document';
import { DocumentsService } from '../document/documents.service';
import { CoopsSessionEvents, type CoopsSessionEvent } from './coops-session-events';
import { SessionStore } from './session-store.port';

/** A REST session with no request for this long is closed (its client polls every 500 ms). */
export const SESSION_IDLE_MS = 10_000;
const TOUCH_EVERY_MS = 2_000;
const SWEEP_EVERY_MS = 2_000;
const FORGET_AFTER_MS = 3_600_000;

export type Transport = 'rest' | 'websocket';

interface LocalSession {
  session: CoopsSession;
  lastSeen: number;
  lastWritten: number;
  sockets: number;
}

/**
 * CoOPS sessions: join, the checks every request makes (session exists, belongs to this file and
 * user), presence (sessionEvents revisions on open and close) and expiry of idle REST sessions.
 */
@Injectable()
export class SessionsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionsService.name);
  private readonly local = new Map<string, LocalSession>();
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly store: SessionStore,
    private readonly documents: DocumentsService,
    private readonly events: CoopsSessionEvents,
    private readonly metrics: CoopsMetrics,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      void this.sweep();
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** A new session for the token's user; announced to everyone else as OPEN. */
  async join(doc: CoopsDocument, token: VerifiedToken, algorithm: string): Promise<CoopsSession> {
    const now = Date.now();
    const session: CoopsSession = {
      sessionId: randomUUID(),
      fileId: doc.fileId,
      userKey: userKeyOf(token),
      displayName: token.user.displayName || token.user.username,
      email: token.user.mail ?? '',
      algorithm,
      joinRevision: doc.revision,
      status: 'open',
      accessedAt: now,
    };
    await this.store.create(session);
    this.local.set(keyOf(session), { session, lastSeen: now, lastWritten: now, sockets: 0 });
    await this.announce(doc, session, 'OPEN');
    return session;
  }

  /** Records where the joined client starts (the revision its join answer showed). */
  async started(session: CoopsSession, revision: number): Promise<void> {
    session.joinRevision = revision;
    await this.store.put(session);
  }

  /** The session a request names, checked against file and user; reopened when it had closed. */
  async resolve(
    doc: CoopsDocument,
    token: VerifiedToken,
    sessionId: string,
  ): Promise<CoopsSession> {
    const key = `${doc.fileId}.${sessionId}`;
    let local = this.local.get(key);
    if (!local) {
      const stored = await this.store.get(doc.fileId, sessionId);
      if (!stored) {
        throw new CoopsBadRequestError([`unknown sessionId ${JSON.stringify(sessionId)}`]);
      }
      local = { session: stored.session, lastSeen: 0, lastWritten: 0, sockets: 0 };
      this.local.set(key, local);
    }
    if (local.session.userKey !== userKeyOf(token)) {
      throw new ForbiddenError('the session belongs to another user');
    }
    const now = Date.now();
    local.lastSeen = now;
    if (!doc.presence.has(sessionId)) {
      await this.reopen(doc, local);
    } else if (now - local.lastWritten > TOUCH_EVERY_MS) {
      local.lastWritten = now;
      this.store.put({ ...local.session, accessedAt: now }).catch((error: unknown) => {
        this.logger.warn({ error: String(error) }, 'could not record session activity');
      });
    }
    return local.session;
  }

  /** A WebSocket of the session opened on this replica. */
  connected(session: CoopsSession): void {
    const local = this.local.get(keyOf(session));
    if (local) {
      local.sockets++;
      local.lastSeen = Date.now();
    }
  }

  /** Its WebSocket closed: remember what it got; unless the server is stopping, the session closes. */
  async disconnected(
    doc: CoopsDocument,
    session: CoopsSession,
    lastDelivered: number,
    shutdown: boolean,
  ): Promise<void> {
    const local = this.local.get(keyOf(session));
    if (local) {
      local.sockets = Math.max(0, local.sockets - 1);
      local.lastSeen = Date.now();
      local.session.lastDelivered = lastDelivered;
    }
    if (shutdown || (local?.sockets ?? 0) > 0) {
      await this.store.put({ ...session, lastDelivered, accessedAt: Date.now() });
      return;
    }
    await this.close(doc, { ...session, lastDelivered }, 'socket');
  }

  /** Closes idle sessions of the documents this replica serves and heals presence. */
  async sweep(): Promise<void> {
    if (this.sweeping) {
      return;
    }
    this.sweeping = true;
    try {
      const now = Date.now();
      for (const doc of this.documents.all()) {
        for (const presence of [...doc.presence.values()]) {
          await this.check(doc, presence, now).catch((error: unknown) => {
            this.logger.warn({ fileId: doc.fileId, error: String(error) }, 'session check failed');
          });
        }
      }
      let websocket = 0;
      let rest = 0;
      for (const [key, local] of this.local) {
        if (local.sockets > 0) {
          websocket++;
          if (now - local.lastWritten > TOUCH_EVERY_MS) {
            local.lastWritten = now;
            await this.store.put({ ...local.session, accessedAt: now }).catch(() => undefined);
          }
        } else if (now - local.lastSeen < SESSION_IDLE_MS) {
          rest++;
        } else if (now - local.lastSeen > FORGET_AFTER_MS) {
          this.local.delete(key);
        }
      }
      this.metrics.sessions.set({ transport: 'websocket' }, websocket);
      this.metrics.sessions.set({ transport: 'rest' }, rest);
    } finally {
      this.sweeping = false;
    }
  }

  private async check(doc: CoopsDocument, presence: Presence, now: number): Promise<void> {
    const local = this.local.get(`${doc.fileId}.${presence.sessionId}`);
    if (local && (local.sockets > 0 || now - local.lastSeen < SESSION_IDLE_MS)) {
      return;
    }
    const stored = await this.store.get(doc.fileId, presence.sessionId);
    if (!stored || stored.session.status === 'closed') {
      await this.announce(doc, stored?.session ?? presence, 'CLOSE', 'idle');
      return;
    }
    if (now - stored.session.accessedAt > SESSION_IDLE_MS) {
      const closed: CoopsSession = { ...stored.session, status: 'closed' };
      if (await this.store.update(closed, stored.revision)) {
        if (local) {
          local.session.status = 'closed';
        }
        await this.announce(doc, closed, 'CLOSE', 'idle');
      }
    }
  }

  private async reopen(doc: CoopsDocument, local: LocalSession): Promise<void> {
    local.session = { ...local.session, status: 'open', accessedAt: Date.now() };
    local.lastWritten = Date.now();
    await this.store.put(local.session);
    await this.announce(doc, local.session, 'OPEN');
  }

  private async close(
    doc: CoopsDocument,
    session: CoopsSession,
    reason: CoopsSessionEvent['reason'],
  ): Promise<void> {
    const closed: CoopsSession = { ...session, status: 'closed', accessedAt: Date.now() };
    const local = this.local.get(keyOf(session));
    if (local) {
      local.session = closed;
    }
    await this.store.put(closed);
    await this.announce(doc, closed, 'CLOSE', reason);
  }

  /** Appends the presence revision (unless presence already says so) and raises the event. */
  private async announce(
    doc: CoopsDocument,
    who: Presence | CoopsSession,
    status: 'OPEN' | 'CLOSE',
    reason?: CoopsSessionEvent['reason'],
  ): Promise<void> {
    const revision = await this.documents.serverRevision(doc, (current) =>
      current.presence.has(who.sessionId) === (status === 'OPEN')
        ? undefined
        : {
            patch: null,
            checksum: null,
            properties: null,
            extensions: {
              sessionEvents: [
                {
                  sessionId: who.sessionId,
                  displayName: who.displayName,
                  email: who.email,
                  status,
                },
              ],
            },
          },
    );
    if (revision) {
      this.events.raise({
        type: status === 'OPEN' ? 'opened' : 'closed',
        fileId: doc.fileId,
        sessionId: who.sessionId,
        userKey: 'userKey' in who ? who.userKey : '',
        displayName: who.displayName,
        ...(status === 'CLOSE' ? { reason: reason ?? 'left' } : {}),
        at: Date.now(),
      });
    }
  }
}

function keyOf(session: CoopsSession): string {
  return `${session.fileId}.${session.sessionId}`;
}

export function userKeyOf(token: VerifiedToken): string {
  return `${token.user.id.idp}/${token.user.id.opaqueId}`;
}
