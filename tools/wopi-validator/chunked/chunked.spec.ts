import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/support/shared';
import { loadCases } from '../load';
import type { ChunkedParams, ValidatorDef } from '../model';
import type { BuildContext } from '../request-types';
import { response, validationContext } from '../testing/responses';
import { validate } from '../validators/validate';
import { getChunkedFileBody, putChunkedFileBody, putChunkedFileHeaders } from './chunked-requests';
import { fullFileChunks, zipChunks } from './chunking';
import { blobOf, buildFrames, dataContractJson, FrameType, parseFrames } from './frames';

const chunked = (extra: Partial<ChunkedParams>): ChunkedParams => ({
  contentPropertiesToReturn: [],
  contentFilters: [],
  contentProperties: [],
  contentStreams: [],
  ...extra,
});

const context = (
  params: BuildContext['params'],
  state: Record<string, string> = {},
): BuildContext => ({
  params,
  state: new Map(Object.entries(state)),
  resources: validationContext().resources,
});

describe('frames', () => {
  it('should write a MessageJSON frame, chunk frames with their ids and an EndFrame, and read them back', () => {
    const blob = blobOf(Buffer.from('chunk'));
    const body = buildFrames('{"a":1}', [blob]);
    expect(body.readUInt32BE(0)).toBe(FrameType.MessageJSON);
    expect(body.subarray(body.length - 16)).toEqual(
      Buffer.from([0, 0, 0, 1, ...Array<number>(12).fill(0)]),
    );
    const frames = parseFrames(Buffer.concat([body, Buffer.from('ignored after the end frame')]));
    expect(frames.map((frame) => frame.type)).toEqual([FrameType.MessageJSON, FrameType.Chunk]);
    expect(frames[1]?.extendedHeader?.toString('base64')).toBe(blob.id);
    expect(frames[1]?.payload.toString()).toBe('chunk');
  });

  it('should refuse a frame list that ends early or has an undefined frame type', () => {
    expect(() => parseFrames(buildFrames('{}').subarray(0, 20))).toThrow('ended early');
    expect(() => parseFrames(Buffer.alloc(16))).toThrow('undefined frametype');
  });

  it('should serialise messages like DataContractJsonSerializer: members in ordinal order, / escaped', () => {
    expect(dataContractJson({ StreamId: 'a/b', ChunkingScheme: 'Zip', ChunkSignatures: [] })).toBe(
      '{"ChunkSignatures":[],"ChunkingScheme":"Zip","StreamId":"a\\/b"}',
    );
  });
});

describe('PutChunkedFile and GetChunkedFile requests', () => {
  it('should send only the chunks the host does not have, after the message', () => {
    const params = {
      sequenceNumber: '3',
      chunked: chunked({
        contentStreams: [
          {
            streamId: 'MainContent',
            chunkingScheme: 'FullFile',
            newContent: 'Version-2',
            lastKnownHostContent: 'Version-1',
          },
          {
            streamId: 'Alt',
            chunkingScheme: 'FullFile',
            newContent: 'Same',
            lastKnownHostContent: 'Same',
          },
        ],
        contentProperties: [{ name: 'p', value: 'v', retention: 'KeepOnContentChange' }],
      }),
    };
    const frames = parseFrames(putChunkedFileBody(context(params)));
    const message = JSON.parse(frames[0]?.payload.toString() ?? '') as {
      Signatures: { StreamId: string; ChunkSignatures: { ChunkId: string; Length: number }[] }[];
      ContentProperties: unknown[];
      UploadSessionTokenToCommit: unknown;
    };
    const version2 = fullFileChunks('Version-2').ids[0];
    expect(message.Signatures.map((signature) => signature.ChunkSignatures)).toEqual([
      [{ ChunkId: version2, Length: 9 }],
      [{ ChunkId: fullFileChunks('Same').ids[0], Length: 4 }],
    ]);
    expect(message.ContentProperties).toEqual([
      { Name: 'p', Retention: 'KeepOnContentChange', Value: 'v' },
    ]);
    expect(message.UploadSessionTokenToCommit).toBeNull();
    expect(frames.slice(1).map((frame) => frame.payload.toString())).toEqual(['Version-2']);
  });

  it('should take the sequence number from saved state, else the attribute, and fail without either', () => {
    expect(
      putChunkedFileHeaders(
        context({ sequenceNumberStateKey: 'S', sequenceNumber: '1' }, { S: '42' }),
      ),
    ).toEqual([
      ['X-WOPI-SequenceNumber', '42'],
      ['X-WOPI-Lock', ''],
      ['X-WOPI-CoauthLockId', ''],
      ['X-WOPI-Editors', ''],
    ]);
    expect(putChunkedFileHeaders(context({ sequenceNumber: '7', lock: 'L' }))[1]).toEqual([
      'X-WOPI-Lock',
      'L',
    ]);
    expect(() => putChunkedFileHeaders(context({}))).toThrow('SequenceNumber');
  });

  it('should tell the host which chunks the client already has', () => {
    const params = {
      chunked: chunked({
        contentPropertiesToReturn: ['p'],
        contentFilters: [
          {
            streamId: 'MainContent',
            chunkingScheme: 'FullFile',
            chunksToReturn: 'All',
            alreadyExistingContent: 'Known',
          },
        ],
      }),
    };
    const message = JSON.parse(
      parseFrames(getChunkedFileBody(context(params)))[0]?.payload.toString() ?? '',
    ) as unknown;
    expect(message).toEqual({
      ContentFilters: [
        {
          AlreadyKnownChunks: fullFileChunks('Known').ids,
          ChunkingScheme: 'FullFile',
          ChunksToReturn: 'All',
          StreamId: 'MainContent',
        },
      ],
      ContentPropertiesToReturn: ['p'],
    });
  });
});

