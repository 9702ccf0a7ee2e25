import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateProofKeyPair, publishKey, type ProofKeyPair } from './keys';

export interface KeyPairs {
  current: ProofKeyPair;
  old: ProofKeyPair;
}

export function generateKeyPairs(): KeyPairs {
  return { current: generateProofKeyPair(), old: generateProofKeyPair() };
}

/**
 * The runner's two key pairs, kept in a JSON file of PKCS#8 PEMs so a host configured once with the
 * runner's discovery keeps verifying across runs. Created (mode 0600) when missing.
 */
export function loadOrCreateKeyPairs(file: string | undefined): KeyPairs {
  if (file === undefined) {
    return generateKeyPairs();
  }
  if (!existsSync(file)) {
    const pairs = generateKeyPairs();
    mkdirSync(dirname(file), { recursive: true });
    const pem = (pair: ProofKeyPair): string =>
      pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeFileSync(
      file,
      `${JSON.stringify({ current: pem(pairs.current), old: pem(pairs.old) }, null, 2)}\n`,
      {
        mode: 0o600,
      },
    );
    return pairs;
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { current?: string; old?: string };
  const pair = (pem: string | undefined, which: string): ProofKeyPair => {
    if (!pem) {
      throw new Error(`${file}: no ${which} key`);
    }
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    return { privateKey, publicKey, ...publishKey(publicKey) };
  };
  return { current: pair(stored.current, 'current'), old: pair(stored.old, 'old') };
}
