import type { BuildContext } from '../request-types';
import { chunksOf } from './chunking';
import { buildFrames, dataContractJson, type Blob } from './frames';

/** GetChunkedFile: a MessageJSON frame with the properties to return and one filter per stream. */
export function getChunkedFileBody({ params, resources }: BuildContext): Buffer {
  const chunked = params.chunked;
  if (!chunked || chunked.contentFilters.length === 0) {
    throw new Error(
      "GetChunkedFileRequest.GetRequestContent 'ContentFilters' parameter can't be null or empty",
    );
  }
  const message = {
    ContentPropertiesToReturn: chunked.contentPropertiesToReturn,
    ContentFilters: chunked.contentFilters.map((filter) => ({
      ChunkingScheme: filter.chunkingScheme,
      StreamId: filter.streamId,
      ChunksToReturn: filter.chunksToReturn,
      AlreadyKnownChunks: [
        ...chunksOf(
          filter.chunkingScheme,
          filter.alreadyExistingContent,
          resources,
          filter.alreadyExistingContentResourceId,
        ).blobs.keys(),
      ],
    })),
  };
  return buildFrames(dataContractJson(message));
}

/** PutChunkedFile headers: sequence number (saved state or literal), lock, coauth lock id, editors. */
export function putChunkedFileHeaders({ params, state }: BuildContext): [string, string][] {
  const fromState = params.sequenceNumberStateKey?.trim()
    ? state.get(params.sequenceNumberStateKey)
    : undefined;
  const int = (text: string | null | undefined): number | undefined =>
    text !== null &&
    text !== undefined &&
    /^\s*[+-]?\d+\s*$/.test(text) &&
    Math.abs(Number(text)) <= 2147483647
      ? Number(text)
      : undefined;
  const sequence = int(fromState) ?? int(params.sequenceNumber);
  if (sequence === undefined) {
    throw new Error(
      "PutChunkedFileRequest.GetCustomHeaders 'SequenceNumber' parameter encountered problem while parsing",
    );
  }
  const orEmpty = (value: string | undefined): string => (value?.trim() ? value : '');
  return [
    ['X-WOPI-SequenceNumber', String(sequence)],
    ['X-WOPI-Lock', orEmpty(params.lock)],
    ['X-WOPI-CoauthLockId', orEmpty(params.coauthLockId)],
    ['X-WOPI-Editors', orEmpty(params.editors)],
  ];
}

/**
 * PutChunkedFile body: the message (content properties, a signature per stream listing the new
 * content's chunks, the upload session token), then a Chunk frame for every new chunk the host
 * does not have yet (not in the last known host content), each once.
 */
export function putChunkedFileBody({ params, resources }: BuildContext): Buffer {
  const chunked = params.chunked;
  if (!chunked || chunked.contentStreams.length === 0) {
    throw new Error("PutChunkedFileRequest.GetRequestContent 'ContentStreams' is null or empty");
  }
  const delta = new Map<string, Blob>();
  const signatures = chunked.contentStreams.map((stream) => {
    const next = chunksOf(
      stream.chunkingScheme,
      stream.newContent,
      resources,
      stream.newContentResourceId,
    );
    const known = chunksOf(
      stream.chunkingScheme,
      stream.lastKnownHostContent,
      resources,
      stream.lastKnownHostContentResourceId,
    );
    const chunkSignatures = next.ids.map((id) => {
      const blob = next.blobs.get(id);
      if (blob === undefined) {
        throw new Error(`chunk ${id} has no blob`);
      }
      if (!known.blobs.has(id) && !delta.has(id)) {
        delta.set(id, blob);
      }
      return { ChunkId: id, Length: blob.bytes.length };
    });
    return {
      StreamId: stream.streamId,
      ChunkingScheme: stream.chunkingScheme,
      ChunkSignatures: chunkSignatures,
    };
  });
  const message = {
    ContentProperties: chunked.contentProperties.map((property) => ({
      Retention: property.retention,
      Name: property.name,
      Value: property.value,
    })),
    Signatures: signatures,
    UploadSessionTokenToCommit: chunked.uploadSessionTokenToCommit ?? null,
  };
  return buildFrames(dataContractJson(message), [...delta.values()]);
}