describe('FramesValidator', () => {
  const hostResponse = (content: string, options: { wrongId?: boolean; send?: boolean } = {}) => {
    const blob = blobOf(Buffer.from(content));
    const message = {
      ContentProperties: [{ Name: 'p', Value: 'v', Retention: 'KeepOnContentChange' }],
      Signatures: [
        {
          StreamId: 'MainContent',
          ChunkingScheme: 'FullFile',
          ChunkSignatures: [{ ChunkId: blob.id, Length: blob.bytes.length }],
        },
      ],
    };
    const sent =
      options.send === false
        ? []
        : [options.wrongId ? { ...blob, id: blobOf(Buffer.from('x')).id } : blob];
    return response(200, {}, buildFrames(JSON.stringify(message), sent));
  };
  const def = (extra: Partial<Extract<ValidatorDef, { kind: 'Frames' }>> = {}): ValidatorDef => ({
    kind: 'Frames',
    messageJsonPayloadSchema: 'GetChunkedFileResponseSchema',
    streams: [
      {
        streamId: 'MainContent',
        expectedChunkingScheme: 'FullFile',
        expectedContent: 'Hello',
        alreadyExistingContent: '',
      },
    ],
    properties: [
      {
        name: 'p',
        expectedValue: 'v',
        expectedRetention: 'KeepOnContentChange',
        shouldBeReturned: true,
      },
    ],
    ...extra,
  });
  const ctx = validationContext({}, { GetChunkedFileResponseSchema: {} });

  it('should rebuild the stream from the chunks sent and those the client had', () => {
    expect(validate(def(), hostResponse('Hello'), ctx)).toEqual([]);
    const known = def({
      streams: [
        {
          streamId: 'MainContent',
          expectedChunkingScheme: 'FullFile',
          expectedContent: 'Hello',
          alreadyExistingContent: 'Hello',
        },
      ],
    });
    expect(
      validate(
        { ...known, expectedHostBlobsCount: 0 } as ValidatorDef,
        hostResponse('Hello', { send: false }),
        ctx,
      ),
    ).toEqual([]);
  });

  it('should fail wrong content, a chunk id that does not match its payload and a wrong blob count', () => {
    expect(validate(def(), hostResponse('Hallo'), ctx)[0]).toMatch(/Reconstructed payload 'Hallo'/);
    expect(validate(def(), hostResponse('Hello', { wrongId: true }), ctx)[0]).toMatch(
      /ChunkId calculated from extendedHeader/,
    );
    expect(validate(def({ expectedHostBlobsCount: 2 }), hostResponse('Hello'), ctx)[0]).toMatch(
      /ExpectedHostBlobsCount: '2'/,
    );
    expect(validate(def(), response(200, {}, Buffer.alloc(0)), ctx)).toEqual([
      'ResponseData.ResponseStream is null or empty',
    ]);
  });

  it('should check content properties that must or must not be returned', () => {
    const hidden = def({
      properties: [
        { name: 'p', expectedValue: '', expectedRetention: '', shouldBeReturned: false },
      ],
    });
    expect(validate(hidden, hostResponse('Hello'), ctx)).toEqual([
      'ContentProperty:p should not be returned',
    ]);
  });
});

const casesFile = sharedPath('wopi-validator', 'TestCases.xml');

describe.skipIf(casesFile === undefined)(
  'zip chunking resources (skipped without ../shared)',
  () => {
    it('should cut each FileStream at its ChunkIds.txt offsets', () => {
      const { resources } = loadCases(casesFile ?? '');
      const { stream, offsets } = resources.zipChunks('NonZeroByteWord_Main_V1');
      const chunks = zipChunks(resources, 'NonZeroByteWord_Main_V1');
      expect(chunks.ids).toHaveLength(offsets.length);
      expect(
        Buffer.concat(chunks.ids.map((id) => chunks.blobs.get(id)?.bytes ?? Buffer.alloc(0))),
      ).toEqual(stream);
      expect(zipChunks(resources, 'ZeroByteOfficeDocument').ids).toEqual([]);
    });
  },
);
