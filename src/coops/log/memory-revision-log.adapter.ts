import type { HealthReport } from '../../storage/storage.types';
import { RevisionConflictError, RevisionsTrimmedError } from '../coops.errors';
import type { Revision, SaveMark, Snapshot } from '../coops.types';
import {
  RETAINED_REVISIONS,
  RETAINED_SNAPSHOTS,
  RevisionLog,
  type Follower,
  type LoadedLog,
} from './revision-log.port';

interface FileLog {
  snapshots: Snapshot[];
  revisions: Revision[];
  head: number;
  followers: Set<(revision: Revision) => void>;
  saveMark?: SaveMark;
}

/** The embedded default: one process, nothing shared. Bounded like the JetStream log. */
export class MemoryRevisionLog extends RevisionLog {
  readonly kind = 'memory';
  private readonly files = new Map<string, FileLog>();

  load(fileId: string): Promise<LoadedLog | undefined> {
    const log = this.files.get(fileId);
    if (!log) {
      return Promise.resolve(undefined);
    }
    const snapshot = log.snapshots[log.snapshots.length - 1];
    if (!snapshot) {
      return Promise.resolve(undefined);
    }
    return Promise.resolve({
      snapshot: clone(snapshot),
      revisions: log.revisions.filter((r) => r.revisionNumber > snapshot.revisionNumber),
    });
  }

  async create(fileId: string, base: Snapshot): Promise<LoadedLog> {
    const existing = await this.load(fileId);
    if (existing) {
      return existing;
    }
    this.files.set(fileId, {
      snapshots: [clone(base)],
      revisions: [],
      head: base.revisionNumber,
      followers: new Set(),
    });
    return { snapshot: clone(base), revisions: [] };
  }

  read(fileId: string, after: number): Promise<Revision[]> {
    const log = this.files.get(fileId);
    if (!log) {
      return Promise.resolve([]);
    }
    const first = log.revisions[0]?.revisionNumber ?? log.head + 1;
    if (after < first - 1 && after < log.head) {
      return Promise.reject(
        new RevisionsTrimmedError(`revisions after ${String(after)} are no longer kept`),
      );
    }
    return Promise.resolve(log.revisions.filter((r) => r.revisionNumber > after));
  }

  append(fileId: string, revision: Revision): Promise<void> {
    const log = this.files.get(fileId);
    if (!log || revision.revisionNumber !== log.head + 1) {
      return Promise.reject(
        new RevisionConflictError(`revision ${String(revision.revisionNumber)} is not next`),
      );
    }
    const stored = clone(revision);
    log.revisions.push(stored);
    log.head = stored.revisionNumber;
    if (log.revisions.length > RETAINED_REVISIONS) {
      log.revisions.splice(0, log.revisions.length - RETAINED_REVISIONS);
    }
    for (const follower of log.followers) {
      queueMicrotask(() => {
        follower(stored);
      });
    }
    return Promise.resolve();
  }

  putSnapshot(fileId: string, snapshot: Snapshot): Promise<void> {
    const log = this.files.get(fileId);
    if (log) {
      log.snapshots.push(clone(snapshot));
      if (log.snapshots.length > RETAINED_SNAPSHOTS) {
        log.snapshots.splice(0, log.snapshots.length - RETAINED_SNAPSHOTS);
      }
    }
    return Promise.resolve();
  }

  snapshotAtOrBefore(fileId: string, revisionNumber: number): Promise<Snapshot | undefined> {
    const snapshots = this.files.get(fileId)?.snapshots ?? [];
    const found = snapshots.filter((s) => s.revisionNumber <= revisionNumber).pop();
    return Promise.resolve(found && clone(found));
  }

  follow(
    fileId: string,
    after: number,
    onRevision: (revision: Revision) => void,
  ): Promise<Follower> {
    const log = this.files.get(fileId);
    if (!log) {
      return Promise.reject(new Error(`no log for ${fileId}`));
    }
    for (const revision of log.revisions.filter((r) => r.revisionNumber > after)) {
      queueMicrotask(() => {
        onRevision(revision);
      });
    }
    log.followers.add(onRevision);
    return Promise.resolve({
      close: () => {
        log.followers.delete(onRevision);
        return Promise.resolve();
      },
    });
  }

  saveMark(fileId: string): Promise<SaveMark | undefined> {
    return Promise.resolve(this.files.get(fileId)?.saveMark);
  }

  putSaveMark(fileId: string, mark: SaveMark): Promise<void> {
    const log = this.files.get(fileId);
    if (log) {
      log.saveMark = { ...mark };
    }
    return Promise.resolve();
  }

  health(): Promise<HealthReport> {
    return Promise.resolve({ status: 'up', log: 'memory', documents: this.files.size });
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
