import type { CoopsSession } from '../coops.types';
import { SESSION_RETENTION_MS, SessionStore, type VersionedSession } from './session-store.port';

/** Sessions of a single process. */
export class MemorySessionStore extends SessionStore {
  private readonly sessions = new Map<string, VersionedSession>();
  private revision = 0;

  get(fileId: string, sessionId: string): Promise<VersionedSession | undefined> {
    const found = this.sessions.get(key(fileId, sessionId));
    return Promise.resolve(found && { session: { ...found.session }, revision: found.revision });
  }

  create(session: CoopsSession): Promise<void> {
    this.prune(session.accessedAt);
    this.sessions.set(key(session.fileId, session.sessionId), {
      session: { ...session },
      revision: ++this.revision,
    });
    return Promise.resolve();
  }

  update(session: CoopsSession, revision: number): Promise<boolean> {
    const current = this.sessions.get(key(session.fileId, session.sessionId));
    if (current?.revision !== revision) {
      return Promise.resolve(false);
    }
    this.sessions.set(key(session.fileId, session.sessionId), {
      session: { ...session },
      revision: ++this.revision,
    });
    return Promise.resolve(true);
  }

  async put(session: CoopsSession): Promise<void> {
    await this.create(session);
  }

  private prune(now: number): void {
    for (const [id, { session }] of this.sessions) {
      if (now - session.accessedAt > SESSION_RETENTION_MS) {
        this.sessions.delete(id);
      }
    }
  }
}

function key(fileId: string, sessionId: string): string {
  return `${fileId}.${sessionId}`;
}
