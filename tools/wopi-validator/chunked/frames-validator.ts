import type { WopiResponse } from '../http-client';
import type { ContentStreamValidatorDef, ValidatorDef } from '../model';
import type { ValidationContext } from '../validators/validate';
import { fullFileChunks, zipChunks, type Chunked } from './chunking';
import { FrameType, parseFrames, type Frame } from './frames';
import { chunkId } from './spooky-hash';

type FramesDef = Extract<ValidatorDef, { kind: 'Frames' }>;

interface HostView {
  blobIdsPerStream: Map<string, string[]>;
  schemePerStream: Map<string, string>;
  blobs: Map<string, Buffer>;
  properties: Map<string, { Name?: unknown; Value?: unknown; Retention?: unknown }>;
}

/**
 * FramesValidator for GetChunkedFile responses: the frame list (MessageJSON first, chunk ids that
 * match their payloads, the message valid against its schema), the number of blobs sent, each
 * stream rebuilt from the sent blobs plus the ones the client already had, and content properties.
 */
export function validateFrames(
  def: FramesDef,
  response: WopiResponse,
  ctx: ValidationContext,
): string[] {
  if (def.messageJsonPayloadSchema !== 'GetChunkedFileResponseSchema') {
    return [`Unknown Schema: '${String(def.messageJsonPayloadSchema)}'`];
  }
  const host: HostView = {
    blobIdsPerStream: new Map(),
    schemePerStream: new Map(),
    blobs: new Map(),
    properties: new Map(),
  };
  try {
    const error = readResponse(def, response, ctx, host);
    if (error !== undefined) {
      return [error];
    }
    for (const stream of def.streams) {
      const streamError = checkStream(stream, host, ctx);
      if (streamError !== undefined) {
        return [streamError];
      }
    }
    for (const property of def.properties) {
      const found = host.properties.get(property.name ?? '');
      if (!property.shouldBeReturned) {
        if (found) {
          return [`ContentProperty:${String(property.name)} should not be returned`];
        }
        continue;
      }
      if (!found) {
        return [`ContentProperty:${String(property.name)} does not exist`];
      }
      if (
        found.Value !== property.expectedValue ||
        found.Retention !== property.expectedRetention
      ) {
        return [
          `ContentProperty mismatch. Expected Value: ${property.expectedValue}, Actual Value: ${String(found.Value)}, Expected Retention: ${property.expectedRetention}, Actual Retention: ${String(found.Retention)}`,
        ];
      }
    }
    return [];
  } catch (error) {
    return [`FramesValidator: ${error instanceof Error ? error.message : String(error)}`];
  }
}

function readResponse(
  def: FramesDef,
  response: WopiResponse,
  ctx: ValidationContext,
  host: HostView,
): string | undefined {
  if (response.body.length === 0) {
    return 'ResponseData.ResponseStream is null or empty';
  }
  const frames = parseFrames(response.body);
  if (frames.length < 1) {
    return 'Parsed outputFrameList is null or empty';
  }
  if (frames[0]?.type !== FrameType.MessageJSON) {
    return 'The first frame is not MessageJson type';
  }
  for (const frame of frames) {
    const error = checkFrame(frame, ctx, def.messageJsonPayloadSchema ?? '');
    if (error !== undefined) {
      return error;
    }
    if (frame.type === FrameType.MessageJSON) {
      readMessage(frame.payload, host);
    } else if (frame.type === FrameType.Chunk && frame.extendedHeader) {
      const id = frame.extendedHeader.toString('base64');
      if (!host.blobs.has(id)) {
        host.blobs.set(id, frame.payload);
      }
    }
  }
  if (def.expectedHostBlobsCount !== undefined && def.expectedHostBlobsCount !== host.blobs.size) {
    return `ExpectedHostBlobsCount: '${String(def.expectedHostBlobsCount)}' not equal to HostBlobs.Count: '${String(host.blobs.size)}'`;
  }
  return undefined;
}

