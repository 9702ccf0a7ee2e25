import { Kvm, type KV } from '@nats-io/kv';
import { UnavailableError } from '../../common/errors/app-error';
import type { NatsService } from '../../nats/nats.service';
import type { UserId } from '../../storage/storage.types';
import { UserInfoStore, userInfoKey } from './user-info-store.port';

export const USER_INFO_BUCKET = 'collaboration-userinfo';

/** How long a request waits for NATS before answering 503. */
const CONNECT_TIMEOUT_MS = 2000;

/** A JetStream KV bucket (`collaboration-userinfo`), shared by every replica. */
export class NatsUserInfoStore extends UserInfoStore {
  readonly kind = 'nats';
  private bucket?: Promise<KV>;

  constructor(
    private readonly nats: NatsService,
    private readonly bucketName = USER_INFO_BUCKET,
  ) {
    super();
  }

  async get(user: UserId): Promise<string | undefined> {
    if (this.bucket === undefined && this.nats.current() === undefined) {
      // Reads happen on CheckFileInfo: never make an editor wait for a NATS that is down.
      throw new UnavailableError('NATS is not connected');
    }
    const entry = await (await this.kv()).get(userInfoKey(user));
    return entry?.operation === 'PUT' ? entry.string() : undefined;
  }

  async put(user: UserId, info: string): Promise<void> {
    await (await this.kv()).put(userInfoKey(user), info);
  }

  private async kv(): Promise<KV> {
    this.bucket ??= this.open();
    try {
      return await this.bucket;
    } catch (error) {
      this.bucket = undefined;
      throw new UnavailableError(
        `user info store unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async open(): Promise<KV> {
    const connection = await this.nats.connected(undefined, CONNECT_TIMEOUT_MS);
    return new Kvm(connection).create(this.bucketName, { history: 1 });
  }
}
