import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/eventually';
import { startNatsServer, type NatsServerHandle } from '../../test/support/nats-server';
import { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { NatsService } from '../nats/nats.service';
import { MAIN_QUEUE, payloadOf, type AuditEvent, type EventEnvelope } from './audit-event';
import type { AuditMetrics } from './audit.metrics';
import { NatsAuditSink, type NatsAuditSinkOptions } from './nats-audit-sink.adapter';

function metrics(): AuditMetrics {
  const counter = (name: string) => new Counter({ name, help: name, registers: [] });
  return {
    published: counter('published'),
    retried: counter('retried'),
    dropped: counter('dropped'),
    buffered: new Gauge({ name: 'buffered', help: 'buffered', registers: [] }),
  };
}

async function count(counter: Counter): Promise<number> {
  return (await counter.get()).values[0]?.value ?? 0;
}

function event(n: number): AuditEvent {
  return {
    id: randomUUID(),
    type: 'events.FileDownloaded',
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    initiatorId: '',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    payload: { N: n },
  };
}

interface Received {
  envelope: EventEnvelope;
  msgId: string | undefined;
}

async function readAll(connection: NatsConnection): Promise<Received[]> {
  const jsm = await jetstreamManager(connection);
  const info = await jsm.streams.info(MAIN_QUEUE);
  const out: Received[] = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq += 1
  ) {
    const message = await jsm.streams.getMessage(MAIN_QUEUE, { seq });
    if (message) {
      out.push({
        envelope: message.json<EventEnvelope>(),
        msgId: message.header.get('Nats-Msg-Id'),
      });
    }
  }
  return out;
}

describe(NatsAuditSink.name, () => {
  let nats: NatsServerHandle;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });

  afterAll(async () => {
    await nats.dispose();
  });

  function sink(url: string, options: Partial<NatsAuditSinkOptions> = {}) {
    const config = new AppConfig();
    config.nats.url = url;
    const service = new NatsService(config, new HealthRegistry());
    service.onModuleInit();
    const m = metrics();
    const made = new NatsAuditSink(service, m, {
      capacity: 100,
      retryMs: 50,
      maxRetryMs: 200,
      ...options,
    });
    cleanups.push(async () => {
      made.stop();
      await service.onApplicationShutdown();
    });
    return { sink: made, metrics: m };
  }

  async function client(): Promise<NatsConnection> {
    const connection = await connect({ servers: nats.url });
    cleanups.push(() => connection.close());
    const jsm = await jetstreamManager(connection);
    await jsm.streams.purge(MAIN_QUEUE).catch(() => undefined);
    return connection;
  }

  it('should publish go-micro envelopes to main-queue in order, with Nats-Msg-Id = ID', async () => {
    const connection = await client();
    const { sink: audit, metrics: m } = sink(nats.url, { capacity: 1000 });
    const events = Array.from({ length: 150 }, (_, n) => event(n));
    for (const e of events) {
      audit.emit(e);
    }
    expect(await audit.flush(10_000)).toBe(true);
    const received = await readAll(connection);
    expect(received.map((r) => r.envelope.ID)).toEqual(events.map((e) => e.id));
    expect(received.every((r) => r.msgId === r.envelope.ID)).toBe(true);
    expect(received[3]?.envelope).toEqual({
      ID: events[3]?.id,
      Topic: 'main-queue',
      Payload: Buffer.from('{"N":3}').toString('base64'),
      Timestamp: '2026-01-01T00:00:03.000Z',
      Metadata: {
        eventtype: 'events.FileDownloaded',
        eventid: events[3]?.id,
        initiatorid: '',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    });
    const fourth = received[3];
    expect(fourth && payloadOf(fourth.envelope)).toEqual({ N: 3 });
    expect(await count(m.published)).toBe(150);
    expect(await count(m.dropped)).toBe(0);
  });

  it('should use an existing main-queue stream as it is', async () => {
    const connection = await client();
    const jsm = await jetstreamManager(connection);
    await jsm.streams.delete(MAIN_QUEUE).catch(() => undefined);
    await jsm.streams.add({ name: MAIN_QUEUE, subjects: [MAIN_QUEUE, 'other'], max_msgs: 1000 });
    const { sink: audit } = sink(nats.url);
    audit.emit(event(1));
    expect(await audit.flush(5000)).toBe(true);
    const info = await jsm.streams.info(MAIN_QUEUE);
    expect(info.config.subjects).toEqual([MAIN_QUEUE, 'other']);
    expect(info.config.max_msgs).toBe(1000);
    expect(info.state.messages).toBe(1);
  });

  it('should keep events while NATS is down and deliver each once after it returns', async () => {
    const { sink: audit, metrics: m } = sink(nats.url, { ackTimeoutMs: 500 });
    const before = event(0);
    audit.emit(before);
    expect(await audit.flush(5000)).toBe(true);
    await nats.stop();
    const during = [1, 2, 3, 4, 5].map((n) => event(n));
    for (const e of during) {
      audit.emit(e);
    }
    expect(
      await eventually(
        () => count(m.retried),
        (n) => n > 0,
      ),
    ).toBeGreaterThan(0);
    expect(audit.pending).toBe(5);
    await nats.start();
    expect(await audit.flush(20_000)).toBe(true);
    const connection = await connect({ servers: nats.url });
    cleanups.push(() => connection.close());
    const ids = (await readAll(connection)).map((r) => r.envelope.ID);
    const mine = [before, ...during].map((e) => e.id);
    expect(ids.filter((id) => mine.includes(id))).toEqual(mine);
    expect(await count(m.published)).toBe(6);
  });

  it('should drop the oldest events beyond the buffer bound, counting them', async () => {
    const { sink: audit, metrics: m } = sink('nats://127.0.0.1:1', { capacity: 3 });
    for (let n = 0; n < 5; n += 1) {
      audit.emit(event(n));
    }
    expect(audit.pending).toBe(3);
    expect(await count(m.dropped)).toBe(2);
    expect(await audit.flush(100)).toBe(false);
  });

  it('should deliver what is buffered at shutdown, and count what it cannot as dropped', async () => {
    const connection = await client();
    const { sink: up, metrics: upMetrics } = sink(nats.url, { shutdownFlushMs: 10_000 });
    const events = [event(1), event(2), event(3)];
    for (const e of events) {
      up.emit(e);
    }
    await up.beforeApplicationShutdown();
    const ids = (await readAll(connection)).map((r) => r.envelope.ID);
    expect(ids).toEqual(events.map((e) => e.id));
    expect(await count(upMetrics.dropped)).toBe(0);

    const { sink: down, metrics: downMetrics } = sink('nats://127.0.0.1:1', {
      shutdownFlushMs: 200,
    });
    down.emit(event(4));
    down.emit(event(5));
    await down.beforeApplicationShutdown();
    expect(await count(downMetrics.dropped)).toBe(2);
  });
});