function checkFrame(frame: Frame, ctx: ValidationContext, schema: string): string | undefined {
  switch (frame.type) {
    case FrameType.MessageJSON: {
      if (frame.extendedHeader && frame.extendedHeader.length !== 0) {
        return 'MessageJson frame extended header is not 0';
      }
      if (frame.payload.length === 0) {
        return 'MessageJson payload is empty';
      }
      const json = frame.payload.toString('utf8');
      return ctx.schemas.validate(schema, json).length === 0
        ? undefined
        : `MessageJson payload Json validation failed: ${json}`;
    }
    case FrameType.Chunk: {
      if (frame.extendedHeader?.length !== 16) {
        return 'Chunk frame extended header length is not 16';
      }
      const fromHeader = frame.extendedHeader.toString('base64');
      const fromPayload = chunkId(frame.payload);
      return fromHeader === fromPayload
        ? undefined
        : `ChunkId calculated from extendedHeader:'${fromHeader}' is different from chunkId calculated from payload:${fromPayload}`;
    }
    case FrameType.ChunkRange:
      return undefined;
    default:
      return `Unknown frame type: '${String(frame.type)}'`;
  }
}

function readMessage(payload: Buffer, host: HostView): void {
  const message = JSON.parse(payload.toString('utf8')) as {
    Signatures?: {
      StreamId?: string;
      ChunkingScheme?: string;
      ChunkSignatures?: { ChunkId?: string }[];
    }[];
    ContentProperties?: { Name?: string; Value?: unknown; Retention?: unknown }[];
  };
  if (!Array.isArray(message.Signatures)) {
    throw new Error('the GetChunkedFile response message has no Signatures');
  }
  for (const signature of message.Signatures) {
    const streamId = String(signature.StreamId);
    host.schemePerStream.set(streamId, String(signature.ChunkingScheme));
    if (!host.blobIdsPerStream.has(streamId)) {
      host.blobIdsPerStream.set(
        streamId,
        (signature.ChunkSignatures ?? []).map((chunk) => String(chunk.ChunkId)),
      );
    }
  }
  for (const property of message.ContentProperties ?? []) {
    host.properties.set(String(property.Name), property);
  }
}

function checkStream(
  stream: ContentStreamValidatorDef,
  host: HostView,
  ctx: ValidationContext,
): string | undefined {
  const streamId = stream.streamId ?? '';
  const scheme = host.schemePerStream.get(streamId);
  if (scheme === undefined) {
    return `streamId:${streamId} is not in the response's signatures`;
  }
  if (scheme !== stream.expectedChunkingScheme) {
    return `For StreamId '${streamId}', ResponseChunkingScheme '${scheme}' not equal to ExpectedChunkingScheme: ${String(stream.expectedChunkingScheme)}`;
  }
  const ids = host.blobIdsPerStream.get(streamId);
  if (ids === undefined) {
    return `streamId:${streamId} does not exist in hostBlobIdsPerStreamId`;
  }
  if (scheme === 'Zip') {
    if (
      stream.alreadyExistingContentResourceId === undefined &&
      stream.expectedContentResourceId === undefined
    ) {
      return undefined;
    }
    const rebuilt = rebuild(
      ids,
      host.blobs,
      zipChunks(ctx.resources, stream.alreadyExistingContentResourceId),
    );
    const expected = ctx.resources.zipChunks(stream.expectedContentResourceId).stream;
    return rebuilt.equals(expected)
      ? undefined
      : 'Reconstructed stream and expected stream are not equal.';
  }
  if (stream.alreadyExistingContent === undefined && stream.expectedContent === undefined) {
    return undefined;
  }
  const rebuilt = rebuild(
    ids,
    host.blobs,
    fullFileChunks(stream.alreadyExistingContent ?? ''),
  ).toString('utf8');
  return rebuilt === stream.expectedContent
    ? undefined
    : `Reconstructed payload '${rebuilt}' and expected value '${String(stream.expectedContent)}' are not equal`;
}

/** StreamBuilder.BlobsToBytes over the blobs sent by the host and those the client already had. */
function rebuild(ids: string[], sent: Map<string, Buffer>, existing: Chunked): Buffer {
  return Buffer.concat(
    ids.map((id) => {
      const bytes = sent.get(id) ?? existing.blobs.get(id)?.bytes;
      if (bytes === undefined) {
        throw new Error(`Missing blob: ${id} in blob dictionary.`);
      }
      return bytes;
    }),
  );
}
