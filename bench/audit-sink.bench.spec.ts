import { randomUUID } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';
import { it } from 'vitest';
import type { AuditMetrics } from '../src/audit/audit.metrics';
import { NatsAuditSink } from '../src/audit/nats-audit-sink.adapter';
import { AppConfig } from '../src/config/app-config';
import { HealthRegistry } from '../src/health/health-registry';
import { NatsService } from '../src/nats/nats.service';
import { everyAuditEvent } from '../test/support/audit';
import { startNatsServer } from '../test/support/nats-server';

const COUNT = Number(process.env['BENCH_EVENTS'] ?? '20000');

function metrics(): AuditMetrics {
  const counter = (name: string) => new Counter({ name, help: name, registers: [] });
  return {
    published: counter('published'),
    retried: counter('retried'),
    dropped: counter('dropped'),
    buffered: new Gauge({ name: 'buffered', help: 'buffered', registers: [] }),
  };
}

it(`publishes ${String(COUNT)} audit events to JetStream main-queue`, async () => {
  const nats = await startNatsServer();
  const config = new AppConfig();
  config.nats.url = nats.url;
  const service = new NatsService(config, new HealthRegistry());
  service.onModuleInit();
  try {
    await service.connected();
    const template = (await everyAuditEvent()).find((e) => e.type === 'events.FileUploaded');
    if (!template) {
      throw new Error('no events.FileUploaded to copy');
    }
    const sink = new NatsAuditSink(service, metrics(), { capacity: COUNT });
    sink.emit({ ...template, id: randomUUID() });
    await sink.flush(10_000);
    const events = Array.from({ length: COUNT }, () => ({ ...template, id: randomUUID() }));
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const event of events) {
      sink.emit(event);
    }
    const emitMs = performance.now() - started;
    const emitCpu = process.cpuUsage(cpu);
    const delivered = await sink.flush(120_000);
    const totalMs = performance.now() - started;
    const totalCpu = process.cpuUsage(cpu);
    const cpuUs = (u: NodeJS.CpuUsage) => u.user + u.system;
    console.log(
      JSON.stringify({
        events: COUNT,
        delivered,
        emitUsPerEvent: +((emitMs * 1000) / COUNT).toFixed(2),
        emitCpuUsPerEvent: +(cpuUs(emitCpu) / COUNT).toFixed(2),
        publishedPerSecond: Math.round(COUNT / (totalMs / 1000)),
        cpuUsPerEvent: +(cpuUs(totalCpu) / COUNT).toFixed(1),
      }),
    );
    sink.stop();
  } finally {
    await service.onApplicationShutdown();
    await nats.dispose();
  }
});
