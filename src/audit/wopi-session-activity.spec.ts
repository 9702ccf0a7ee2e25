import { describe, expect, it } from 'vitest';
import { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { NatsService } from '../nats/nats.service';
import type { WopiOperationRecord } from '../wopi/wopi-operation-record';
import { MemoryEditorSessionStore } from './editor-sessions-store.memory';
import { NatsKvEditorSessionStore } from './editor-sessions-store.nats-kv';
import { createEditorSessionStore } from './editor-sessions.providers';
import { sessionActivityOf } from './wopi-session-activity';

function record(extra: Partial<WopiOperationRecord>): WopiOperationRecord {
  return {
    operation: 'Unlock',
    outcome: 'ok',
    status: 200,
    fileId: 'f1',
    sessionId: 's1',
    user: {
      id: { idp: 'https://idp', opaqueId: 'alice' },
      username: 'alice',
      displayName: 'Alice',
      mail: 'alice@example.org',
      isGuest: false,
    },
    app: 'Collabora',
    mode: 'write',
    clientAddress: '10.0.0.1',
    startedAt: new Date('2026-01-01T00:00:00Z'),
    durationMs: 3,
    details: {
      file: {
        fileId: 'f1',
        resourceId: { storageId: 's', spaceId: 'sp', opaqueId: 'o' },
        name: 'a.docx',
        path: '/a.docx',
      },
    },
    ...extra,
  };
}

describe(sessionActivityOf.name, () => {
  it('should end the session on a successful Unlock only', () => {
    expect(sessionActivityOf(record({}))).toEqual({
      sessionId: 's1',
      fileId: 'f1',
      resourceId: { storageId: 's', spaceId: 'sp', opaqueId: 'o' },
      path: '/a.docx',
      user: {
        id: { idp: 'https://idp', opaqueId: 'alice' },
        username: 'alice',
        displayName: 'Alice',
      },
      app: 'Collabora',
      mode: 'write',
      clientAddress: '10.0.0.1',
      at: new Date('2026-01-01T00:00:00Z'),
      ends: true,
    });
    expect(sessionActivityOf(record({ outcome: 'LOCK_CONFLICT', status: 409 }))?.ends).toBe(false);
    expect(sessionActivityOf(record({ operation: 'UnlockAndRelock' }))?.ends).toBe(false);
  });

  it('should ignore requests without a verified token', () => {
    expect(sessionActivityOf(record({ sessionId: undefined, user: undefined }))).toBeUndefined();
  });

  it('should share sessions in NATS KV when NATS is configured, else keep them in memory', () => {
    const config = new AppConfig();
    const nats = new NatsService(config, new HealthRegistry());
    expect(createEditorSessionStore(config, nats)).toBeInstanceOf(MemoryEditorSessionStore);
    config.audit.endpoint = 'nats://127.0.0.1:1';
    expect(createEditorSessionStore(config, nats)).toBeInstanceOf(NatsKvEditorSessionStore);
  });
});
