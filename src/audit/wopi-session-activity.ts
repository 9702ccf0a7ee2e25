import type { WopiOperationRecord } from '../wopi/wopi-operation-record';
import type { SessionActivity } from './editor-sessions.types';

/**
 * The session activity of an answered WOPI request, or undefined when the request carried no
 * verified token. A successful Unlock ends the session; a failed one (409...) only touches it.
 */
export function sessionActivityOf(record: WopiOperationRecord): SessionActivity | undefined {
  if (record.sessionId === undefined || record.user === undefined || record.mode === undefined) {
    return undefined;
  }
  const file = record.details.file;
  return {
    sessionId: record.sessionId,
    fileId: record.fileId,
    ...(file ? { resourceId: file.resourceId, path: file.path } : {}),
    user: {
      id: record.user.id,
      username: record.user.username,
      displayName: record.user.displayName,
    },
    ...(record.app !== undefined ? { app: record.app } : {}),
    mode: record.mode,
    ...(record.clientAddress !== undefined ? { clientAddress: record.clientAddress } : {}),
    at: record.startedAt,
    ends: record.operation === 'Unlock' && record.outcome === 'ok',
  };
}
