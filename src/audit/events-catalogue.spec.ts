import { describe, expect, it } from 'vitest';
import { everyAuditEvent } from '../../test/support/audit';
import { eventsCatalogue } from '../../test/support/events-catalogue';
import { envelopeOf, type EventEnvelope } from './audit-event';
import { AUDIT_EVENT_TYPES } from './audit-event-types';

describe('docs/events.md', () => {
  it('should document exactly the event types the service emits', () => {
    const { schemas } = eventsCatalogue();
    expect([...schemas.keys()].sort()).toEqual(Object.values(AUDIT_EVENT_TYPES).sort());
  });

  it('should hold examples that match their own schemas', () => {
    const { blocks, schemas, errorsOf } = eventsCatalogue();
    const examples = blocks.filter((b) => b.info.startsWith('json example '));
    expect(examples.length).toBe(schemas.size);
    for (const example of examples) {
      const type = example.info.slice('json example '.length);
      const validate = schemas.get(type);
      expect(validate?.(example.body), `example ${type}`).toBe(true);
    }
    const message = blocks.find((b) => b.info === 'json example-envelope')?.body;
    expect(errorsOf(message)).toEqual([]);
  });

  it('should validate every event the service really emits against the documented schemas', async () => {
    const { errorsOf } = eventsCatalogue();
    const events = await everyAuditEvent();
    const seen = new Set<string>();
    for (const event of events) {
      const message = JSON.parse(JSON.stringify(envelopeOf(event))) as EventEnvelope;
      expect(errorsOf(message), event.type).toEqual([]);
      seen.add(event.type);
    }
    expect(seen.size).toBe(Object.keys(AUDIT_EVENT_TYPES).length);
  });

  it('should be able to fail: an undocumented field or type is refused', () => {
    const { schemas, errorsOf } = eventsCatalogue();
    expect(schemas.get('events.FileLocked')?.({ LockID: 'x', Surprise: true })).toBe(false);
    expect(errorsOf({ ID: 'x' })).not.toEqual([]);
  });
});
