import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import type { CoopsSessionEvent } from '../coops/sessions/coops-session-events';
import type { WopiOperationRecord } from '../wopi/wopi-operation-record';
import type { AuditEvent } from './audit-event';
import { AUDIT_EVENT_TYPES, type AuditEventType } from './audit-event-types';
import {
  cs3Reference,
  cs3ResourceId,
  cs3Timestamp,
  cs3UserId,
  traceparentFor,
} from './audit-payload';
import type { ClosedEditorSession, EditorSession } from './editor-sessions.types';

/** The app name of CoOPS sessions in audit events. */
export const COOPS_APP = 'CoOPS';

/** What every event carries: executant, file reference and path, app, session, request, time. */
interface Common {
  session: EditorSession;
  requestId?: string;
  at: Date;
  /** Overrides the session's file (PutRelativeFile's new file, a renamed file's new path). */
  path?: string;
}

function event(type: AuditEventType, common: Common, extra: Record<string, unknown>): AuditEvent {
  const id = randomUUID();
  const { session } = common;
  return {
    id,
    type,
    timestamp: common.at,
    initiatorId: '',
    traceparent: traceparentFor(common.requestId, id),
    payload: {
      Executant: cs3UserId(session.user.id),
      Ref: session.resourceId ? cs3Reference(session.resourceId) : null,
      Owner: null,
      Timestamp: cs3Timestamp(common.at),
      ImpersonatingUser: null,
      ...extra,
      ExecutantName: session.user.username,
      FileID: session.fileId,
      Path: common.path ?? session.path ?? '',
      App: session.app ?? '',
      SessionID: session.sessionId,
      RequestID: common.requestId ?? '',
    },
  };
}

export function openedEvent(session: EditorSession, requestId: string | undefined): AuditEvent {
  return event(
    AUDIT_EVENT_TYPES.opened,
    { session, requestId, at: new Date(session.openedAt) },
    { ViewMode: session.mode, ClientAddress: session.clientAddress ?? '' },
  );
}

export function closedEvent(closed: ClosedEditorSession, requestId?: string): AuditEvent {
  return event(
    AUDIT_EVENT_TYPES.closed,
    { session: closed.session, requestId, at: new Date(closed.closedAt) },
    { Reason: closed.reason, OpenedAt: closed.session.openedAt, LastSeen: closed.session.lastSeen },
  );
}

/** The event of a successful WOPI operation, or undefined when it has none (CheckFileInfo, GetLock...). */
export function operationEvent(
  record: WopiOperationRecord,
  session: EditorSession,
): AuditEvent | undefined {
  if (record.outcome !== 'ok') {
    return undefined;
  }
  const at = new Date(record.startedAt.getTime() + Math.round(record.durationMs));
  const { details } = record;
  const common: Common = { session, requestId: record.requestId, at, path: details.file?.path };
  const lock = { LockID: details.lockId ?? '' };
  switch (record.operation) {
    case 'GetFile':
      return event(AUDIT_EVENT_TYPES.read, common, { Size: details.bytes ?? null });
    case 'PutFile':
      return event(AUDIT_EVENT_TYPES.saved, common, {
        SpaceOwner: null,
        Size: details.bytes ?? null,
        Version: details.file?.version ?? '',
        IsModifiedByUser: details.editorFlags?.modifiedByUser ?? null,
        IsAutosave: details.editorFlags?.autosave ?? null,
        IsExitSave: details.editorFlags?.exitSave ?? null,
      });
    case 'Lock':
      return event(AUDIT_EVENT_TYPES.locked, common, lock);
    case 'UnlockAndRelock':
      return event(AUDIT_EVENT_TYPES.locked, common, {
        ...lock,
        OldLockID: details.oldLockId ?? '',
      });
    case 'RefreshLock':
      return event(AUDIT_EVENT_TYPES.lockRefreshed, common, lock);
    case 'Unlock':
      return event(AUDIT_EVENT_TYPES.unlocked, common, lock);
    case 'RenameFile': {
      const path = details.file?.path ?? session.path ?? '';
      const oldPath =
        details.oldName !== undefined && path !== ''
          ? posix.join(posix.dirname(path), details.oldName)
          : '';
      return event(AUDIT_EVENT_TYPES.renamed, common, {
        SpaceOwner: null,
        OldReference: session.resourceId ? cs3Reference(session.resourceId) : null,
        OldPath: oldPath,
        NewName: details.newName ?? '',
      });
    }
    case 'PutRelativeFile': {
      const target = details.newFile;
      return event(
        AUDIT_EVENT_TYPES.savedAs,
        { ...common, path: details.file?.path },
        {
          NewRef: target ? cs3Reference(target.resourceId) : null,
          NewPath: target?.path ?? '',
          NewFileID: target?.fileId ?? '',
          Size: details.bytes ?? null,
        },
      );
    }
    case 'DeleteFile':
      return event(AUDIT_EVENT_TYPES.deleted, common, {
        SpaceOwner: null,
        ID: session.resourceId ? cs3ResourceId(session.resourceId) : null,
      });
    case 'CheckFileInfo':
    case 'GetLock':
    case 'PutUserInfo':
    case 'GetTemplate':
    case 'Unknown':
      return undefined;
  }
}

/**
 * The opened/closed event of a CoOPS session (raised once per cluster by CoOPS). CoOPS knows the
 * user by `idp/opaqueId` and display name, and no path: `Ref` is null, `Path` empty.
 */
export function coopsSessionEvent(coops: CoopsSessionEvent): AuditEvent {
  const cut = coops.userKey.lastIndexOf('/');
  const at = new Date(coops.at);
  const session: EditorSession = {
    sessionId: coops.sessionId,
    fileId: coops.fileId,
    user: {
      id: { idp: coops.userKey.slice(0, Math.max(cut, 0)), opaqueId: coops.userKey.slice(cut + 1) },
      username: coops.displayName,
      displayName: coops.displayName,
    },
    app: COOPS_APP,
    mode: 'write',
    openedAt: at.toISOString(),
    lastSeen: at.toISOString(),
  };
  if (coops.type === 'opened') {
    return event(
      AUDIT_EVENT_TYPES.opened,
      { session, at },
      { ViewMode: 'write', ClientAddress: '' },
    );
  }
  return event(AUDIT_EVENT_TYPES.closed, { session, at }, { Reason: coops.reason ?? 'left' });
}
