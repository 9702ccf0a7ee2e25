import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RevisionConflictError } from '../../src/coops/coops.errors';
import type { Revision, Snapshot } from '../../src/coops/coops.types';
import type { RevisionLog } from '../../src/coops/log/revision-log.port';

export interface RevisionLogFixture {
  log: RevisionLog;
  /** Another replica's view of the same log (the same instance where there is only one). */
  other: RevisionLog;
  dispose(): Promise<void>;
}

let counter = 0;

function base(revisionNumber = 0, content = 'hello'): Snapshot {
  return { revisionNumber, content, properties: { title: 't' }, presence: [] };
}

function revision(revisionNumber: number, sessionId = 's1'): Revision {
  return {
    sessionId,
    revisionNumber,
    patch: null,
    checksum: null,
    properties: { n: String(revisionNumber) },
    extensions: null,
  };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What every RevisionLog adapter guarantees; the CoOPS documents rely on exactly this. */
export function describeRevisionLogContract(
  name: string,
  makeFixture: () => Promise<RevisionLogFixture>,
): void {
  describe(`RevisionLog contract: ${name}`, () => {
    let f: RevisionLogFixture;
    let fileId: string;

    beforeEach(async () => {
      f = await makeFixture();
      fileId = `file${String(++counter)}${String(Date.now())}`;
    });

    afterEach(async () => {
      await f.dispose();
    });

    it('should have no log for an unknown document', async () => {
      expect(await f.log.load(fileId)).toBeUndefined();
      expect(await f.log.read(fileId, 0)).toEqual([]);
    });

    it('should start a log once: the second create gets the first one', async () => {
      const first = await f.log.create(fileId, base(0, 'first'));
      expect(first).toEqual({ snapshot: base(0, 'first'), revisions: [] });
      const second = await f.other.create(fileId, base(0, 'second'));
      expect(second.snapshot.content).toBe('first');
      expect((await f.other.load(fileId))?.snapshot.content).toBe('first');
    });

    it('should append only the next revision, in order, and read them back', async () => {
      await f.log.create(fileId, base());
      await f.log.append(fileId, revision(1));
      await f.log.append(fileId, revision(2));
      await expect(f.log.append(fileId, revision(2))).rejects.toBeInstanceOf(RevisionConflictError);
      await expect(f.log.append(fileId, revision(4))).rejects.toBeInstanceOf(RevisionConflictError);
      expect((await f.log.read(fileId, 0)).map((r) => r.revisionNumber)).toEqual([1, 2]);
      expect(await f.log.read(fileId, 1)).toEqual([revision(2)]);
      expect(await f.log.read(fileId, 2)).toEqual([]);
      expect((await f.other.load(fileId))?.revisions).toEqual([revision(1), revision(2)]);
    });

    it('should let exactly one of two replicas append the same revision number', async () => {
      await f.log.create(fileId, base());
      await f.other.load(fileId);
      const results = await Promise.allSettled([
        f.log.append(fileId, revision(1, 'a')),
        f.other.append(fileId, revision(1, 'b')),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(RevisionConflictError);
      const stored = await f.log.read(fileId, 0);
      expect(stored).toHaveLength(1);
      // The loser appends after reading what it missed.
      const loser = results[0].status === 'rejected' ? f.log : f.other;
      expect((await loser.read(fileId, 0)).map((r) => r.revisionNumber)).toEqual([1]);
      await loser.append(fileId, revision(2, 'c'));
      expect((await f.log.read(fileId, 0)).map((r) => r.sessionId)).toEqual([
        stored[0]?.sessionId,
        'c',
      ]);
    });

    it("should deliver every replica's revisions to a follower, in order, from where it starts", async () => {
      await f.log.create(fileId, base());
      await f.log.append(fileId, revision(1));
      await f.other.load(fileId);
      const seen: number[] = [];
      const follower = await f.other.follow(fileId, 1, (r) => seen.push(r.revisionNumber));
      try {
        await f.log.append(fileId, revision(2));
        await f.other.append(fileId, revision(3));
        await f.log.read(fileId, 0);
        await f.log.append(fileId, revision(4));
        await until(() => seen.length >= 3);
        expect(seen).toEqual([2, 3, 4]);
      } finally {
        await follower.close();
      }
    });

    it('should load from the newest snapshot and find older ones', async () => {
      await f.log.create(fileId, base(0, 'v0'));
      for (let n = 1; n <= 5; n++) {
        await f.log.append(fileId, revision(n));
        if (n === 2 || n === 4) {
          await f.log.putSnapshot(fileId, base(n, `v${String(n)}`));
        }
      }
      const loaded = await f.other.load(fileId);
      expect(loaded?.snapshot.content).toBe('v4');
      expect(loaded?.revisions.map((r) => r.revisionNumber)).toEqual([5]);
      expect((await f.log.snapshotAtOrBefore(fileId, 3))?.content).toBe('v2');
      expect((await f.log.snapshotAtOrBefore(fileId, 1))?.content).toBe('v0');
      expect((await f.other.read(fileId, 1)).map((r) => r.revisionNumber)).toEqual([2, 3, 4, 5]);
    });

    it('should keep large documents', async () => {
      const big = 'lorem ipsum dolor sit amet, ü€😀\n'.repeat(60_000);
      await f.log.create(fileId, base(0, big));
      expect((await f.other.load(fileId))?.snapshot.content).toBe(big);
    });

    it('should keep the save mark', async () => {
      await f.log.create(fileId, base());
      expect(await f.log.saveMark(fileId)).toBeUndefined();
      await f.log.putSaveMark(fileId, { revisionNumber: 3, version: 'v1' });
      expect(await f.other.saveMark(fileId)).toEqual({ revisionNumber: 3, version: 'v1' });
    });
  });
}
