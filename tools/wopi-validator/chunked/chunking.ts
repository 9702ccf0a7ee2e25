import type { ChunkingScheme } from '../model';
import type { ResourceStore } from '../resources';
import { blobOf, type Blob } from './frames';

/** A stream cut into blobs: the ordered ids, and each distinct blob once. */
export interface Chunked {
  ids: string[];
  blobs: Map<string, Blob>;
}

/** FullFileChunkProcessor: the whole UTF-8 text is one blob (none when empty). */
export function fullFileChunks(text: string): Chunked {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) {
    return { ids: [], blobs: new Map() };
  }
  const blob = blobOf(bytes);
  return { ids: [blob.id], blobs: new Map([[blob.id, blob]]) };
}

/** ZipChunkProcessor: the resource's FileStream cut at the offsets of its ChunkIds.txt. */
export function zipChunks(resources: ResourceStore, resourceId: string | undefined): Chunked {
  const { stream, offsets } = resources.zipChunks(resourceId);
  const ids: string[] = [];
  const blobs = new Map<string, Blob>();
  offsets.forEach((start, index) => {
    const end = offsets[index + 1] ?? stream.length;
    if (start > stream.length || end > stream.length || end < start) {
      throw new Error(
        `${String(resourceId)}: chunk offsets ${String(start)}-${String(end)} do not fit the stream`,
      );
    }
    const blob = blobOf(stream.subarray(start, end));
    ids.push(blob.id);
    if (!blobs.has(blob.id)) {
      blobs.set(blob.id, blob);
    }
  });
  return { ids, blobs };
}

export function chunksOf(
  scheme: ChunkingScheme,
  text: string,
  resources: ResourceStore,
  resourceId: string | undefined,
): Chunked {
  return scheme === 'FullFile' ? fullFileChunks(text) : zipChunks(resources, resourceId);
}
