import { XMLParser } from 'fast-xml-parser';
import { verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/support/shared';
import { tempDir } from '../../../test/support/temp';
import { startDiscoveryServer, type DiscoveryServer } from './discovery-server';
import { generateKeyPairs, loadOrCreateKeyPairs } from './key-file';
import { publicKeyFromModulus, publishKey } from './keys';
import {
  INVALID_PROOF,
  mutateProofHeaders,
  proofBytes,
  proofHeaders,
  signProof,
  type ProofHeaders,
  type ProofSigner,
} from './signing';
import { ticksFromDateString, ticksFromMs } from './ticks';

interface Vectors {
  discovery: Record<
    'value' | 'modulus' | 'exponent' | 'oldvalue' | 'oldmodulus' | 'oldexponent',
    string
  >;
  request: {
    accessToken: string;
    url: string;
    timestampTicks: string;
    expectedProofBytesHex: string;
  };
  scenarios: { name: string; headers: Record<string, string> }[];
}

const vectorsFile = sharedPath('wopi-validator', 'proof-key-test-vectors.json');
const vectors = vectorsFile
  ? (JSON.parse(readFileSync(vectorsFile, 'utf8')) as Vectors)
  : undefined;
const withVectors = describe.skipIf(vectors === undefined);

describe('ticks', () => {
  it('should count 100 ns since 0001-01-01 like DateTime.Ticks', () => {
    expect(ticksFromMs(Date.UTC(2025, 0, 1))).toBe(638712864000000000n);
    expect(ticksFromDateString('2015-08-17T00:00:00Z')).toBe(635753664000000000n);
    expect(ticksFromDateString('not a date')).toBeUndefined();
  });
});

withVectors('proof keys against proof-key-test-vectors.json (skipped without ../shared)', () => {
  const v = vectors!;

  it('should publish both vector keys with the same value, modulus and exponent', () => {
    const published = (modulus: string, exponent: string) =>
      publishKey(publicKeyFromModulus(modulus, exponent));
    expect(published(v.discovery.modulus, v.discovery.exponent)).toEqual({
      value: v.discovery.value,
      modulus: v.discovery.modulus,
      exponent: v.discovery.exponent,
    });
    expect(published(v.discovery.oldmodulus, v.discovery.oldexponent).value).toBe(
      v.discovery.oldvalue,
    );
  });

  it('should lay out the signed bytes exactly as the vectors', () => {
    const bytes = proofBytes(
      v.request.accessToken,
      v.request.url,
      BigInt(v.request.timestampTicks),
    );
    expect(bytes.toString('hex')).toBe(v.request.expectedProofBytesHex);
  });

  it('should verify the vectors signatures over those bytes with the published keys', () => {
    const current = publicKeyFromModulus(v.discovery.modulus, v.discovery.exponent);
    const old = publicKeyFromModulus(v.discovery.oldmodulus, v.discovery.oldexponent);
    const valid = v.scenarios.find(
      (scenario) => scenario.name === 'ProofKeys.CurrentValid.OldValid',
    );
    const bytes = proofBytes(
      v.request.accessToken,
      v.request.url,
      BigInt(v.request.timestampTicks),
    );
    const ok = (signature: string | undefined, key: typeof current): boolean =>
      verify('sha256', bytes, key, Buffer.from(signature ?? '', 'base64'));
    expect(ok(valid?.headers['X-WOPI-Proof'], current)).toBe(true);
    expect(ok(valid?.headers['X-WOPI-ProofOld'], old)).toBe(true);
    expect(ok(valid?.headers['X-WOPI-Proof'], old)).toBe(false);
  });

  it('should mutate the headers into the pattern of each of the seven scenarios', () => {
    const original: ProofHeaders = [
      ['X-WOPI-Proof', 'CURRENT'],
      ['X-WOPI-ProofOld', 'OLD'],
      ['X-WOPI-TimeStamp', 'NOW'],
    ];
    const resign = (ticks: bigint): ProofHeaders => [
      ['X-WOPI-Proof', 'CURRENT@then'],
      ['X-WOPI-ProofOld', 'OLD@then'],
      ['X-WOPI-TimeStamp', ticks.toString()],
    ];
    const base = {
      kind: 'ProofKey' as const,
      mutateCurrent: false,
      mutateOld: false,
      keyRelation: 'Synced',
    };
    const cases: [typeof base & { timestampTicks?: bigint }, Record<string, string>][] = [
      [
        { ...base, mutateOld: true },
        { 'X-WOPI-Proof': 'CURRENT', 'X-WOPI-ProofOld': INVALID_PROOF },
      ],
      [
        { ...base, keyRelation: 'Ahead' },
        { 'X-WOPI-Proof': INVALID_PROOF, 'X-WOPI-ProofOld': 'CURRENT' },
      ],
      [
        { ...base, keyRelation: 'Behind' },
        { 'X-WOPI-Proof': 'OLD', 'X-WOPI-ProofOld': INVALID_PROOF },
      ],
      [
        { ...base, mutateCurrent: true },
        { 'X-WOPI-Proof': INVALID_PROOF, 'X-WOPI-ProofOld': 'OLD' },
      ],
      [
        { ...base, mutateCurrent: true, mutateOld: true },
        { 'X-WOPI-Proof': INVALID_PROOF, 'X-WOPI-ProofOld': INVALID_PROOF },
      ],
      [
        { ...base, timestampTicks: 635753664000000000n },
        {
          'X-WOPI-Proof': 'CURRENT@then',
          'X-WOPI-ProofOld': 'OLD@then',
          'X-WOPI-TimeStamp': '635753664000000000',
        },
      ],
    ];
    for (const [mutator, expected] of cases) {
      expect(Object.fromEntries(mutateProofHeaders(original, mutator, resign))).toMatchObject(
        expected,
      );
    }
    expect(
      v.scenarios
        .map((scenario) => scenario.headers['X-WOPI-Proof'])
        .filter((p) => p === INVALID_PROOF),
    ).toHaveLength(3);
    expect(INVALID_PROOF).toBe('SU5WQUxJRA==');
  });
});

describe('proofHeaders', () => {
  it('should sign the upper-cased URL and token with both keys so a host verifies them from discovery', () => {
    const pairs = generateKeyPairs();
    const signer: ProofSigner = { ...pairs, nowTicks: () => 1n };
    const headers = new Map(
      proofHeaders(signer, 'tok', 'http://h/wopi/files/1?access_token=tok', 42n),
    );
    const bytes = proofBytes('tok', 'HTTP://H/WOPI/FILES/1?ACCESS_TOKEN=TOK', 42n);
    const current = publicKeyFromModulus(pairs.current.modulus, pairs.current.exponent);
    const old = publicKeyFromModulus(pairs.old.modulus, pairs.old.exponent);
    expect(
      verify('sha256', bytes, current, Buffer.from(headers.get('X-WOPI-Proof') ?? '', 'base64')),
    ).toBe(true);
    expect(
      verify('sha256', bytes, old, Buffer.from(headers.get('X-WOPI-ProofOld') ?? '', 'base64')),
    ).toBe(true);
    expect(headers.get('X-WOPI-TimeStamp')).toBe('42');
    expect(signProof(bytes, pairs.current)).toBe(headers.get('X-WOPI-Proof'));
    expect(pairs.current.value.startsWith('BgIAAACkAABSU0ExAAgAAAEAAQ')).toBe(true);
  });

  it('should refuse to sign without an access token (Microsoft: ProofKeySigningException)', () => {
    const signer: ProofSigner = { ...generateKeyPairs(), nowTicks: () => 1n };
    expect(() => proofHeaders(signer, undefined, 'http://h/', 1n)).toThrow('AccessToken');
  });
});

describe('startDiscoveryServer', () => {
  let server: DiscoveryServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('should serve a discovery document with both public keys and a .wopitest action', async () => {
    const pairs = generateKeyPairs();
    server = await startDiscoveryServer(pairs);
    const response = await fetch(`${server.url}/hosting/discovery`);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      await response.text(),
    ) as {
      'wopi-discovery': {
        'net-zone': {
          app: { name: string; action: { name: string; ext: string; urlsrc: string }[] }[];
        };
        'proof-key': Record<string, string>;
      };
    };
    const discovery = parsed['wopi-discovery'];
    expect(response.status).toBe(200);
    expect(discovery['proof-key']).toEqual({
      value: pairs.current.value,
      modulus: pairs.current.modulus,
      exponent: pairs.current.exponent,
      oldvalue: pairs.old.value,
      oldmodulus: pairs.old.modulus,
      oldexponent: pairs.old.exponent,
    });
    const wopiTest = discovery['net-zone'].app.find((app) => app.name === 'WopiTest');
    expect(wopiTest?.action.map((action) => `${action.name}:${action.ext}`)).toContain(
      'view:wopitest',
    );
    expect(wopiTest?.action[0]?.urlsrc.startsWith(`${server.url}/hosting/`)).toBe(true);
    expect(server.fetches()).toBe(1);
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
  });
});

describe('loadOrCreateKeyPairs', () => {
  it('should keep the key pairs in a file and read the same keys back', async () => {
    const dir = await tempDir('validator-keys-');
    try {
      const file = `${dir.dir}/keys.json`;
      const created = loadOrCreateKeyPairs(file);
      const again = loadOrCreateKeyPairs(file);
      expect(again.current.value).toBe(created.current.value);
      expect(again.old.modulus).toBe(created.old.modulus);
      expect(again.current.value).not.toBe(again.old.value);
    } finally {
      await dir.remove();
    }
  });
});
