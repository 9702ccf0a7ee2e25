import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/support/shared';
import { generateProofKeyPair } from '../../test/support/wopi-client';
import { decodeCspBlob, encodeCspBlob } from './csp-blob';
import { parseDiscovery } from './discovery.parser';
import { InvalidProofKeyError, proofKeyFromAttributes } from './proof-keys';

const msDiscovery = sharedPath('discovery-samples', 'microsoft-office-online-discovery.xml');

describe('CryptoAPI public key blobs', () => {
  it('should round-trip an RSA key and start as Microsoft documents it', () => {
    const pair = generateProofKeyPair();
    const modulus = Buffer.from(pair.modulus, 'base64');
    const exponent = Buffer.from(pair.exponent, 'base64');
    const blob = encodeCspBlob({ modulus, exponent });
    expect(blob.toString('base64').startsWith('BgIAAACkAABSU0ExAAgAAAEAAQ')).toBe(true);
    expect(decodeCspBlob(blob)).toEqual({ modulus, exponent });
  });

  it.skipIf(msDiscovery === undefined)(
    "should read Microsoft's value attribute as the same key as its modulus and exponent",
    () => {
      const xml = readFileSync(msDiscovery ?? '', 'utf8');
      const attr = (name: string) => new RegExp(`\\s${name}="([^"]+)"`).exec(xml)?.[1];
      const fromNumbers = proofKeyFromAttributes(attr('modulus'), attr('exponent'), undefined);
      const fromBlob = proofKeyFromAttributes(undefined, undefined, attr('value'));
      expect(fromBlob?.id).toBe(fromNumbers?.id);
      expect(fromBlob?.id).toBe(parseDiscovery(xml).proofKeys?.current.id);
    },
  );

  it('should refuse what is not a public key blob', () => {
    const pair = generateProofKeyPair();
    const blob = Buffer.from(pair.value, 'base64');
    expect(decodeCspBlob(blob.subarray(0, 19))).toBeUndefined();
    expect(decodeCspBlob(Buffer.concat([blob, Buffer.from([0])]))).toBeUndefined();
    const privateBlob = Buffer.from(blob);
    privateBlob[0] = 0x07;
    expect(decodeCspBlob(privateBlob)).toBeUndefined();
    const wrongMagic = Buffer.from(blob);
    wrongMagic.write('RSA2', 8, 'latin1');
    expect(decodeCspBlob(wrongMagic)).toBeUndefined();
  });
});

describe('proofKeyFromAttributes', () => {
  const pair = generateProofKeyPair();

  it('should prefer modulus and exponent, fall back to value, and be absent when all are', () => {
    expect(proofKeyFromAttributes(pair.modulus, pair.exponent, 'ignored')?.id).toMatch(
      /^[0-9a-f]{12}$/,
    );
    expect(proofKeyFromAttributes(undefined, undefined, pair.value)?.id).toBe(
      proofKeyFromAttributes(pair.modulus, pair.exponent, undefined)?.id,
    );
    expect(proofKeyFromAttributes(undefined, undefined, undefined)).toBeUndefined();
    expect(proofKeyFromAttributes('', ' ', '')).toBeUndefined();
  });

  it.each([
    ['a modulus without exponent', [pair.modulus, undefined, undefined]],
    ['a modulus that is not base64', ['not*base64', 'AQAB', undefined]],
    ['a modulus too short for RSA', [Buffer.alloc(32, 0xff).toString('base64'), 'AQAB', undefined]],
    ['an even exponent', [pair.modulus, 'AAI=', undefined]],
    ['a value that is no key blob', [undefined, undefined, 'AAAAAAAA']],
  ] as const)('should refuse %s', (_name, [modulus, exponent, value]) => {
    expect(() => proofKeyFromAttributes(modulus, exponent, value)).toThrow(InvalidProofKeyError);
  });
});
