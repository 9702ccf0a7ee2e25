import { createHash } from 'node:crypto';
import type { ResourceId } from '../storage/storage.types';

/** `storage$space!opaque`, as reva's storagespace.FormatResourceID writes it. */
export function formatResourceId(id: ResourceId): string {
  const space = id.storageId === '' ? id.spaceId : `${id.storageId}$${id.spaceId}`;
  return id.opaqueId === '' ? space : `${space}!${id.opaqueId}`;
}

/**
 * Inverse of formatResourceId, split as reva's storagespace.SplitID does: the storage id ends at the
 * first "$", the space id at the next "!", the rest is the opaque id (which may contain both).
 * Undefined when there is no space id.
 */
export function parseResourceId(text: string): ResourceId | undefined {
  const dollar = text.indexOf('$');
  const storageId = dollar < 0 ? '' : text.slice(0, dollar);
  const rest = dollar < 0 ? text : text.slice(dollar + 1);
  const bang = rest.indexOf('!');
  const spaceId = bang < 0 ? rest : rest.slice(0, bang);
  const opaqueId = bang < 0 ? '' : rest.slice(bang + 1);
  if (spaceId === '') {
    return undefined;
  }
  return { storageId, spaceId, opaqueId };
}

/** The WOPI file id: lowercase hex SHA-256 of the formatted resource id, as oCIS computes it. */
export function wopiFileId(id: ResourceId): string {
  return createHash('sha256').update(formatResourceId(id)).digest('hex');
}
