import type { AuditEvent } from '../../src/audit/audit-event';
import { AuditSink } from '../../src/audit/audit-sink.port';
import { AuditService } from '../../src/audit/audit.service';
import { MemoryEditorSessionStore } from '../../src/audit/editor-sessions-store.memory';
import { EditorSessions } from '../../src/audit/editor-sessions.service';
import { CoopsSessionEvents } from '../../src/coops/sessions/coops-session-events';
import type { HealthReport } from '../../src/storage/storage.types';
import type { WopiOperation } from '../../src/wopi/wopi-operation';
import type {
  WopiOperationDetails,
  WopiOperationRecord,
} from '../../src/wopi/wopi-operation-record';
import { WopiOperationObserver } from '../../src/wopi/wopi-operation.observer';

/** An AuditSink that keeps what it is given. */
export class CapturingAuditSink extends AuditSink {
  readonly kind = 'log';
  readonly events: AuditEvent[] = [];

  emit(event: AuditEvent): void {
    this.events.push(event);
  }

  flush(): Promise<boolean> {
    return Promise.resolve(true);
  }

  health(): Promise<HealthReport> {
    return Promise.resolve({ status: 'up' });
  }
}

const FILE = {
  fileId: 'f-1',
  resourceId: { storageId: 'storage-1', spaceId: 'space-1', opaqueId: 'file-1' },
  name: 'report.docx',
  path: '/Documents/report.docx',
  version: 'v1',
  size: 42,
};

/** A WOPI operation record of the session `s-1` by alice on /Documents/report.docx. */
export function wopiRecord(
  operation: WopiOperation,
  details: WopiOperationDetails = {},
  extra: Partial<WopiOperationRecord> = {},
): WopiOperationRecord {
  return {
    operation,
    outcome: 'ok',
    status: 200,
    fileId: FILE.fileId,
    sessionId: 's-1',
    user: {
      id: { idp: 'https://idp.example', opaqueId: 'alice-id', type: 'primary' },
      username: 'alice',
      displayName: 'Alice',
      isGuest: false,
    },
    app: 'Collabora',
    mode: 'write',
    requestId: `req-${operation}`,
    clientAddress: '192.0.2.10',
    startedAt: new Date('2026-03-01T09:00:00.000Z'),
    durationMs: 5,
    details: { file: FILE, ...details },
    ...extra,
  };
}

/** The audit pipeline with in-process sessions and a capturing sink. */
export function auditPipeline(idleMs = 60_000, now?: () => number) {
  const observer = new WopiOperationObserver();
  const sessions = new EditorSessions(new MemoryEditorSessionStore(), {
    idleMs,
    touchEveryMs: 0,
    ...(now ? { now } : {}),
  });
  const sink = new CapturingAuditSink();
  const coops = new CoopsSessionEvents();
  const service = new AuditService(observer, sessions, sink, undefined, coops);
  service.onModuleInit();
  return { observer, sessions, sink, service, coops };
}

/** One of every event: a full edit, rename, save-as, delete, and an idle close. */
export async function everyAuditEvent(): Promise<AuditEvent[]> {
  let clock = Date.parse('2026-03-01T09:00:00.000Z');
  const { service, sessions, sink, coops } = auditPipeline(60_000, () => clock);
  const records = [
    wopiRecord('CheckFileInfo'),
    wopiRecord('GetFile', { bytes: 42 }),
    wopiRecord('Lock', { lockId: 'L1' }),
    wopiRecord('RefreshLock', { lockId: 'L1' }),
    wopiRecord('PutFile', {
      lockId: 'L1',
      bytes: 50,
      editorFlags: { modifiedByUser: true, autosave: false, exitSave: false },
    }),
    wopiRecord('RenameFile', {
      lockId: 'L1',
      oldName: 'report.docx',
      newName: 'final.docx',
      file: { ...FILE, name: 'final.docx', path: '/Documents/final.docx' },
    }),
    wopiRecord('PutRelativeFile', {
      bytes: 50,
      newFile: {
        fileId: 'f-2',
        resourceId: { storageId: 'storage-1', spaceId: 'space-1', opaqueId: 'file-2' },
        name: 'copy.docx',
        path: '/Documents/copy.docx',
      },
    }),
    wopiRecord('Unlock', { lockId: 'L1' }),
    wopiRecord('DeleteFile', {}, { sessionId: 's-2' }),
  ];
  for (const record of records) {
    await service.onRecord(record);
  }
  clock += 120_000;
  await sessions.sweep();
  const coopsSession = {
    fileId: 'f-3',
    sessionId: 'c-1',
    userKey: 'https://idp.example/alice-id',
    displayName: 'Alice',
    at: clock,
  };
  coops.raise({ ...coopsSession, type: 'opened' });
  coops.raise({ ...coopsSession, type: 'closed', reason: 'socket' });
  return sink.events;
}
