import { Kvm, type KV } from '@nats-io/kv';
import { Logger } from '@nestjs/common';
import { type NatsService } from '../nats/nats.service';
import type { HealthReport } from '../storage/storage.types';
import type { MicroService } from './micro-service';
import { ServiceRegistry } from './service-registry.port';

/** Bucket (go-micro "database") and key prefix (go-micro "table") oCIS uses for its registry. */
export const REGISTRY_BUCKET = 'service-registry';
const TABLE = 'service-registry';
const DELIMITER = '@';

/** The NATS key go-micro's nats-js-kv store uses: base32 (RFC 4648, padded) of `<table>_<key>`. */
export function natsKeyOf(microKey: string): string {
  return base32Encode(Buffer.from(`${TABLE}_${microKey}`, 'utf8'));
}

/** The go-micro key of a NATS key, or undefined when it is not one of the registry table's keys. */
export function microKeyOf(natsKey: string): string | undefined {
  const decoded = base32Decode(natsKey);
  const prefix = `${TABLE}_`;
  return decoded?.startsWith(prefix) ? decoded.slice(prefix.length) : undefined;
}

/** `<service name>@<process id>@<version>`: one key per node, as oCIS registers. */
export function microKeyFor(service: MicroService, processId: string): string {
  return [service.name, processId, service.version].join(DELIMITER);
}

/** The value go-micro stores: a JSON envelope whose `data` is the base64 of the service's JSON. */
export function encodeRecord(microKey: string, service: MicroService): Uint8Array {
  const data = Buffer.from(JSON.stringify(service), 'utf8').toString('base64');
  return Buffer.from(JSON.stringify({ key: microKey, data, metadata: null }), 'utf8');
}

export function decodeRecord(value: Uint8Array): MicroService {
  const envelope = JSON.parse(Buffer.from(value).toString('utf8')) as { data: string };
  return JSON.parse(Buffer.from(envelope.data, 'base64').toString('utf8')) as MicroService;
}

/**
 * oCIS's `nats-js-kv` service registry, wire-compatible with go-micro's nats-js-kv store: bucket
 * `service-registry` (memory storage, TTL = register TTL, created when missing and used as is when
 * someone else created it), base32 keys, JSON envelopes.
 */
export class NatsKvServiceRegistry extends ServiceRegistry {
  readonly enabled = true;
  private readonly logger = new Logger(NatsKvServiceRegistry.name);
  private bucket: KV | undefined;

  constructor(
    private readonly nats: NatsService,
    private readonly address: string | undefined,
    private readonly ttlMs: number,
    private readonly processId: string,
  ) {
    super();
  }

  async register(service: MicroService): Promise<void> {
    const key = microKeyFor(service, this.processId);
    await this.withBucket((kv) => kv.put(natsKeyOf(key), encodeRecord(key, service)));
  }

  async deregister(service: MicroService): Promise<void> {
    await this.withBucket((kv) => kv.delete(natsKeyOf(microKeyFor(service, this.processId))));
  }

  async lookup(name: string): Promise<MicroService[]> {
    return this.withBucket(async (kv) => {
      const versions = new Map<string, MicroService>();
      for await (const natsKey of await kv.keys()) {
        const microKey = microKeyOf(natsKey);
        if (!microKey?.startsWith(`${name}${DELIMITER}`)) {
          continue;
        }
        const entry = await kv.get(natsKey);
        if (entry?.operation !== 'PUT') {
          continue;
        }
        const service = decodeRecord(entry.value);
        const known = versions.get(service.version);
        if (known) {
          known.nodes = [...(known.nodes ?? []), ...(service.nodes ?? [])];
        } else {
          versions.set(service.version, service);
        }
      }
      return [...versions.values()];
    });
  }

  health(): Promise<HealthReport> {
    const connected = this.nats.current(this.address) !== undefined;
    return Promise.resolve({
      status: connected ? 'up' : 'degraded',
      bucket: REGISTRY_BUCKET,
      connected,
    });
  }

  /** Runs against the bucket, re-opening (or re-creating) it once when it vanished (a NATS restart drops memory buckets). */
  private async withBucket<T>(action: (kv: KV) => Promise<T>): Promise<T> {
    try {
      return await action(await this.open());
    } catch (error) {
      this.bucket = undefined;
      this.logger.debug(
        { error: (error as Error).message },
        'registry bucket unavailable; reopening',
      );
      return action(await this.open());
    }
  }

  private async open(): Promise<KV> {
    if (this.bucket) {
      return this.bucket;
    }
    const connection = await this.nats.connected(this.address, 2000);
    const kvm = new Kvm(connection);
    let bucket: KV;
    try {
      bucket = await kvm.open(REGISTRY_BUCKET);
      await bucket.status();
    } catch {
      bucket = await kvm.create(REGISTRY_BUCKET, {
        ttl: this.ttlMs,
        storage: 'memory',
        history: 1,
      });
    }
    this.bucket = bucket;
    return bucket;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 with padding (Go's base32.StdEncoding). */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31] ?? '';
      bits -= 5;
    }
  }
  if (bits > 0) {
    out += ALPHABET[(value << (5 - bits)) & 31] ?? '';
  }
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

export function base32Decode(text: string): string | undefined {
  const clean = text.replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) {
      return undefined;
    }
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
