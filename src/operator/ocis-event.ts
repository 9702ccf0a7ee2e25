import type { ResourceId } from '../storage/storage.types';

/** The oCIS events that concern a file open here, and what they mean for it. */
export const FILE_EVENTS = {
  'events.ItemTrashed': 'trashed',
  'events.ItemPurged': 'trashed',
  'events.FileUploaded': 'overwritten',
  'events.UploadReady': 'overwritten',
  'events.FileTouched': 'overwritten',
  'events.ItemRestored': 'overwritten',
  'events.FileVersionRestored': 'overwritten',
} as const;
export type FileEventType = keyof typeof FILE_EVENTS;
export type FileChange = (typeof FILE_EVENTS)[FileEventType];

export interface FileEvent {
  type: FileEventType;
  change: FileChange;
  /** Every resource the payload names (Ref, ID, FileRef, ResourceID...). */
  resourceIds: ResourceId[];
  /** The user who acted, when the event says. */
  executant?: string;
  /** Set when the upload failed (UploadReady.Failed): nothing changed. */
  failed: boolean;
  /**
   * Published by this service's audit (its payloads carry the editor session, `SessionID`): the
   * change was made through us, not elsewhere.
   */
  own: boolean;
}

interface Envelope {
  Metadata?: { eventtype?: string };
  Payload?: string;
}

interface WireResourceId {
  storage_id?: string;
  space_id?: string;
  opaque_id?: string;
}

/**
 * Decodes reva's event envelope (go-micro events.Event as Go's JSON: PascalCase, the payload as
 * base64 JSON) into a file event, or undefined when the event is of another type or unreadable.
 */
export function decodeOcisEvent(message: unknown): FileEvent | undefined {
  const envelope = parse(message) as Envelope | undefined;
  const type = envelope?.Metadata?.eventtype;
  if (type === undefined || !(type in FILE_EVENTS) || typeof envelope?.Payload !== 'string') {
    return undefined;
  }
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(envelope.Payload, 'base64').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
  const eventType = type as FileEventType;
  const executant = (payload['Executant'] ?? payload['ExecutingUser']) as
    { opaque_id?: string; id?: { opaque_id?: string } } | undefined;
  const executantId = executant?.opaque_id ?? executant?.id?.opaque_id;
  return {
    type: eventType,
    change: FILE_EVENTS[eventType],
    resourceIds: resourceIdsOf(payload),
    ...(executantId ? { executant: executantId } : {}),
    failed: payload['Failed'] === true,
    own: typeof payload['SessionID'] === 'string',
  };
}

function parse(message: unknown): unknown {
  if (typeof message === 'string') {
    try {
      return JSON.parse(message);
    } catch {
      return undefined;
    }
  }
  if (message instanceof Uint8Array) {
    return parse(Buffer.from(message).toString('utf8'));
  }
  return message;
}

/** The resource a reference points at itself (not a parent plus a relative path). */
function ownId(ref: unknown): unknown {
  const reference = ref as { resource_id?: unknown; path?: string } | undefined;
  const path = reference?.path;
  return path === undefined || path === '' || path === '.' ? reference?.resource_id : undefined;
}

/** Resource ids at the places reva's file events keep them. */
function resourceIdsOf(payload: Record<string, unknown>): ResourceId[] {
  const candidates: unknown[] = [
    ownId(payload['Ref']),
    ownId(payload['FileRef']),
    payload['ID'],
    payload['ResourceID'],
  ];
  const ids: ResourceId[] = [];
  for (const candidate of candidates) {
    const id = candidate as WireResourceId | undefined;
    if (id?.opaque_id && id.space_id !== undefined) {
      ids.push({
        storageId: id.storage_id ?? '',
        spaceId: id.space_id,
        opaqueId: id.opaque_id,
      });
    }
  }
  return ids;
}
