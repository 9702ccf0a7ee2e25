import type { HealthReport } from '../storage/storage.types';
import { EditorSessionStore, type StoredEditorSession } from './editor-sessions-store.port';
import type { EditorSession } from './editor-sessions.types';

/** Open editor sessions of this process only (no NATS). */
export class MemoryEditorSessionStore extends EditorSessionStore {
  readonly shared = false;
  private readonly sessions = new Map<string, StoredEditorSession>();
  private revision = 0;

  get(sessionId: string): Promise<StoredEditorSession | undefined> {
    return Promise.resolve(copy(this.sessions.get(sessionId)));
  }

  create(session: EditorSession): Promise<number | undefined> {
    if (this.sessions.has(session.sessionId)) {
      return Promise.resolve(undefined);
    }
    return Promise.resolve(this.write(session));
  }

  update(session: EditorSession, revision: number): Promise<number | undefined> {
    if (this.sessions.get(session.sessionId)?.revision !== revision) {
      return Promise.resolve(undefined);
    }
    return Promise.resolve(this.write(session));
  }

  remove(sessionId: string, revision: number): Promise<boolean> {
    if (this.sessions.get(sessionId)?.revision !== revision) {
      return Promise.resolve(false);
    }
    this.sessions.delete(sessionId);
    return Promise.resolve(true);
  }

  list(): Promise<StoredEditorSession[]> {
    return Promise.resolve(
      [...this.sessions.values()].map((stored) => ({
        session: structuredClone(stored.session),
        revision: stored.revision,
      })),
    );
  }

  health(): Promise<HealthReport> {
    return Promise.resolve({ status: 'up', store: 'memory', sessions: this.sessions.size });
  }

  private write(session: EditorSession): number {
    this.revision += 1;
    this.sessions.set(session.sessionId, {
      session: structuredClone(session),
      revision: this.revision,
    });
    return this.revision;
  }
}

function copy(stored: StoredEditorSession | undefined): StoredEditorSession | undefined {
  return stored && { session: structuredClone(stored.session), revision: stored.revision };
}
