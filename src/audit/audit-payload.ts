import { createHash } from 'node:crypto';
import type { ResourceId, UserId, UserType } from '../storage/storage.types';

/** CS3 `UserType` enum numbers (cs3.identity.user.v1beta1), as Go's JSON writes them. */
const USER_TYPE_NUMBERS: Record<UserType, number> = {
  primary: 1,
  secondary: 2,
  service: 3,
  application: 4,
  guest: 5,
  federated: 6,
  lightweight: 7,
  space_owner: 8,
};

/** A CS3 `UserId` as Go's JSON of the proto (snake_case, empty fields omitted). */
export function cs3UserId(id: UserId): Record<string, unknown> {
  return {
    idp: id.idp,
    opaque_id: id.opaqueId,
    ...(id.type !== undefined ? { type: USER_TYPE_NUMBERS[id.type] } : {}),
  };
}

export function cs3ResourceId(id: ResourceId): Record<string, unknown> {
  return { storage_id: id.storageId, opaque_id: id.opaqueId, space_id: id.spaceId };
}

/** A CS3 `Reference` by resource id (path "." as reva writes id-based references). */
export function cs3Reference(id: ResourceId): Record<string, unknown> {
  return { resource_id: cs3ResourceId(id), path: '.' };
}

/** A CS3 `types.Timestamp`. */
export function cs3Timestamp(at: Date): { seconds: number; nanos: number } {
  const ms = at.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

/** A W3C traceparent whose trace id is derived from the request id, so one request's events share it. */
export function traceparentFor(requestId: string | undefined, eventId: string): string {
  const trace = createHash('sha256')
    .update(requestId ?? eventId)
    .digest('hex')
    .slice(0, 32);
  const span = createHash('sha256').update(eventId).digest('hex').slice(0, 16);
  return `00-${trace}-${span}-01`;
}
