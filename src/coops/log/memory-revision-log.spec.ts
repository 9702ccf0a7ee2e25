import { describe, expect, it } from 'vitest';
import { describeRevisionLogContract } from '../../../test/support/revision-log-contract';
import { RevisionsTrimmedError } from '../coops.errors';
import { MemoryRevisionLog } from './memory-revision-log.adapter';
import { RETAINED_REVISIONS } from './revision-log.port';

describeRevisionLogContract('memory', () => {
  const log = new MemoryRevisionLog();
  return Promise.resolve({ log, other: log, dispose: () => Promise.resolve() });
});

describe(MemoryRevisionLog.name, () => {
  it('should keep at least the last 10,000 revisions and say when older ones are gone', async () => {
    const log = new MemoryRevisionLog();
    await log.create('f', { revisionNumber: 0, content: '', properties: {}, presence: [] });
    const total = RETAINED_REVISIONS + 50;
    for (let n = 1; n <= total; n++) {
      await log.append('f', {
        sessionId: 's',
        revisionNumber: n,
        patch: null,
        checksum: null,
        properties: null,
        extensions: null,
      });
    }
    expect(RETAINED_REVISIONS).toBeGreaterThanOrEqual(10_000);
    expect(await log.read('f', total - 10_000)).toHaveLength(10_000);
    await expect(log.read('f', 10)).rejects.toBeInstanceOf(RevisionsTrimmedError);
  });
});
