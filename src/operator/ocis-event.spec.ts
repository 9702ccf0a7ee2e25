import { describe, expect, it } from 'vitest';
import { decodeOcisEvent } from './ocis-event';

const envelope = (type: string, payload: unknown): string =>
  JSON.stringify({
    Timestamp: '2026-11-21T13:00:00Z',
    Metadata: { eventtype: type, eventid: 'e', traceparent: '', initiatorid: '' },
    ID: 'e',
    Topic: 'main-queue',
    Payload: Buffer.from(JSON.stringify(payload)).toString('base64'),
  });

const id = { storage_id: 's', space_id: 'sp', opaque_id: 'o' };

describe('decodeOcisEvent', () => {
  it('should read the file of a trash event from its ID and its reference', () => {
    expect(
      decodeOcisEvent(
        envelope('events.ItemTrashed', {
          Executant: { idp: 'https://ocis', opaque_id: 'u1', type: 1 },
          ID: id,
          Ref: { resource_id: { ...id, opaque_id: 'parent' }, path: './report.docx' },
        }),
      ),
    ).toEqual({
      type: 'events.ItemTrashed',
      change: 'trashed',
      resourceIds: [{ storageId: 's', spaceId: 'sp', opaqueId: 'o' }],
      executant: 'u1',
      failed: false,
      own: false,
    });
  });

  it('should read UploadReady (FileRef, ExecutingUser, Failed)', () => {
    const event = decodeOcisEvent(
      envelope('events.UploadReady', {
        FileRef: { resource_id: id, path: '.' },
        ExecutingUser: { id: { opaque_id: 'u2' } },
        Failed: true,
      }),
    );
    expect(event).toMatchObject({ change: 'overwritten', executant: 'u2', failed: true });
    expect(event?.resourceIds).toHaveLength(1);
  });

  it("should tell our own audit events (they carry the editor session) from reva's", () => {
    const ours = decodeOcisEvent(
      envelope('events.FileUploaded', { Ref: { resource_id: id, path: '.' }, SessionID: 's1' }),
    );
    expect(ours?.own).toBe(true);
  });

  it('should ignore other event types and unreadable messages', () => {
    expect(decodeOcisEvent(envelope('events.FileLocked', { Ref: { resource_id: id } }))).toBe(
      undefined,
    );
    expect(decodeOcisEvent('not json')).toBeUndefined();
    expect(decodeOcisEvent({ Metadata: { eventtype: 'events.ItemTrashed' }, Payload: '%%%' })).toBe(
      undefined,
    );
  });
});
