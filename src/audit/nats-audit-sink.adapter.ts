import {
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type JetStreamClient,
} from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import type { NatsService } from '../nats/nats.service';
import type { HealthReport } from '../storage/storage.types';
import { envelopeOf, MAIN_QUEUE, type AuditEvent } from './audit-event';
import { AuditSink } from './audit-sink.port';
import type { AuditMetrics } from './audit.metrics';

export interface NatsAuditSinkOptions {
  /** NATS address (OCIS_EVENTS_ENDPOINT), default COLLABORATION_NATS_URL. */
  address?: string;
  /** Events kept while NATS is unreachable (COLLABORATION_AUDIT_BUFFER); the oldest go first. */
  capacity: number;
  /** Events published concurrently before their acks are awaited. */
  batch?: number;
  /** First back-off after a failed publish; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Publish ack timeout. */
  ackTimeoutMs?: number;
  /** How long shutdown waits for the buffer to drain (the HTTP drain, COLLABORATION_SHUTDOWN_TIMEOUT). */
  shutdownFlushMs?: number;
}

const DROP_WARN_EVERY_MS = 10_000;

/**
 * Audit events on JetStream subject `main-queue` (stream `main-queue`, created when missing and
 * used as is otherwise), each message the go-micro envelope oCIS's services read, with
 * `Nats-Msg-Id` = event id so a retried publish is never stored twice. `emit` only queues:
 * one background pump publishes in order, in batches, and backs off while NATS is down. Beyond
 * the buffer bound the oldest events are dropped, counted and warned about.
 */
export class NatsAuditSink extends AuditSink {
  readonly kind = 'nats';
  private readonly logger = new Logger(NatsAuditSink.name);
  private readonly queue: AuditEvent[] = [];
  private inFlight = 0;
  private pumping = false;
  private client?: Promise<JetStreamClient>;
  private lastError?: string;
  private droppedSinceWarn = 0;
  private lastDropWarn = 0;
  private stopped = false;

  constructor(
    private readonly nats: NatsService,
    private readonly metrics: AuditMetrics,
    private readonly options: NatsAuditSinkOptions,
  ) {
    super();
  }

  /** Events not yet acknowledged by JetStream. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  emit(event: AuditEvent): void {
    this.queue.push(event);
    this.trim();
    this.metrics.buffered.set(this.pending);
    this.kick();
  }

  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) {
      this.kick();
      await delay(Math.min(25, Math.max(1, deadline - Date.now())));
    }
    return this.pending === 0;
  }

  /** Stops publishing; returns how many events were left undelivered. */
  stop(): number {
    this.stopped = true;
    return this.pending;
  }

  /** Delivers what is buffered, within the shutdown drain, before the NATS connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush(this.options.shutdownFlushMs ?? 5000);
    const left = this.stop();
    if (left > 0) {
      this.metrics.dropped.inc(left);
      this.logger.warn({ dropped: left }, 'audit events left undelivered at shutdown');
    }
  }

  health(): Promise<HealthReport> {
    const connected = this.nats.current(this.options.address) !== undefined;
    return Promise.resolve({
      status: connected && this.lastError === undefined ? 'up' : 'degraded',
      sink: 'nats',
      subject: MAIN_QUEUE,
      pending: this.pending,
      ...(this.lastError !== undefined ? { error: this.lastError } : {}),
    });
  }

  private kick(): void {
    if (this.pumping || this.stopped || this.queue.length === 0) {
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      this.kick();
    });
  }

  private async pump(): Promise<void> {
    const first = this.options.retryMs ?? 250;
    let wait = first;
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.queue.splice(0, this.options.batch ?? 64);
      this.inFlight = batch.length;
      const delivered = await this.publish(batch);
      this.inFlight = 0;
      this.metrics.published.inc(delivered);
      if (delivered < batch.length) {
        const rest = batch.slice(delivered);
        this.queue.unshift(...rest);
        this.metrics.retried.inc(rest.length);
        this.trim();
        this.metrics.buffered.set(this.pending);
        await delay(wait);
        wait = Math.min(wait * 2, this.options.maxRetryMs ?? 10_000);
        continue;
      }
      wait = first;
      this.metrics.buffered.set(this.pending);
    }
  }

  /** Publishes a batch concurrently (one connection keeps their order); returns the acked prefix. */
  private async publish(batch: AuditEvent[]): Promise<number> {
    let js: JetStreamClient;
    try {
      js = await this.jetstream();
    } catch (error) {
      this.failed(error);
      return 0;
    }
    const results = await Promise.allSettled(
      batch.map((event) =>
        js.publish(MAIN_QUEUE, JSON.stringify(envelopeOf(event)), {
          msgID: event.id,
          timeout: this.options.ackTimeoutMs ?? 5000,
        }),
      ),
    );
    const failed = results.findIndex((result) => result.status === 'rejected');
    if (failed < 0) {
      this.recovered();
      return batch.length;
    }
    this.client = undefined;
    this.failed((results[failed] as PromiseRejectedResult).reason);
    return failed;
  }

  private jetstream(): Promise<JetStreamClient> {
    this.client ??= (async () => {
      const connection = await this.nats.connected(this.options.address, 2000);
      const jsm = await jetstreamManager(connection);
      try {
        await jsm.streams.info(MAIN_QUEUE);
      } catch (error) {
        if (!(
          error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound
        )) {
          throw error;
        }
        await jsm.streams.add({ name: MAIN_QUEUE, subjects: [MAIN_QUEUE] }).catch(async () => {
          await jsm.streams.info(MAIN_QUEUE);
        });
      }
      return jetstream(connection);
    })();
    const pending = this.client;
    pending.catch(() => {
      if (this.client === pending) {
        this.client = undefined;
      }
    });
    return pending;
  }

  /** Drops the oldest events beyond the buffer bound. */
  private trim(): void {
    const excess = this.pending - this.options.capacity;
    if (excess <= 0) {
      return;
    }
    const dropped = this.queue.splice(0, Math.min(excess, this.queue.length));
    this.metrics.dropped.inc(dropped.length);
    this.droppedSinceWarn += dropped.length;
    const now = Date.now();
    if (now - this.lastDropWarn >= DROP_WARN_EVERY_MS) {
      this.logger.warn(
        {
          dropped: this.droppedSinceWarn,
          oldest: dropped[0]?.id,
          capacity: this.options.capacity,
          error: this.lastError,
        },
        'audit buffer full; dropping the oldest events',
      );
      this.lastDropWarn = now;
      this.droppedSinceWarn = 0;
    }
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.lastError === undefined) {
      this.logger.warn(
        { error: message, pending: this.pending },
        'audit events cannot be published; retrying with back-off',
      );
    }
    this.lastError = message;
  }

  private recovered(): void {
    if (this.lastError !== undefined) {
      this.logger.log({ pending: this.pending }, 'audit events publishing again');
      this.lastError = undefined;
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
