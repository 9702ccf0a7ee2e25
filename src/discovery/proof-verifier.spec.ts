import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MICROSOFT_PROOF_VECTORS } from '../../test/fixtures/microsoft-proof-key-vectors';
import { sharedPath } from '../../test/support/shared';
import { generateProofKeyPair, signProof, type ProofKeyPair } from '../../test/support/wopi-client';
import { parseDiscovery } from './discovery.parser';
import { proofData } from './proof-data';
import { proofKeyFromAttributes, type ProofKeys } from './proof-keys';
import { tokenForms } from './proof-request';
import { PROOF_MAX_AGE_MS, verifyProof, type ProofHeaders } from './proof-verifier';
import { msFromTicks, ticksFromMs } from './ticks';

const msDiscovery = sharedPath('discovery-samples', 'microsoft-office-online-discovery.xml');
const projectVectors = sharedPath('wopi-validator', 'proof-key-test-vectors.json');

describe('verifyProof', () => {
  describe("with Microsoft's published vectors", () => {
    it.skipIf(msDiscovery === undefined).each(MICROSOFT_PROOF_VECTORS)(
      'should judge "$name" as Microsoft does',
      (vector) => {
        const keys = parseDiscovery(readFileSync(msDiscovery ?? '', 'utf8')).proofKeys;
        expect(keys).toBeDefined();
        const requestTarget = vector.url.slice('https://contoso.com'.length);
        const result = verifyProof(
          {
            tokens: tokenForms(requestTarget),
            url: vector.url,
            headers: {
              timestamp: vector.timestampTicks.toString(),
              proof: vector.proof,
              proofOld: vector.proofOld,
            },
          },
          keys!,
          msFromTicks(vector.timestampTicks) + 60_000,
        );
        expect(result.valid).toBe(vector.expectValid);
        if (!result.valid) {
          expect(result.reason).toBe('signature-mismatch');
        }
      },
    );

    it.skipIf(msDiscovery === undefined)(
      'should need the token as it appears in the URL, not decoded',
      () => {
        const keys = parseDiscovery(readFileSync(msDiscovery ?? '', 'utf8')).proofKeys!;
        const vector = MICROSOFT_PROOF_VECTORS[0]!;
        const headers = {
          timestamp: vector.timestampTicks.toString(),
          proof: vector.proof,
          proofOld: vector.proofOld,
        };
        const now = msFromTicks(vector.timestampTicks);
        const decoded = decodeURIComponent(vector.accessToken);
        expect(
          verifyProof({ tokens: [decoded], url: vector.url, headers }, keys, now),
        ).toMatchObject({ valid: false, reason: 'signature-mismatch' });
        expect(
          verifyProof(
            { tokens: [decoded, vector.accessToken], url: vector.url, headers },
            keys,
            now,
          ),
        ).toMatchObject({ valid: true, tokenIndex: 1 });
      },
    );
  });

  describe('with the project vectors for the validator ProofKeys cases', () => {
    interface Vectors {
      discovery: Record<string, string>;
      request: { url: string; accessToken: string };
      scenarios: { name: string; headers: Record<string, string>; expect: string }[];
    }
    const load = (): Vectors => JSON.parse(readFileSync(projectVectors ?? '', 'utf8')) as Vectors;

    it.skipIf(projectVectors === undefined)('should accept and reject exactly as expected', () => {
      const vectors = load();
      const d = vectors.discovery;
      const current = proofKeyFromAttributes(d['modulus'], d['exponent'], d['value']);
      const old = proofKeyFromAttributes(d['oldmodulus'], d['oldexponent'], d['oldvalue']);
      const keys: ProofKeys = { current: current!, old: old! };
      const now = Date.UTC(2025, 0, 1);
      const target = vectors.request.url.slice(new URL(vectors.request.url).origin.length);
      expect(vectors.scenarios).toHaveLength(7);
      for (const scenario of vectors.scenarios) {
        const result = verifyProof(
          {
            tokens: tokenForms(target),
            url: vectors.request.url,
            headers: {
              timestamp: scenario.headers['X-WOPI-TimeStamp'],
              proof: scenario.headers['X-WOPI-Proof'],
              proofOld: scenario.headers['X-WOPI-ProofOld'],
            },
          },
          keys,
          now,
        );
        expect({ name: scenario.name, valid: result.valid }).toEqual({
          name: scenario.name,
          valid: scenario.expect === 'accept',
        });
        if (scenario.name.includes('Timestamp')) {
          expect(result).toMatchObject({ reason: 'expired-timestamp' });
        }
      }
    });
  });

  describe('with our own keys', () => {
    const A = generateProofKeyPair();
    const B = generateProofKeyPair();
    const C = generateProofKeyPair();
    const now = Date.UTC(2026, 5, 1, 12);
    const url = 'https://wopi.example.com/wopi/files/abc?access_token=tok.en_1';
    const token = 'tok.en_1';
    const keysOf = (current: ProofKeyPair, old?: ProofKeyPair): ProofKeys => {
      const key = (pair: ProofKeyPair) =>
        proofKeyFromAttributes(pair.modulus, pair.exponent, undefined)!;
      return old ? { current: key(current), old: key(old) } : { current: key(current) };
    };
    const signed = (
      proofKey: ProofKeyPair | 'garbage' | undefined,
      proofOldKey: ProofKeyPair | 'garbage' | undefined,
      options: { at?: number; url?: string; token?: string } = {},
    ): ProofHeaders => {
      const ticks = ticksFromMs(options.at ?? now);
      const data = proofData(options.token ?? token, options.url ?? url, ticks);
      const sig = (key: ProofKeyPair | 'garbage' | undefined) =>
        key === undefined ? undefined : key === 'garbage' ? 'SU5WQUxJRA==' : signProof(data, key);
      const proof = sig(proofKey);
      const proofOld = sig(proofOldKey);
      return {
        timestamp: ticks.toString(),
        ...(proof !== undefined ? { proof } : {}),
        ...(proofOld !== undefined ? { proofOld } : {}),
      };
    };
    const check = (headers: ProofHeaders, keys = keysOf(A, B), at = now) =>
      verifyProof({ tokens: [token], url, headers }, keys, at);

    it.each([
      ['Proof with the current key, ProofOld with the old one', A, B, 'proof-current'],
      ['Proof with the current key, ProofOld invalid', A, 'garbage', 'proof-current'],
      ['Proof with the current key, no ProofOld (older Collabora)', A, undefined, 'proof-current'],
      [
        'Proof invalid, ProofOld with the current key (editor ahead)',
        'garbage',
        A,
        'proofold-current',
      ],
      ['Proof with the old key, ProofOld invalid (editor behind)', B, 'garbage', 'proof-old'],
      ['Collabora: ProofOld repeats Proof', A, A, 'proof-current'],
    ] as const)('should accept %s', (_name, proof, proofOld, match) => {
      expect(check(signed(proof, proofOld))).toMatchObject({ valid: true, match });
    });

    it.each([
      ['Proof invalid, ProofOld with the old key only', 'garbage', B],
      ['both invalid', 'garbage', 'garbage'],
      ['signed with a key the discovery never had', C, C],
      ['Proof with the old key when the discovery has no old key', B, 'garbage'],
    ] as const)('should reject %s as a signature mismatch', (name, proof, proofOld) => {
      const keys = name.includes('no old key') ? keysOf(A) : keysOf(A, B);
      expect(check(signed(proof, proofOld), keys)).toMatchObject({
        valid: false,
        reason: 'signature-mismatch',
      });
    });

    it('should reject a key two generations back after a rotation', () => {
      const rotated = keysOf(C, A);
      expect(check(signed(C, A), rotated)).toMatchObject({ valid: true, match: 'proof-current' });
      expect(check(signed(A, B), rotated)).toMatchObject({ valid: true, match: 'proof-old' });
      expect(check(signed(B, B), rotated)).toMatchObject({
        valid: false,
        reason: 'signature-mismatch',
      });
    });

    it('should accept timestamps within 20 minutes either way and reject older or newer ones', () => {
      const edge = PROOF_MAX_AGE_MS - 1000;
      expect(check(signed(A, B, { at: now - edge })).valid).toBe(true);
      expect(check(signed(A, B, { at: now + edge })).valid).toBe(true);
      expect(check(signed(A, B, { at: now - PROOF_MAX_AGE_MS - 1000 }))).toMatchObject({
        valid: false,
        reason: 'expired-timestamp',
      });
      expect(check(signed(A, B, { at: now + PROOF_MAX_AGE_MS + 1000 }))).toMatchObject({
        valid: false,
        reason: 'expired-timestamp',
      });
    });

    it('should reject a tampered URL, query, token or timestamp', () => {
      const otherUrl = signed(A, B, {
        url: 'https://wopi.example.com/wopi/files/xyz?access_token=tok.en_1',
      });
      expect(check(otherUrl)).toMatchObject({ valid: false, reason: 'signature-mismatch' });
      const extraParam = signed(A, B, { url: `${url}&access_token_ttl=0` });
      expect(check(extraParam)).toMatchObject({ valid: false, reason: 'signature-mismatch' });
      const otherToken = signed(A, B, { token: 'tok.en_2' });
      expect(check(otherToken)).toMatchObject({ valid: false, reason: 'signature-mismatch' });
      const headers = signed(A, B);
      const shifted = { ...headers, timestamp: (BigInt(headers.timestamp!) + 1n).toString() };
      expect(check(shifted)).toMatchObject({ valid: false, reason: 'signature-mismatch' });
    });

    it('should compare the URL case-insensitively, as every editor upper-cases it', () => {
      const lower = signed(A, B, { url: url.toLowerCase() });
      expect(check(lower).valid).toBe(true);
    });

    it('should say which header is missing or malformed', () => {
      const headers = signed(A, B);
      expect(check({ proof: headers.proof! })).toMatchObject({ reason: 'missing-timestamp' });
      expect(check({ ...headers, timestamp: ' ' })).toMatchObject({ reason: 'missing-timestamp' });
      expect(check({ ...headers, timestamp: '2026-06-01T12:00:00Z' })).toMatchObject({
        reason: 'invalid-timestamp',
      });
      expect(check({ ...headers, timestamp: '99999999999999999999' })).toMatchObject({
        reason: 'invalid-timestamp',
      });
      expect(check({ timestamp: headers.timestamp! })).toMatchObject({ reason: 'missing-proof' });
      expect(check({ timestamp: headers.timestamp!, proofOld: headers.proofOld! })).toMatchObject({
        reason: 'missing-proof',
      });
      expect(check({ ...headers, proof: '%%% not base64 %%%', proofOld: 'x' })).toMatchObject({
        reason: 'signature-mismatch',
      });
    });
  });
});
