import type { FileRef, StorageCredentials } from '../../storage/storage.types';
import { applyPatch, md5, PatchMismatchError } from '../algorithm/dmp';
import type { Presence, Properties, Revision, SessionEvent, Snapshot } from '../coops.types';

/** The session id of revisions the server makes (presence, saves by other editors). */
export const SERVER_SESSION = 'server';

/** Recent revisions each replica keeps in memory per open document; older ones come from the log. */
const WINDOW = 2048;

/**
 * One document as this replica knows it: the newest revision it has applied, the content and
 * properties at that revision, who is present, and the recent revisions. Every change goes through
 * `exclusive`, one at a time, so revisions are applied in order, exactly once.
 */
export class CoopsDocument {
  content = '';
  checksum = '';
  revision = 0;
  /** The newest revision that changed the content. */
  contentRevision = 0;
  properties: Properties = {};
  readonly presence = new Map<string, Presence>();
  /** The stored file's content when it is known to be that of `savedRevision`. */
  saved?: { revision: number; content: string };
  /** Latest credentials a request brought (write-capable ones preferred), for background saves. */
  credentials?: StorageCredentials;
  canWrite = false;
  /** Epoch ms of the last request for this document on this replica. */
  lastActivity = Date.now();
  private window: Revision[] = [];
  private readonly listeners = new Set<() => void>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly fileId: string,
    readonly ref: FileRef,
    readonly name: string,
    readonly contentType: string,
    snapshot: Snapshot,
  ) {
    this.reset(snapshot);
  }

  /** Runs `section` after every section queued before it. */
  exclusive<T>(section: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(section, section);
    this.tail = run.catch(() => undefined);
    return run;
  }

  reset(snapshot: Snapshot): void {
    this.content = snapshot.content;
    this.checksum = md5(snapshot.content);
    this.revision = snapshot.revisionNumber;
    this.contentRevision = snapshot.revisionNumber;
    this.properties = { ...snapshot.properties };
    this.presence.clear();
    for (const entry of snapshot.presence) {
      this.presence.set(entry.sessionId, entry);
    }
    this.window = [];
  }

  /** Applies the next revision; the new content may be given when the caller computed it already. */
  apply(revision: Revision, content?: string): void {
    if (revision.revisionNumber !== this.revision + 1) {
      throw new Error(
        `revision ${String(revision.revisionNumber)} does not follow ${String(this.revision)}`,
      );
    }
    if (revision.patch !== null && revision.patch.trim() !== '') {
      const next = content ?? applyPatch(this.content, revision.patch);
      const checksum = md5(next);
      if (revision.checksum !== null && revision.checksum !== checksum) {
        throw new PatchMismatchError(
          `checksum of revision ${String(revision.revisionNumber)} does not match`,
        );
      }
      this.content = next;
      this.checksum = checksum;
      this.contentRevision = revision.revisionNumber;
    }
    if (revision.properties) {
      Object.assign(this.properties, revision.properties);
    }
    if (revision.sessionId === SERVER_SESSION) {
      for (const event of sessionEventsOf(revision)) {
        if (event.status === 'OPEN') {
          this.presence.set(event.sessionId, {
            sessionId: event.sessionId,
            displayName: event.displayName,
            email: event.email,
          });
        } else {
          this.presence.delete(event.sessionId);
        }
      }
    }
    this.revision = revision.revisionNumber;
    this.window.push(revision);
    if (this.window.length > WINDOW) {
      this.window.splice(0, this.window.length - WINDOW);
    }
    for (const listener of this.listeners) {
      listener();
    }
  }

  /** Revisions after `after` from memory; undefined when they are older than the window. */
  revisionsAfter(after: number): Revision[] | undefined {
    if (after >= this.revision) {
      return [];
    }
    const first = this.window[0]?.revisionNumber;
    if (first === undefined || first > after + 1) {
      return undefined;
    }
    return this.window.slice(after + 1 - first);
  }

  /** The newest revision whose content has this md5, not older than `from`. */
  revisionWithChecksum(checksum: string, from: number): number | undefined {
    if (checksum === this.checksum) {
      return this.revision;
    }
    for (let i = this.window.length - 1; i >= 0; i--) {
      const revision = this.window[i];
      if (!revision || revision.revisionNumber < from) {
        break;
      }
      if (revision.checksum === checksum) {
        return revision.revisionNumber;
      }
    }
    return undefined;
  }

  snapshot(): Snapshot {
    return {
      revisionNumber: this.revision,
      content: this.content,
      properties: { ...this.properties },
      presence: [...this.presence.values()],
    };
  }

  /** Calls `listener` after every applied revision; returns the function that stops it. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Whether the content changed after the stored file was last known to hold it. */
  isDirty(savedRevision: number | undefined): boolean {
    return savedRevision === undefined || this.contentRevision > savedRevision;
  }
}

export function sessionEventsOf(revision: Pick<Revision, 'extensions'>): SessionEvent[] {
  const events = revision.extensions?.['sessionEvents'];
  return Array.isArray(events)
    ? events.filter(
        (e): e is SessionEvent =>
          typeof e === 'object' &&
          e !== null &&
          typeof (e as SessionEvent).sessionId === 'string' &&
          ((e as SessionEvent).status === 'OPEN' || (e as SessionEvent).status === 'CLOSE'),
      )
    : [];
}
