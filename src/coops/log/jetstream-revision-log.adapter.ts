import { type ConsumerMessages } from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { UnavailableError } from '../../common/errors/app-error';
import type { NatsService } from '../../nats/nats.service';
import type { HealthReport } from '../../storage/storage.types';
import { RevisionConflictError, RevisionsTrimmedError } from '../coops.errors';
import type { Revision, SaveMark, Snapshot } from '../coops.types';
import {
  COOPS_STREAM,
  isWrongLastSequence,
  setUpJetStream,
  subjectOf,
  unavailable,
  type JetStreamHandles,
} from './jetstream-setup';
import { decodeValue, encodeValue } from './log-codec';
import { RevisionLog, type Follower, type LoadedLog } from './revision-log.port';

const READ_TIMEOUT_MS = 5000;
/** Sequence numbers remembered per document, to start reads and compare-and-set without a lookup. */
const REMEMBERED_SEQUENCES = 2 * 1024;

interface StoredSnapshot extends Snapshot {
  /** Stream sequence of the snapshot's revision; 0 when the document had none yet. */
  seq: number;
}

interface Positions {
  head: number;
  headSeq: number;
  seqs: Map<number, number>;
}

/**
 * Revisions in one JetStream stream per deployment (`COOPS`, subject `coops.rev.<fileId>`), appended
 * with `Nats-Expected-Last-Subject-Sequence` (compare-and-set on the document's newest revision) and
 * a `Nats-Msg-Id` per attempt (a retried publish is stored once). Snapshots live in the KV bucket
 * `coops-snapshots` (a history per document), save marks in `coops-files`.
 */
export class JetStreamRevisionLog extends RevisionLog {
  readonly kind = 'jetstream';
  private readonly logger = new Logger(JetStreamRevisionLog.name);
  private handles?: Promise<JetStreamHandles>;
  private readonly positions = new Map<string, Positions>();

  constructor(private readonly nats: NatsService) {
    super();
  }

  async load(fileId: string): Promise<LoadedLog | undefined> {
    const { snapshots } = await this.ready();
    const entry = await snapshots.get(fileId);
    if (entry?.operation !== 'PUT') {
      return undefined;
    }
    const snapshot = decodeValue(entry.value) as StoredSnapshot;
    this.remember(fileId, snapshot.revisionNumber, snapshot.seq);
    const revisions = await this.readFrom(fileId, snapshot.seq + 1, snapshot.revisionNumber);
    return { snapshot: withoutSeq(snapshot), revisions };
  }

  async create(fileId: string, base: Snapshot): Promise<LoadedLog> {
    const { snapshots } = await this.ready();
    // A log whose snapshots were lost keeps its numbering: start after its newest revision.
    const last = await this.last(fileId);
    const stored: StoredSnapshot = {
      ...base,
      revisionNumber: last?.revision.revisionNumber ?? base.revisionNumber,
      seq: last?.seq ?? 0,
    };
    try {
      await snapshots.create(fileId, encodeValue(stored));
    } catch (error) {
      if (isWrongLastSequence(error)) {
        const existing = await this.load(fileId);
        if (existing) {
          return existing;
        }
      }
      throw error;
    }
    this.remember(fileId, stored.revisionNumber, stored.seq);
    return { snapshot: withoutSeq(stored), revisions: [] };
  }

  async read(fileId: string, after: number): Promise<Revision[]> {
    const known = this.positions.get(fileId)?.seqs.get(after);
    if (known !== undefined) {
      return this.readFrom(fileId, known + 1, after);
    }
    const snapshot = await this.storedSnapshotAtOrBefore(fileId, after);
    if (!snapshot) {
      if (!(await (await this.ready()).snapshots.get(fileId))) {
        return [];
      }
      throw new RevisionsTrimmedError(`revisions after ${String(after)} are no longer kept`);
    }
    return this.readFrom(fileId, snapshot.seq + 1, after);
  }

