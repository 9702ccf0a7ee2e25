import { createHash } from 'node:crypto';
import type { ResourceId } from '../storage/storage.types';

/** `storage$space!opaque`, as reva's storagespace.FormatResourceID writes it. */
export function formatResourceId(id: ResourceId): string {
  const space = id.storageId === '' ? id.spaceId : `${id.storageId}$${id.spaceId}`;
  return id.opaqueId === '' ? space : `${space}!${id.opaqueId}`;
}

/** Inverse of formatResourceId; undefined when the text is not a resource id. */
export function parseResourceId(text: string): ResourceId | undefined {
  const match = /^(?:([^$!]*)\$)?([^$!]+)(?:!([^$!]*))?$/.exec(text);
  if (!match) {
    return undefined;
  }
  return { storageId: match[1] ?? '', spaceId: match[2] ?? '', opaqueId: match[3] ?? '' };
}

/** The WOPI file id: lowercase hex SHA-256 of the formatted resource id, as oCIS computes it. */
export function wopiFileId(id: ResourceId): string {
  return createHash('sha256').update(formatResourceId(id)).digest('hex');
}
