import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { everyAuditEvent } from '../../test/support/audit';
import { envelopeOf, payloadOf, type EventEnvelope } from './audit-event';
import { AUDIT_EVENT_TYPES } from './audit-event-types';

const DOC = join(__dirname, '../../docs/events.md');

interface Block {
  info: string;
  body: unknown;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const fence = /^```(json[^\n]*)\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    found.push({ info: (match[1] ?? '').trim(), body: JSON.parse(match[2] ?? '') as unknown });
  }
  return found;
}

/** The documented schemas: an Ajv with the common definitions and one validator per event type. */
function catalogue() {
  const all = blocks(readFileSync(DOC, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  for (const block of all.filter((b) => b.info === 'json schema-common')) {
    ajv.addSchema(block.body as object);
  }
  const schemas = new Map<string, ValidateFunction>();
  for (const block of all.filter((b) => b.info === 'json schema')) {
    const schema = block.body as { $id: string };
    schemas.set(schema.$id, ajv.compile(schema));
  }
  const envelope = ajv.getSchema('common#/definitions/Envelope');
  if (!envelope) {
    throw new Error('docs/events.md has no envelope schema');
  }
  return { all, schemas, envelope };
}

function check(validate: ValidateFunction | undefined, value: unknown, what: string): void {
  expect(validate, `${what}: no documented schema`).toBeDefined();
  const ok = validate?.(value);
  expect(validate?.errors ?? [], what).toEqual([]);
  expect(ok).toBe(true);
}

describe('docs/events.md', () => {
  it('should document exactly the event types the service emits', () => {
    const { schemas } = catalogue();
    expect([...schemas.keys()].sort()).toEqual(Object.values(AUDIT_EVENT_TYPES).sort());
  });

  it('should hold examples that match their own schemas', () => {
    const { all, schemas, envelope } = catalogue();
    const examples = all.filter((b) => b.info.startsWith('json example '));
    expect(examples.length).toBe(schemas.size);
    for (const example of examples) {
      const type = example.info.slice('json example '.length);
      check(schemas.get(type), example.body, `example ${type}`);
    }
    const message = all.find((b) => b.info === 'json example-envelope')?.body as EventEnvelope;
    check(envelope, message, 'example envelope');
    check(schemas.get(message.Metadata.eventtype), payloadOf(message), 'example envelope payload');
  });

  it('should validate every event the service really emits against the documented schemas', async () => {
    const { schemas, envelope } = catalogue();
    const events = await everyAuditEvent();
    const seen = new Set<string>();
    for (const event of events) {
      const message = JSON.parse(JSON.stringify(envelopeOf(event))) as EventEnvelope;
      check(envelope, message, `envelope of ${event.type}`);
      check(schemas.get(message.Metadata.eventtype), payloadOf(message), event.type);
      seen.add(event.type);
    }
    expect(seen.size).toBe(Object.keys(AUDIT_EVENT_TYPES).length);
  });

  it('should be able to fail: an undocumented field is refused', () => {
    const { schemas } = catalogue();
    const validate = schemas.get('events.FileLocked');
    expect(validate?.({ LockID: 'x', Surprise: true })).toBe(false);
  });
});
