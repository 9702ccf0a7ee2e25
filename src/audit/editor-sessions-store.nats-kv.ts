import { JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsService } from '../nats/nats.service';
import type { HealthReport } from '../storage/storage.types';
import { EditorSessionStore, type StoredEditorSession } from './editor-sessions-store.port';
import type { EditorSession } from './editor-sessions.types';

/** The KV bucket replicas share open editor sessions in. */
export const EDITOR_SESSIONS_BUCKET = 'collaboration-editor-sessions';
const STREAM = `KV_${EDITOR_SESSIONS_BUCKET}`;
const SUBJECT_PREFIX = `$KV.${EDITOR_SESSIONS_BUCKET}.`;
/** JetStream's "wrong last sequence": a compare-and-set lost its race. */
const WRONG_LAST_SEQUENCE = 10071;

/**
 * Open editor sessions in the NATS KV bucket `collaboration-editor-sessions` (file storage, so a
 * NATS restart keeps them; created when missing, used as is otherwise), one key per session id
 * (base64url). Writes are compare-and-set on the entry's revision.
 */
export class NatsKvEditorSessionStore extends EditorSessionStore {
  readonly shared = true;
  private bucket?: Promise<KV>;

  constructor(
    private readonly nats: NatsService,
    private readonly address?: string,
  ) {
    super();
  }

  async get(sessionId: string): Promise<StoredEditorSession | undefined> {
    const entry = await this.withKv((kv) => kv.get(keyOf(sessionId)));
    return entry?.operation === 'PUT'
      ? { session: decode(entry.value), revision: entry.revision }
      : undefined;
  }

  create(session: EditorSession): Promise<number | undefined> {
    return this.casWrite((kv) => kv.create(keyOf(session.sessionId), encode(session)));
  }

  update(session: EditorSession, revision: number): Promise<number | undefined> {
    return this.casWrite((kv) => kv.update(keyOf(session.sessionId), encode(session), revision));
  }

  async remove(sessionId: string, revision: number): Promise<boolean> {
    const done = await this.casWrite(async (kv) => {
      await kv.delete(keyOf(sessionId), { previousSeq: revision });
      return 1;
    });
    return done !== undefined;
  }

  /**
   * Reads the keys from the stream's subject counts (one API call) rather than `kv.keys()`, whose
   * ordered consumer can stall when another replica deletes a key while it iterates.
   */
  list(): Promise<StoredEditorSession[]> {
    return this.withKv(async (kv) => {
      const connection = await this.nats.connected(this.address, 2000);
      const jsm = await jetstreamManager(connection);
      const info = await jsm.streams.info(STREAM, { subjects_filter: `${SUBJECT_PREFIX}>` });
      const sessions: StoredEditorSession[] = [];
      for (const subject of Object.keys(info.state.subjects ?? {})) {
        const entry = await kv.get(subject.slice(SUBJECT_PREFIX.length));
        if (entry?.operation === 'PUT') {
          sessions.push({ session: decode(entry.value), revision: entry.revision });
        }
      }
      return sessions;
    });
  }

  health(): Promise<HealthReport> {
    const connected = this.nats.current(this.address) !== undefined;
    return Promise.resolve({
      status: connected ? 'up' : 'degraded',
      bucket: EDITOR_SESSIONS_BUCKET,
      connected,
    });
  }

  private async casWrite(write: (kv: KV) => Promise<number>): Promise<number | undefined> {
    try {
      return await this.withKv(write);
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) {
        return undefined;
      }
      throw error;
    }
  }

  private async withKv<T>(action: (kv: KV) => Promise<T>): Promise<T> {
    const kv = await this.open();
    try {
      return await action(kv);
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE)) {
        this.bucket = undefined;
      }
      throw error;
    }
  }

  private open(): Promise<KV> {
    this.bucket ??= (async () => {
      const connection = await this.nats.connected(this.address, 2000);
      const kvm = new Kvm(connection);
      try {
        const existing = await kvm.open(EDITOR_SESSIONS_BUCKET);
        await existing.status();
        return existing;
      } catch {
        return kvm.create(EDITOR_SESSIONS_BUCKET, { history: 1, storage: 'file' });
      }
    })();
    const opening = this.bucket;
    opening.catch(() => {
      if (this.bucket === opening) {
        this.bucket = undefined;
      }
    });
    return opening;
  }
}

function keyOf(sessionId: string): string {
  return Buffer.from(sessionId, 'utf8').toString('base64url');
}

function encode(session: EditorSession): Uint8Array {
  return Buffer.from(JSON.stringify(session), 'utf8');
}

function decode(value: Uint8Array): EditorSession {
  return JSON.parse(Buffer.from(value).toString('utf8')) as EditorSession;
}
