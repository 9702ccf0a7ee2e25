import { JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { UnavailableError } from '../../common/errors/app-error';
import type { NatsService } from '../../nats/nats.service';
import type { CoopsSession } from '../coops.types';
import { decodeValue, encodeValue } from '../log/log-codec';
import { SESSION_RETENTION_MS, SessionStore, type VersionedSession } from './session-store.port';

export const SESSION_BUCKET = 'coops-sessions';

/** Sessions in the NATS KV bucket `coops-sessions`, key `<fileId>.<sessionId>`. */
export class KvSessionStore extends SessionStore {
  private bucket?: Promise<KV>;

  constructor(private readonly nats: NatsService) {
    super();
  }

  async get(fileId: string, sessionId: string): Promise<VersionedSession | undefined> {
    if (!/^[\w-]{1,128}$/.test(sessionId)) {
      return undefined;
    }
    const entry = await (await this.kv()).get(`${fileId}.${sessionId}`);
    return entry?.operation === 'PUT'
      ? { session: decodeValue(entry.value) as CoopsSession, revision: entry.revision }
      : undefined;
  }

  async create(session: CoopsSession): Promise<void> {
    await (await this.kv()).create(keyOf(session), encodeValue(session));
  }

  async update(session: CoopsSession, revision: number): Promise<boolean> {
    try {
      await (await this.kv()).update(keyOf(session), encodeValue(session), revision);
      return true;
    } catch (error) {
      if (error instanceof JetStreamApiError) {
        return false;
      }
      throw error;
    }
  }

  async put(session: CoopsSession): Promise<void> {
    await (await this.kv()).put(keyOf(session), encodeValue(session));
  }

  private kv(): Promise<KV> {
    this.bucket ??= (async () => {
      const connection = await this.nats.connected(undefined, 3000);
      return new Kvm(connection).create(SESSION_BUCKET, { history: 1, ttl: SESSION_RETENTION_MS });
    })().catch((error: unknown) => {
      this.bucket = undefined;
      throw new UnavailableError(`session store unavailable: ${String(error)}`, { cause: error });
    });
    return this.bucket;
  }
}

function keyOf(session: CoopsSession): string {
  return `${session.fileId}.${session.sessionId}`;
}
