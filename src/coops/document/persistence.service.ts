import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import { AppConfig } from '../../config/app-config';
import { StorageGateway } from '../../storage/storage-gateway.port';
import { StorageLockedError, StoragePreconditionError } from '../../storage/storage.errors';
import type { FileInfo } from '../../storage/storage.types';
import { makePatch, md5, mergeInto } from '../algorithm/dmp';
import { CoopsMetrics } from '../coops.metrics';
import type { SaveMark } from '../coops.types';
import { RevisionLog } from '../log/revision-log.port';
import type { CoopsDocument } from './coops-document';
import type { DocumentLifecycle } from './document-lifecycle';
import { readText } from './document-text';
import { DocumentsService } from './documents.service';
import { CoopsStorageLock } from './storage-lock';

/** How often open documents are compared with storage (outside saves), locks refreshed, idle ones closed. */
export const CHECK_INTERVAL_MS = 5_000;
const IDLE_CLOSE_MS = 30_000;
/** Replicas that only followed a change save later, so the one that made it normally saves alone. */
const FOLLOWER_SAVE_EXTRA_MS = 3_000;
const SAVE_ATTEMPTS = 3;

interface State {
  timer?: NodeJS.Timeout;
  firstPending?: number;
  flushing?: Promise<void>;
  again: boolean;
}

/**
 * Write-behind persistence of CoOPS documents to the StorageGateway. Saves are debounced
 * (`coops.saveDelay`, at most 10 s during continuous typing), run before a document is dropped and
 * at shutdown, and hold a storage lock (app `CoOPS`) while the document is open. Before every save,
 * and every few seconds, the stored file is compared with the save mark (which revision the file
 * holds, and the storage version that write produced): a different version whose content is no
 * revision of ours is a save by someone else, and enters the log as a server revision.
 */
