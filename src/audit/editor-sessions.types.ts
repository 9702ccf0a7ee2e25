import type { ResourceId, UserId } from '../storage/storage.types';
import type { ViewMode } from '../tokens/access-token.types';

/** Who works in an editor session (no secrets, no tokens). */
export interface EditorSessionUser {
  id: UserId;
  username: string;
  displayName: string;
}

/**
 * One open editor session: one per access-token session id, shared by every replica. Times are
 * ISO 8601 strings, so the value is the same in NATS KV, in memory and in an operator API's JSON.
 */
export interface EditorSession {
  sessionId: string;
  /** The WOPI file id. */
  fileId: string;
  resourceId?: ResourceId;
  /** The file's path as the storage reported it, when known (it follows renames). */
  path?: string;
  user: EditorSessionUser;
  app?: string;
  mode: ViewMode;
  /** The client address of the request that opened the session. */
  clientAddress?: string;
  openedAt: string;
  lastSeen: string;
}

/** One answered request of a session, as the tracker needs it: the session's facts as of now. */
export interface SessionActivity extends Omit<EditorSession, 'openedAt' | 'lastSeen'> {
  /** When the request arrived. */
  at: Date;
  /** The request ends the session (a successful Unlock at the end of an edit). */
  ends?: boolean;
}

/** The session a request opens (or would open): its facts, opened and last seen at the request. */
export function sessionOpenedBy(activity: SessionActivity): EditorSession {
  const at = activity.at.toISOString();
  return {
    sessionId: activity.sessionId,
    fileId: activity.fileId,
    ...(activity.resourceId ? { resourceId: activity.resourceId } : {}),
    ...(activity.path !== undefined ? { path: activity.path } : {}),
    user: activity.user,
    ...(activity.app !== undefined ? { app: activity.app } : {}),
    mode: activity.mode,
    ...(activity.clientAddress !== undefined ? { clientAddress: activity.clientAddress } : {}),
    openedAt: at,
    lastSeen: at,
  };
}

export type CloseReason = 'unlock' | 'idle';

export interface ClosedEditorSession {
  session: EditorSession;
  reason: CloseReason;
  closedAt: string;
}

/** What one activity did to the shared state; `opened`/`closed` are set on one replica only. */
export interface SessionTransition {
  /** The session after the activity (undefined when an ending request found nothing open). */
  session?: EditorSession;
  opened?: EditorSession;
  closed?: ClosedEditorSession;
}
