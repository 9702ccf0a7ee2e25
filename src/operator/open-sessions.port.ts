import type { ResourceId, UserId } from '../storage/storage.types';

/** An open WOPI editor session, as the audit module's EditorSessions tracks it. */
export interface OpenSession {
  sessionId: string;
  fileId: string;
  resourceId?: ResourceId;
  path?: string;
  user: { id: UserId; username: string; displayName: string };
  app?: string;
  mode: string;
  lastSeen: string;
}

/** The open editor sessions of every replica (the operator API lists them). */
export abstract class OpenSessions {
  abstract list(): Promise<OpenSession[]>;
}

/** No session tracker in this process (the CLI): nothing is open. */
export class NoOpenSessions extends OpenSessions {
  list(): Promise<OpenSession[]> {
    return Promise.resolve([]);
  }
}