@Injectable()
export class PersistenceService
  implements DocumentLifecycle, OnModuleInit, BeforeApplicationShutdown
{
  private readonly logger = new Logger(PersistenceService.name);
  private readonly states = new Map<string, State>();
  private interval?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly storage: StorageGateway,
    private readonly log: RevisionLog,
    private readonly documents: DocumentsService,
    private readonly metrics: CoopsMetrics,
    private readonly locks: CoopsStorageLock,
  ) {}

  onModuleInit(): void {
    this.documents.setLifecycle(this);
    this.interval = setInterval(() => {
      void this.check();
    }, CHECK_INTERVAL_MS);
    this.interval.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.interval);
  }

  async opened(doc: CoopsDocument, stored: { info: FileInfo; text: string }): Promise<void> {
    this.states.set(doc.fileId, { again: false });
    await this.locks.acquire(doc);
    const mark = await this.log.saveMark(doc.fileId);
    const current =
      mark?.version === stored.info.version
        ? mark
        : await this.reconcile(doc, stored.info, stored.text, mark);
    if (current.version === stored.info.version && current.revisionNumber >= 0) {
      doc.saved = { revision: current.revisionNumber, content: stored.text };
    }
    if (doc.isDirty(current.revisionNumber)) {
      this.schedule(doc, this.config.coops.saveDelay);
    }
  }

  changed(doc: CoopsDocument, own: boolean): void {
    this.schedule(doc, this.config.coops.saveDelay + (own ? 0 : FOLLOWER_SAVE_EXTRA_MS));
  }

  /** The last session left: save and release the lock; the first one came back: lock again. */
  presenceChanged(doc: CoopsDocument): void {
    const state = this.states.get(doc.fileId);
    if (!state) {
      return;
    }
    const held = this.locks.isHeld(doc.fileId);
    if (doc.presence.size === 0 && held) {
      void this.flush(doc).then(() =>
        doc.presence.size === 0 ? this.locks.release(doc) : undefined,
      );
    } else if (doc.presence.size > 0 && !held) {
      void this.locks.acquire(doc);
    }
  }

  async closing(doc: CoopsDocument, shutdown: boolean): Promise<boolean> {
    const state = this.states.get(doc.fileId);
    clearTimeout(state?.timer);
    await this.flush(doc);
    if (!shutdown && (doc.listenerCount > 0 || Date.now() - doc.lastActivity < IDLE_CLOSE_MS)) {
      return false;
    }
    if (doc.presence.size === 0 || (shutdown && this.log.kind === 'memory')) {
      await this.locks.release(doc);
    }
    this.states.delete(doc.fileId);
    return true;
  }

  /** Saves now (and absorbs an outside save first); concurrent calls share one run. */
  flush(doc: CoopsDocument): Promise<void> {
    const state = this.states.get(doc.fileId);
    if (!state) {
      return Promise.resolve();
    }
    if (state.flushing) {
      state.again = true;
      return state.flushing;
    }
    clearTimeout(state.timer);
    state.timer = undefined;
    state.flushing = (async () => {
      do {
        state.again = false;
        state.firstPending = undefined;
        await this.flushOnce(doc).catch((error: unknown) => {
          this.metrics.saves.inc({ outcome: 'failed' });
          this.logger.error({ fileId: doc.fileId, error: String(error) }, 'saving failed');
        });
      } while (runAgain(state));
    })().finally(() => {
      state.flushing = undefined;
    });
    return state.flushing;
  }

  private schedule(doc: CoopsDocument, delay: number): void {
    const state = this.states.get(doc.fileId);
    if (!state) {
      return;
    }
    const now = Date.now();
    state.firstPending ??= now;
    const maxWait = Math.max(this.config.coops.saveDelay, 10_000);
    const wait = Math.max(0, Math.min(delay, state.firstPending + maxWait - now));
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.flush(doc);
    }, wait);
    state.timer.unref();
  }

  private async flushOnce(doc: CoopsDocument): Promise<void> {
    const credentials = doc.credentials;
    if (!credentials) {
      return;
    }
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      let mark = await this.log.saveMark(doc.fileId);
      let info = await this.storage.stat(doc.ref, credentials);
      if (mark?.version !== info.version) {
        const download = await this.storage.download(doc.ref, credentials);
        info = download.info;
        mark = await this.reconcile(doc, info, await readText(download.body), mark);
      }
      if (!doc.isDirty(mark.revisionNumber) || !doc.canWrite) {
        return;
      }
      const { content, revision } = doc;
      const bytes = Buffer.from(content, 'utf8');
      try {
        const saved = await this.storage.upload(
          doc.ref,
          Readable.from([bytes]),
          { size: bytes.length, lockId: this.locks.idOf(doc.fileId), ifMatch: info.etag },
          credentials,
        );
        await this.log.putSaveMark(doc.fileId, {
          revisionNumber: revision,
          version: saved.version,
        });
        doc.saved = { revision, content };
        this.metrics.saves.inc({ outcome: 'saved' });
        this.logger.debug({ fileId: doc.fileId, revision }, 'document saved');
        return;
      } catch (error) {
        if (error instanceof StoragePreconditionError) {
          continue;
        }
        if (error instanceof StorageLockedError) {
          this.metrics.saves.inc({ outcome: 'failed' });
          this.logger.warn(
            { fileId: doc.fileId, lockedBy: error.current?.appName },
            'the file is locked by another app; the save is retried later',
          );
          return;
        }
        throw error;
      }
    }
  }

  /**
   * The stored file has a version no save mark explains. Its content is either a revision of ours
   * (another replica saved it) or someone else's save, which becomes a server revision (merged with
   * unsaved CoOPS edits when the base is known). Returns the new save mark.
   */
  private async reconcile(
    doc: CoopsDocument,
    info: FileInfo,
    text: string,
    mark: SaveMark | undefined,
  ): Promise<SaveMark> {
    const known = doc.revisionWithChecksum(md5(text), mark?.revisionNumber ?? 0);
    if (known !== undefined) {
      const next = { revisionNumber: known, version: info.version };
      await this.log.putSaveMark(doc.fileId, next);
      doc.saved = { revision: known, content: text };
      return next;
    }
    const base =
      mark !== undefined && doc.saved?.revision === mark.revisionNumber
        ? doc.saved.content
        : undefined;
    let holds = -1;
    await this.documents.serverRevision(doc, (current) => {
      const target =
        base !== undefined && base !== current.content
          ? (mergeInto(base, text, current.content) ?? text)
          : text;
      if (target === current.content) {
        holds = target === text ? current.revision : -1;
        return undefined;
      }
      holds = target === text ? current.revision + 1 : -1;
      return {
        patch: makePatch(current.content, target),
        checksum: md5(target),
        properties: null,
        extensions: null,
      };
    });
    this.metrics.saves.inc({ outcome: 'outside_change' });
    this.logger.log(
      { fileId: doc.fileId, version: info.version, merged: holds < 0 },
      'the file was saved by someone else; the change entered the log as a server revision',
    );
    const next = { revisionNumber: holds, version: info.version };
    await this.log.putSaveMark(doc.fileId, next);
    doc.saved = holds >= 0 ? { revision: holds, content: text } : undefined;
    return next;
  }

  /** Every few seconds: outside saves, lock refresh, closing documents nobody uses here. */
  private async check(): Promise<void> {
    const now = Date.now();
    for (const doc of this.documents.all()) {
      const state = this.states.get(doc.fileId);
      if (!state) {
        continue;
      }
      try {
        await this.locks.refresh(doc);
        if (doc.listenerCount === 0 && now - doc.lastActivity > IDLE_CLOSE_MS) {
          await this.documents.close(doc);
        } else if (!state.flushing && !state.timer) {
          await this.flush(doc);
        }
      } catch (error) {
        this.logger.warn({ fileId: doc.fileId, error: String(error) }, 'document check failed');
      }
    }
  }
}

function runAgain(state: State): boolean {
  return state.again;
}
