import type { HealthReport } from '../storage/storage.types';
import type { EditorSession } from './editor-sessions.types';

export interface StoredEditorSession {
  session: EditorSession;
  /** Changes on every write; the compare-and-set token of update and remove. */
  revision: number;
}

/**
 * Where open editor sessions live: in process, or in a NATS KV bucket shared by replicas. Every
 * write is a compare-and-set, so of two replicas racing on one session exactly one wins. A failure
 * to reach the store throws; a lost race answers undefined/false.
 */
export abstract class EditorSessionStore {
  /** Whether replicas share the state. */
  abstract readonly shared: boolean;
  abstract get(sessionId: string): Promise<StoredEditorSession | undefined>;
  /** The new revision, or undefined when the session already exists. */
  abstract create(session: EditorSession): Promise<number | undefined>;
  /** The new revision, or undefined when `revision` is no longer the current one (or it is gone). */
  abstract update(session: EditorSession, revision: number): Promise<number | undefined>;
  /** True when this call removed the session at `revision`. */
  abstract remove(sessionId: string, revision: number): Promise<boolean>;
  abstract list(): Promise<StoredEditorSession[]>;
  abstract health(): Promise<HealthReport>;
}
