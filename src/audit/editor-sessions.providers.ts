import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { NatsService } from '../nats/nats.service';
import { MemoryEditorSessionStore } from './editor-sessions-store.memory';
import { NatsKvEditorSessionStore } from './editor-sessions-store.nats-kv';
import { EditorSessionStore } from './editor-sessions-store.port';
import { EditorSessions } from './editor-sessions.service';

/** The NATS address sessions are shared on: COLLABORATION_NATS_URL, else OCIS_EVENTS_ENDPOINT. */
export function sessionsAddress(config: AppConfig): string | undefined {
  return config.nats.url ?? config.audit.endpoint;
}

export function createEditorSessionStore(config: AppConfig, nats: NatsService): EditorSessionStore {
  const address = sessionsAddress(config);
  return address === undefined
    ? new MemoryEditorSessionStore()
    : new NatsKvEditorSessionStore(nats, address);
}

export const editorSessionsProviders: Provider[] = [
  {
    provide: EditorSessionStore,
    inject: [AppConfig, NatsService],
    useFactory: createEditorSessionStore,
  },
  {
    provide: EditorSessions,
    inject: [EditorSessionStore, AppConfig],
    useFactory: (store: EditorSessionStore, config: AppConfig): EditorSessions =>
      new EditorSessions(store, { idleMs: config.audit.idleClose }),
  },
];
