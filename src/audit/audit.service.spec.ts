import { describe, expect, it } from 'vitest';
import {
  auditPipeline,
  CapturingAuditSink,
  everyAuditEvent,
  wopiRecord,
} from '../../test/support/audit';
import { HealthRegistry } from '../health/health-registry';
import { WopiOperationObserver } from '../wopi/wopi-operation.observer';
import { envelopeOf, payloadOf } from './audit-event';
import { AuditService } from './audit.service';
import { MemoryEditorSessionStore } from './editor-sessions-store.memory';
import { EditorSessions } from './editor-sessions.service';

describe(AuditService.name, () => {
  it('should turn an editor session into opened, read, locked, saved x3, unlocked, closed', async () => {
    const { observer, sink } = auditPipeline();
    const records = [
      wopiRecord('CheckFileInfo'),
      wopiRecord('GetFile'),
      wopiRecord('Lock', { lockId: 'L1' }),
      wopiRecord('PutFile', { editorFlags: { autosave: true } }),
      wopiRecord('PutFile', { editorFlags: { modifiedByUser: true } }),
      wopiRecord('GetLock'),
      wopiRecord('PutFile', { editorFlags: { exitSave: true } }),
      wopiRecord('Unlock', { lockId: 'L1' }),
    ];
    for (const record of records) {
      observer.publish(record);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sink.events.map((e) => e.type)).toEqual([
      'events.DocumentOpened',
      'events.FileDownloaded',
      'events.FileLocked',
      'events.FileUploaded',
      'events.FileUploaded',
      'events.FileUploaded',
      'events.FileUnlocked',
      'events.DocumentClosed',
    ]);
    const saves = sink.events.filter((e) => e.type === 'events.FileUploaded');
    expect(
      saves.map((e) => [
        e.payload['IsAutosave'],
        e.payload['IsModifiedByUser'],
        e.payload['IsExitSave'],
      ]),
    ).toEqual([
      [true, null, null],
      [null, true, null],
      [null, null, true],
    ]);
    expect(sink.events[7]?.payload).toMatchObject({ Reason: 'unlock', RequestID: 'req-Unlock' });
  });

  it('should give every event executant, reference, path, app, session, request and time', async () => {
    const events = (await everyAuditEvent()).filter((e) => e.payload['App'] !== 'CoOPS');
    expect(new Set(events.map((e) => e.type)).size).toBe(10);
    for (const e of events) {
      const payload = payloadOf(envelopeOf(e)) as Record<string, unknown>;
      expect(payload).toMatchObject({
        Executant: { idp: 'https://idp.example', opaque_id: 'alice-id', type: 1 },
        Ref: {
          resource_id: { storage_id: 'storage-1', space_id: 'space-1', opaque_id: 'file-1' },
          path: '.',
        },
        App: 'Collabora',
        FileID: 'f-1',
      });
      expect(payload['Path']).toMatch(/^\/Documents\//);
      expect(payload['SessionID']).toMatch(/^s-[12]$/);
      expect(typeof payload['RequestID']).toBe('string');
      const timestamp = payload['Timestamp'] as { seconds: unknown; nanos: unknown };
      expect([typeof timestamp.seconds, typeof timestamp.nanos]).toEqual(['number', 'number']);
    }
    const idle = events.find(
      (e) => e.type === 'events.DocumentClosed' && e.payload['Reason'] === 'idle',
    );
    expect(idle?.payload['SessionID']).toBe('s-2');
  });

  it('should emit nothing for failed operations and requests without a token', async () => {
    const { service, sink } = auditPipeline();
    await service.onRecord(
      wopiRecord('GetFile', {}, { sessionId: undefined, user: undefined, outcome: 'UNAUTHORIZED' }),
    );
    expect(sink.events).toEqual([]);
    await service.onRecord(wopiRecord('Lock', {}, { outcome: 'LOCK_CONFLICT', status: 409 }));
    expect(sink.events.map((e) => e.type)).toEqual(['events.DocumentOpened']);
  });

  it('should report the sink and the session store in readiness', async () => {
    const health = new HealthRegistry();
    const sessions = new EditorSessions(new MemoryEditorSessionStore(), { idleMs: 60_000 });
    const service = new AuditService(
      new WopiOperationObserver(),
      sessions,
      new CapturingAuditSink(),
      health,
    );
    service.onModuleInit();
    const check = health.entries().find(([name]) => name === 'audit')?.[1];
    expect(await check?.()).toMatchObject({ status: 'up', sessions: { store: 'memory' } });
  });

  it('should publish CoOPS sessions joining and leaving as opened and closed', async () => {
    const coops = (await everyAuditEvent()).filter((e) => e.payload['App'] === 'CoOPS');
    expect(coops.map((e) => e.type)).toEqual(['events.DocumentOpened', 'events.DocumentClosed']);
    expect(coops[1]?.payload).toMatchObject({
      Executant: { idp: 'https://idp.example', opaque_id: 'alice-id' },
      Ref: null,
      FileID: 'f-3',
      SessionID: 'c-1',
      Reason: 'socket',
    });
  });
});