  async append(fileId: string, revision: Revision): Promise<void> {
    const { js } = await this.ready();
    let position = this.positions.get(fileId);
    if (position?.head !== revision.revisionNumber - 1) {
      await this.refreshHead(fileId);
      position = this.positions.get(fileId);
      if (position?.head !== revision.revisionNumber - 1) {
        throw new RevisionConflictError(`revision ${String(revision.revisionNumber)} is not next`);
      }
    }
    try {
      const ack = await js.publish(subjectOf(fileId), encodeValue(revision), {
        msgID: `${fileId}.${String(revision.revisionNumber)}.${randomUUID()}`,
        expect: { lastSubjectSequence: position.headSeq },
      });
      this.remember(fileId, revision.revisionNumber, ack.seq);
    } catch (error) {
      if (isWrongLastSequence(error)) {
        await this.refreshHead(fileId);
        throw new RevisionConflictError(`revision ${String(revision.revisionNumber)} was taken`);
      }
      throw unavailable(error);
    }
  }

  async putSnapshot(fileId: string, snapshot: Snapshot): Promise<void> {
    const seq = this.positions.get(fileId)?.seqs.get(snapshot.revisionNumber);
    if (seq === undefined) {
      return;
    }
    const { snapshots } = await this.ready();
    await snapshots.put(fileId, encodeValue({ ...snapshot, seq }));
  }

  async snapshotAtOrBefore(fileId: string, revisionNumber: number): Promise<Snapshot | undefined> {
    const stored = await this.storedSnapshotAtOrBefore(fileId, revisionNumber);
    return stored && withoutSeq(stored);
  }

