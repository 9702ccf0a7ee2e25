import type { CoopsSession } from '../coops.types';

export interface VersionedSession {
  session: CoopsSession;
  /** Changes on every write; `update` succeeds only when it still matches. */
  revision: number;
}

/** CoOPS sessions, visible to every replica (a client may reach any of them with any request). */
export abstract class SessionStore {
  abstract get(fileId: string, sessionId: string): Promise<VersionedSession | undefined>;

  abstract create(session: CoopsSession): Promise<void>;

  /** Writes when nobody wrote since `revision`; false otherwise. */
  abstract update(session: CoopsSession, revision: number): Promise<boolean>;

  /** Writes unconditionally (heartbeats). */
  abstract put(session: CoopsSession): Promise<void>;
}

/** Sessions are forgotten this long after their last use. */
export const SESSION_RETENTION_MS = 24 * 3_600_000;
