import type { HealthReport } from '../../storage/storage.types';
import type { Revision, SaveMark, Snapshot } from '../coops.types';

/** A snapshot every this many revisions bounds how much a replica replays when it loads a document. */
export const SNAPSHOT_INTERVAL = 200;

/** Revisions kept per document (at least 10,000, plus the snapshot interval so replay always works). */
export const RETAINED_REVISIONS = 10_000 + 2 * SNAPSHOT_INTERVAL;

/** Snapshots kept per document: enough to rebuild any retained revision. */
export const RETAINED_SNAPSHOTS = Math.ceil(RETAINED_REVISIONS / SNAPSHOT_INTERVAL) + 2;

/** The newest snapshot of a document and every revision after it, in order. */
export interface LoadedLog {
  snapshot: Snapshot;
  revisions: Revision[];
}

export interface Follower {
  close(): Promise<void>;
}

/**
 * The ordered log of a document's revisions, shared by every replica that serves the document.
 *
 * - `append` is compare-and-set: it succeeds only when the revision directly follows the newest one
 *   in the log, else RevisionConflictError (another replica was first; read and decide again).
 *   Revision numbers are therefore unique and gap-free per document.
 * - A document's log starts with a snapshot of its stored content (`create`, first one wins) and
 *   never restarts: revision numbers keep growing across sessions.
 * - `follow` delivers every revision appended after `after`, by any replica, in order.
 */
export abstract class RevisionLog {
  abstract readonly kind: 'memory' | 'jetstream';

  /** Undefined when the document has no log yet. */
  abstract load(fileId: string): Promise<LoadedLog | undefined>;

  /** Starts the log from `base`; when another replica was first, returns that log instead. */
  abstract create(fileId: string, base: Snapshot): Promise<LoadedLog>;

  /** Revisions after `after`, ascending; RevisionsTrimmedError when they are older than the log keeps. */
  abstract read(fileId: string, after: number): Promise<Revision[]>;

  abstract append(fileId: string, revision: Revision): Promise<void>;

  abstract putSnapshot(fileId: string, snapshot: Snapshot): Promise<void>;

  /** The newest snapshot at or before `revisionNumber`. */
  abstract snapshotAtOrBefore(
    fileId: string,
    revisionNumber: number,
  ): Promise<Snapshot | undefined>;

  abstract follow(
    fileId: string,
    after: number,
    onRevision: (revision: Revision) => void,
  ): Promise<Follower>;

  abstract saveMark(fileId: string): Promise<SaveMark | undefined>;

  abstract putSaveMark(fileId: string, mark: SaveMark): Promise<void>;

  abstract health(): Promise<HealthReport>;

  /** Drops what the adapter remembers about a document this replica no longer serves. */
  forget(_fileId: string): void {
    // nothing to drop by default
  }
}