  async follow(
    fileId: string,
    after: number,
    onRevision: (revision: Revision) => void,
  ): Promise<Follower> {
    const { js } = await this.ready();
    let nextSeq = this.positions.get(fileId)?.seqs.get(after);
    if (nextSeq === undefined) {
      throw new Error(`follow ${fileId}: position of revision ${String(after)} unknown`);
    }
    nextSeq++;
    const state: { closed: boolean; messages?: ConsumerMessages } = { closed: false };
    const isClosed = (): boolean => state.closed;
    const run = async (): Promise<void> => {
      // An ordered consumer recovers from reconnects by itself; should it still end, follow again
      // from the next sequence, so this replica never stops seeing other replicas' revisions.
      while (!isClosed()) {
        try {
          const consumer = await js.consumers.get(COOPS_STREAM, {
            filter_subjects: subjectOf(fileId),
            opt_start_seq: nextSeq,
          });
          const messages = await consumer.consume();
          state.messages = messages;
          if (isClosed()) {
            await messages.close();
            return;
          }
          for await (const message of messages) {
            const revision = decodeValue(message.data) as Revision;
            this.remember(fileId, revision.revisionNumber, message.seq);
            nextSeq = message.seq + 1;
            onRevision(revision);
          }
        } catch (error) {
          this.logger.warn({ fileId, error: String(error) }, 'revision follower interrupted');
        }
        if (!isClosed()) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    };
    void run();
    return {
      close: async () => {
        state.closed = true;
        await state.messages?.close().catch(() => undefined);
      },
    };
  }

  async saveMark(fileId: string): Promise<SaveMark | undefined> {
    const { saveMarks } = await this.ready();
    const entry = await saveMarks.get(fileId);
    return entry?.operation === 'PUT' ? (decodeValue(entry.value) as SaveMark) : undefined;
  }

  async putSaveMark(fileId: string, mark: SaveMark): Promise<void> {
    const { saveMarks } = await this.ready();
    await saveMarks.put(fileId, encodeValue(mark));
  }

  async health(): Promise<HealthReport> {
    if (!this.nats.configured) {
      return { status: 'down', log: 'jetstream', error: 'COLLABORATION_NATS_URL is not set' };
    }
    if (!this.nats.current()) {
      return { status: 'down', log: 'jetstream', error: 'NATS is not connected' };
    }
    try {
      await this.ready();
      return { status: 'up', log: 'jetstream', stream: COOPS_STREAM };
    } catch (error) {
      return { status: 'down', log: 'jetstream', error: String(error) };
    }
  }

  private ready(): Promise<JetStreamHandles> {
    this.handles ??= setUpJetStream(this.nats).catch((error: unknown) => {
      this.handles = undefined;
      throw unavailable(error);
    });
    return this.handles;
  }

  private async storedSnapshotAtOrBefore(
    fileId: string,
    revisionNumber: number,
  ): Promise<StoredSnapshot | undefined> {
    const { snapshots } = await this.ready();
    let found: StoredSnapshot | undefined;
    const entries = await snapshots.history({ key: fileId });
    for await (const entry of entries) {
      if (entry.operation === 'PUT') {
        const snapshot = decodeValue(entry.value) as StoredSnapshot;
        if (
          snapshot.revisionNumber <= revisionNumber &&
          snapshot.revisionNumber >= (found?.revisionNumber ?? -1)
        ) {
          found = snapshot;
        }
      }
    }
    return found;
  }

  private async last(fileId: string): Promise<{ revision: Revision; seq: number } | undefined> {
    const { js } = await this.ready();
    const jsm = await js.jetstreamManager();
    const message = await jsm.streams.getMessage(COOPS_STREAM, { last_by_subj: subjectOf(fileId) });
    return message
      ? { revision: decodeValue(message.data) as Revision, seq: message.seq }
      : undefined;
  }

  private async refreshHead(fileId: string): Promise<void> {
    const last = await this.last(fileId);
    if (last) {
      this.remember(fileId, last.revision.revisionNumber, last.seq);
    }
  }

  /** Reads the document's messages from `startSeq` to the newest one; keeps revisions after `after`. */
  private async readFrom(fileId: string, startSeq: number, after: number): Promise<Revision[]> {
    const last = await this.last(fileId);
    if (!last || last.seq < startSeq) {
      return [];
    }
    const { js } = await this.ready();
    const consumer = await js.consumers.get(COOPS_STREAM, {
      filter_subjects: subjectOf(fileId),
      opt_start_seq: startSeq,
    });
    const messages: ConsumerMessages = await consumer.consume();
    const revisions: Revision[] = [];
    const outcome = { timedOut: false };
    const timer = setTimeout(() => {
      outcome.timedOut = true;
      void messages.close();
    }, READ_TIMEOUT_MS);
    try {
      for await (const message of messages) {
        const revision = decodeValue(message.data) as Revision;
        this.remember(fileId, revision.revisionNumber, message.seq);
        if (revision.revisionNumber > after) {
          revisions.push(revision);
        }
        if (message.seq >= last.seq) {
          break;
        }
      }
    } finally {
      clearTimeout(timer);
      await messages.close().catch(() => undefined);
    }
    if (outcome.timedOut) {
      throw new UnavailableError('reading the revision log timed out');
    }
    return revisions;
  }

  private remember(fileId: string, revisionNumber: number, seq: number): void {
    let position = this.positions.get(fileId);
    if (!position) {
      position = { head: revisionNumber, headSeq: seq, seqs: new Map() };
      this.positions.set(fileId, position);
    }
    position.seqs.set(revisionNumber, seq);
    if (position.seqs.size > REMEMBERED_SEQUENCES) {
      const oldest = position.seqs.keys().next().value;
      if (oldest !== undefined) {
        position.seqs.delete(oldest);
      }
    }
    if (revisionNumber >= position.head) {
      position.head = revisionNumber;
      position.headSeq = seq;
    }
  }

  override forget(fileId: string): void {
    this.positions.delete(fileId);
  }
}

function withoutSeq({ seq: _seq, ...snapshot }: StoredSnapshot): Snapshot {
  return snapshot;
}
