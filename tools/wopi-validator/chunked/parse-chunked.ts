import type {
  ChunkedParams,
  ChunkingScheme,
  ContentFilterDef,
  ContentPropertyDef,
  ContentStreamDef,
} from '../model';
import { child, type XmlElement } from '../xml-tree';

const SCHEMES: readonly ChunkingScheme[] = ['FullFile', 'Zip'];
const CHUNKS_TO_RETURN = ['All', 'None', 'LastZipChunk'];
const RETENTIONS = ['DeleteOnContentChange', 'KeepOnContentChange'];

/**
 * The incremental-file-transfer children of GetChunkedFile / PutChunkedFile, with the checks the
 * XMLContentFilter / XMLContentStream / XMLContentProperty constructors make. Undefined when the
 * request has none of them.
 */
export function parseChunkedParams(element: XmlElement): ChunkedParams | undefined {
  const toReturn = child(element, 'ContentPropertiesToReturn');
  const filters = child(element, 'ContentFilters');
  const properties = child(element, 'ContentProperties');
  const streams = child(element, 'ContentStreams');
  const commit = child(element, 'UploadSessionTokenToCommit');
  if (!toReturn && !filters && !properties && !streams && !commit) {
    return undefined;
  }
  return {
    contentPropertiesToReturn: (toReturn?.children ?? []).map((item) =>
      required(item.attrs['Value'], 'ContentPropertyToReturn Value'),
    ),
    contentFilters: (filters?.children ?? []).map(parseFilter),
    contentProperties: (properties?.children ?? []).map(parseProperty),
    contentStreams: (streams?.children ?? []).map(parseStream),
    uploadSessionTokenToCommit: commit?.attrs['Value'],
  };
}

function parseFilter(element: XmlElement): ContentFilterDef {
  const scheme = canonical(
    element.attrs['ChunkingScheme'],
    SCHEMES,
    'ContentFilter ChunkingScheme',
  );
  const chunksToReturn = canonical(
    element.attrs['ChunksToReturn'],
    CHUNKS_TO_RETURN,
    'ContentFilter ChunksToReturn',
  );
  const content = element.attrs['AlreadyExistingContent'];
  const resourceId = element.attrs['AlreadyExistingContentResourceId'];
  exclusive(scheme, content, resourceId, 'ContentFilter AlreadyExistingContent[ResourceId]');
  return {
    streamId: required(element.attrs['StreamId'], 'ContentFilter StreamId'),
    chunkingScheme: scheme,
    chunksToReturn,
    alreadyExistingContent: content ?? '',
    alreadyExistingContentResourceId: resourceId,
  };
}

function parseStream(element: XmlElement): ContentStreamDef {
  const scheme = canonical(
    element.attrs['ChunkingScheme'],
    SCHEMES,
    'ContentStream ChunkingScheme',
  );
  const newContent = element.attrs['NewContent'];
  const lastKnown = element.attrs['LastKnownHostContent'];
  const newId = element.attrs['NewContentResourceId'];
  const lastKnownId = element.attrs['LastKnownHostContentResourceId'];
  exclusive(scheme, newContent, newId, 'ContentStream NewContent[ResourceId]');
  exclusive(scheme, lastKnown, lastKnownId, 'ContentStream LastKnownHostContent[ResourceId]');
  return {
    streamId: required(element.attrs['StreamId'], 'ContentStream StreamId'),
    chunkingScheme: scheme,
    newContent: newContent ?? '',
    lastKnownHostContent: lastKnown ?? '',
    newContentResourceId: newId,
    lastKnownHostContentResourceId: lastKnownId,
  };
}

function parseProperty(element: XmlElement): ContentPropertyDef {
  return {
    retention: canonical(element.attrs['Retention'], RETENTIONS, 'ContentProperty Retention'),
    name: required(element.attrs['Name'], 'ContentProperty Name'),
    value: required(element.attrs['Value'], 'ContentProperty Value'),
  };
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') {
    throw new Error(`${what} is missing or empty`);
  }
  return value;
}

function canonical<T extends string>(
  value: string | undefined,
  members: readonly T[],
  what: string,
): T {
  const found = members.find((member) => member.toLowerCase() === value?.trim().toLowerCase());
  if (found === undefined) {
    throw new Error(`${what} "${String(value)}" is not one of ${members.join(', ')}`);
  }
  return found;
}

/** FullFile takes inline content, Zip a resource id; the other one must be absent. */
function exclusive(
  scheme: ChunkingScheme,
  content: string | undefined,
  resourceId: string | undefined,
  what: string,
): void {
  const ok =
    scheme === 'FullFile'
      ? content !== undefined && resourceId === undefined
      : resourceId !== undefined && content === undefined;
  if (!ok) {
    throw new Error(
      `${what}: ${scheme} needs ${scheme === 'FullFile' ? 'inline content' : 'a resource id'} and not the other`,
    );
  }
}
