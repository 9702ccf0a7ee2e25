import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { parseDiscovery } from '../src/discovery/discovery.parser';
import { buildEditorUrl } from '../src/discovery/editor-url';
import { proofKeyFromAttributes } from '../src/discovery/proof-keys';
import { signedUrl, tokenForms } from '../src/discovery/proof-request';
import { verifyProof } from '../src/discovery/proof-verifier';
import { sharedPath } from '../test/support/shared';
import { discoveryDocument, generateProofKeyPair, proofHeaders } from '../test/support/wopi-client';

// What the proof guard adds to every WOPI request, and what a discovery refresh costs.
const current = generateProofKeyPair();
const old = generateProofKeyPair();
const keys = {
  current: proofKeyFromAttributes(current.modulus, current.exponent, undefined)!,
  old: proofKeyFromAttributes(old.modulus, old.exponent, undefined)!,
};
const token = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.'.padEnd(600, 'x');
const target = `/wopi/files/${'a'.repeat(64)}?access_token=${token}`;
const url = signedUrl('https://wopi.example.com', target);
const good = proofHeaders({ product: 'OnlyOffice', url, token, keys: { current, old } });
const stranger = { current: generateProofKeyPair(), old: generateProofKeyPair() };
const bad = proofHeaders({ product: 'OnlyOffice', url, token, keys: stranger });
const headers = (h: Record<string, string>) => ({
  timestamp: h['X-WOPI-TimeStamp'],
  proof: h['X-WOPI-Proof'],
  proofOld: h['X-WOPI-ProofOld'],
});
const now = Date.now();
const msPath = sharedPath('discovery-samples', 'microsoft-office-online-discovery.xml');
const msXml = msPath === undefined ? '' : readFileSync(msPath, 'utf8');
const ooXml = discoveryDocument({
  product: 'OnlyOffice',
  baseUrl: 'https://oo',
  keys: { current, old },
});
const oo = parseDiscovery(ooXml);

describe('proof check per request', () => {
  bench('valid proof (1 RSA-2048 verify)', () => {
    verifyProof({ tokens: tokenForms(target), url, headers: headers(good) }, keys, now);
  });
  bench('proof signed with another key (3 RSA-2048 verifies)', () => {
    verifyProof({ tokens: tokenForms(target), url, headers: headers(bad) }, keys, now);
  });
});

describe('discovery', () => {
  bench.skipIf(msPath === undefined)('parse Microsoft 2018 discovery (107 KB, 366 actions)', () => {
    parseDiscovery(msXml);
  });
  bench('build an OnlyOffice editor URL', () => {
    buildEditorUrl(oo, {
      product: 'OnlyOffice',
      extension: 'docx',
      mode: 'write',
      wopiSrc: 'https://w/wopi/files/a',
      lang: 'de',
    });
  });
});
