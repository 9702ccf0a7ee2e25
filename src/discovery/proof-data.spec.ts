import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/support/shared';
import { proofData } from './proof-data';
import { EPOCH_TICKS, msFromTicks, parseTicks, ticksFromMs } from './ticks';

const projectVectors = sharedPath('wopi-validator', 'proof-key-test-vectors.json');

describe('proofData', () => {
  it('should lay out length-prefixed token, upper-cased URL and 64-bit timestamp', () => {
    const data = proofData('ab', 'http://h/x?y=é', 0x0102030405060708n);
    expect(data.toString('hex')).toBe(
      [
        '00000002',
        Buffer.from('ab').toString('hex'),
        '0000000f',
        Buffer.from('HTTP://H/X?Y=É', 'utf8').toString('hex'),
        '00000008',
        '0102030405060708',
      ].join(''),
    );
  });

  it.skipIf(projectVectors === undefined)(
    'should produce exactly the bytes of the project vector',
    () => {
      const { request } = JSON.parse(readFileSync(projectVectors ?? '', 'utf8')) as {
        request: {
          accessToken: string;
          url: string;
          timestampTicks: string;
          expectedProofBytesHex: string;
        };
      };
      expect(
        proofData(request.accessToken, request.url, BigInt(request.timestampTicks)).toString('hex'),
      ).toBe(request.expectedProofBytesHex);
    },
  );
});

describe('ticks', () => {
  it('should convert between epoch milliseconds and .NET ticks', () => {
    expect(ticksFromMs(0)).toBe(EPOCH_TICKS);
    expect(ticksFromMs(Date.UTC(2025, 0, 1))).toBe(638712864000000000n);
    expect(msFromTicks(635753664000000000n)).toBe(Date.UTC(2015, 7, 17));
  });

  it('should parse only non-negative 64-bit decimal integers', () => {
    expect(parseTicks(' 638712864000000000 ')).toBe(638712864000000000n);
    expect(parseTicks('9223372036854775807')).toBe(2n ** 63n - 1n);
    for (const bad of ['', '-1', '1e18', '0x10', '9223372036854775808', '12.5', 'abc']) {
      expect(parseTicks(bad)).toBeUndefined();
    }
  });
});
