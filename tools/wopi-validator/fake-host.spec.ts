import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/support/shared';
import type { ExecutionEnv } from './executor';
import { loadCases, type LoadedSuite } from './load';
import { generateKeyPairs, type KeyPairs } from './proof/key-file';
import { systemClockSigner } from './proof/signing';
import { closingLine } from './report';
import { runSuite, type CaseResult, type RunFilter } from './runner';
import type { Faults } from './testing/fake-files';
import { startFakeWopiHost } from './testing/fake-wopi-host';

const casesFile = sharedPath('wopi-validator', 'TestCases.xml');
const TOKEN = 'fake-token_1.~x';
/** The runner's keys (RSA generation is slow: once for the file). */
const keys = generateKeyPairs();

/** Runs `filter` against a fresh fake host (with the given faults) and returns the results. */
async function runAgainstFakeHost(
  loaded: LoadedSuite,
  filter: RunFilter,
  options: { faults?: Faults; hostKeys?: KeyPairs; hostChecksProofs?: boolean } = {},
): Promise<CaseResult[]> {
  const hostKeys = options.hostKeys ?? keys;
  const host = await startFakeWopiHost({
    token: TOKEN,
    faults: options.faults,
    proofKeys:
      options.hostChecksProofs === false
        ? undefined
        : { current: hostKeys.current.publicKey, old: hostKeys.old.publicKey },
  });
  try {
    const env: ExecutionEnv = {
      target: {
        wopiSrc: host.wopiSrc,
        token: TOKEN,
        ttl: '0',
        resources: loaded.resources,
        signer: systemClockSigner(keys.current, keys.old),
      },
      schemas: loaded.schemas,
      http: { timeoutMs: 10_000, insecure: false },
      sleep: () => Promise.resolve(),
      now: () => Date.now(),
    };
    return await runSuite(loaded.suite, filter, env);
  } finally {
    await host.close();
  }
}

const failed = (results: CaseResult[]): string[] =>
  results.filter((result) => result.status === 'Fail').map((result) => result.name);

describe.skipIf(casesFile === undefined)(
  'the runner against a fake WOPI host (skipped without ../shared)',
  () => {
    const loaded = casesFile ? loadCases(casesFile) : undefined;
    const suite = (): LoadedSuite => loaded!;

    it('should pass every case that applies to a correct host, ProofKeys included, and skip the rest', async () => {
      const results = await runAgainstFakeHost(suite(), {});
      expect(failed(results)).toEqual([]);
      expect(closingLine(results)).toBe('63 passed, 0 failed, 161 skipped');
      const skippedByContainers = results.find((result) => result.group === 'Container');
      expect(skippedByContainers?.prereq).toBe('ContainersPrereq');
    }, 60_000);

    it('should fail exactly the cases that check X-WOPI-Lock on a 409 when the host sends a wrong lock', async () => {
      const names = suite()
        .suite.groups.filter((group) => group.name === 'Locks' || group.name === 'GetLock')
        .flatMap((group) => group.cases.map((testCase) => testCase.name));
      const failing: string[] = [];
      for (const name of names) {
        // A fresh host per case: a failed lock case leaves its lock behind, as on a real host.
        failing.push(
          ...failed(
            await runAgainstFakeHost(
              suite(),
              { cases: [name] },
              { faults: { wrongLockHeader: 'WrongLock' } },
            ),
          ),
        );
      }
      expect(failing).toEqual([
        'LockMismatchAfterUnlockAndRelockRequest',
        'UnlockUnlockedFile',
        'LockMismatchOnLockRequest',
        'LockMismatchOnUnlockRequest',
        'LockMismatchOnRefreshLockRequest',
        'LockMismatchOnUnlockAndRelockRequest',
        'LockMismatchOnPutFileRequest',
      ]);
    }, 60_000);

    it('should fail exactly files.PutFileReturnsDifferentVersion when PutFile keeps a stale version', async () => {
      const results = await runAgainstFakeHost(
        suite(),
        { groups: ['FileVersion', 'EditFlows'] },
        { faults: { staleVersion: true } },
      );
      expect(failed(results)).toEqual(['files.PutFileReturnsDifferentVersion']);
      expect(results.find((result) => result.status === 'Fail')?.reason).toBe(
        "PutFile request failed. 'X-WOPI-ItemVersion' header value should not be : '1'",
      );
    });

    it('should fail exactly the three "expect 500" ProofKeys cases against a host that does not verify proofs', async () => {
      const results = await runAgainstFakeHost(
        suite(),
        { groups: ['ProofKeys'] },
        { hostChecksProofs: false },
      );
      expect(failed(results)).toEqual([
        'ProofKeys.CurrentInvalid.OldValidSignedWithOldKey',
        'ProofKeys.CurrentInvalid.OldInvalid',
        'ProofKeys.TimestampOlderThan20Min',
      ]);
    });

    it('should skip everything when the host knows other keys than the runner signs with', async () => {
      const results = await runAgainstFakeHost(
        suite(),
        { groups: ['BaseWopiViewing'] },
        { hostKeys: generateKeyPairs() },
      );
      expect(results.map((result) => result.status)).toEqual(['Skipped', 'Skipped']);
      expect(results[0]?.reason).toBe(
        "prerequisite WopiValidatorPrereq failed: Couldn't read response content.",
      );
    });
  },
);
