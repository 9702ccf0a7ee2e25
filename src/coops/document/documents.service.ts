import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { StorageGateway } from '../../storage/storage-gateway.port';
import type { VerifiedToken } from '../../tokens/access-token.types';
import { md5 } from '../algorithm/dmp';
import { RevisionConflictError, RevisionsTrimmedError, StaleRevisionError } from '../coops.errors';
import { CoopsMetrics } from '../coops.metrics';
import type { PatchInput, Revision } from '../coops.types';
import { RevisionLog, SNAPSHOT_INTERVAL, type Follower } from '../log/revision-log.port';
import { applyClientPatch } from './client-patch';
import { CoopsDocument, SERVER_SESSION } from './coops-document';
import { credentialsOf, type DocumentLifecycle, type ServerChange } from './document-lifecycle';
import { checkSize, contentTypeOf, readText } from './document-text';

const MAX_SERVER_ATTEMPTS = 20;
/** Saving at shutdown must fit the drain (http.shutdownTimeout, 8 s by default) and the exit grace. */
const SHUTDOWN_BUDGET_MS = 4000;

/**
 * The documents this replica serves: loads them from the log (or starts their log from the stored
 * file), follows the revisions other replicas append, and accepts patches with compare-and-set.
 */
@Injectable()
export class DocumentsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DocumentsService.name);
  private readonly documents = new Map<string, CoopsDocument>();
  private readonly opening = new Map<string, Promise<CoopsDocument>>();
  private readonly followers = new Map<string, Follower>();
  private lifecycle?: DocumentLifecycle;

  constructor(
    private readonly log: RevisionLog,
    private readonly storage: StorageGateway,
    private readonly metrics: CoopsMetrics,
  ) {}

  setLifecycle(lifecycle: DocumentLifecycle): void {
    this.lifecycle = lifecycle;
  }

  /** The document a verified token opens, loaded when this replica does not hold it yet. */
  async open(token: VerifiedToken): Promise<CoopsDocument> {
    let doc = this.documents.get(token.fileId);
    if (!doc) {
      let loading = this.opening.get(token.fileId);
      if (!loading) {
        loading = this.load(token).finally(() => this.opening.delete(token.fileId));
        this.opening.set(token.fileId, loading);
      }
      doc = await loading;
    }
    doc.lastActivity = Date.now();
    const canWrite = token.mode === 'write';
    if (canWrite || !doc.canWrite) {
      doc.credentials = credentialsOf(token);
      doc.canWrite = canWrite;
    }
    return doc;
  }

  all(): CoopsDocument[] {
    return [...this.documents.values()];
  }

  /** A client's patch: applied exactly at the current revision, appended, or refused. */
  patch(doc: CoopsDocument, input: PatchInput): Promise<Revision> {
    return doc.exclusive(async () => {
      if (input.revisionNumber > doc.revision) {
        await this.catchUp(doc);
      }
      if (input.revisionNumber !== doc.revision) {
        throw new StaleRevisionError(input.revisionNumber, doc.revision);
      }
      const hasPatch = input.patch !== null && input.patch.trim() !== '';
      let content: string | undefined;
      if (hasPatch) {
        content = applyClientPatch(doc, input.patch ?? '', this.logger);
        checkSize(content);
      }
      const revision: Revision = {
        sessionId: input.sessionId,
        revisionNumber: doc.revision + 1,
        patch: hasPatch ? input.patch : null,
        checksum: content === undefined ? null : md5(content),
        properties: input.properties,
        extensions: input.extensions,
        at: Date.now(),
      };
      try {
        await this.log.append(doc.fileId, revision);
      } catch (error) {
        if (error instanceof RevisionConflictError) {
          await this.catchUp(doc);
          throw new StaleRevisionError(input.revisionNumber, doc.revision);
        }
        throw error;
      }
      this.accept(doc, revision, content);
      return revision;
    });
  }

  /** Appends a revision made by the server, retrying against newer revisions until it lands. */
  async serverRevision(
    doc: CoopsDocument,
    decide: (doc: CoopsDocument) => ServerChange | undefined,
  ): Promise<Revision | undefined> {
    for (let attempt = 0; attempt < MAX_SERVER_ATTEMPTS; attempt++) {
      const result = await doc.exclusive(async () => {
        const change = decide(doc);
        if (!change) {
          return { done: true as const, revision: undefined };
        }
        const revision: Revision = {
          sessionId: SERVER_SESSION,
          revisionNumber: doc.revision + 1,
          ...change,
          at: Date.now(),
        };
        try {
          await this.log.append(doc.fileId, revision);
        } catch (error) {
          if (error instanceof RevisionConflictError) {
            await this.catchUp(doc);
            return { done: false as const, revision: undefined };
          }
          throw error;
        }
        this.accept(doc, revision);
        return { done: true as const, revision };
      });
      if (result.done) {
        return result.revision;
      }
    }
    throw new Error(`could not append a server revision to ${doc.fileId}`);
  }

  /** Revisions after `after` (from memory, or the log for clients far behind). */
  async revisionsAfter(doc: CoopsDocument, after: number): Promise<Revision[]> {
    return doc.revisionsAfter(after) ?? (await this.log.read(doc.fileId, after));
  }

  /** Drops a document from memory after persistence saved it (and released the lock). */
  async close(doc: CoopsDocument, shutdown = false): Promise<void> {
    if (this.lifecycle && !(await this.lifecycle.closing(doc, shutdown))) {
      return;
    }
    this.documents.delete(doc.fileId);
    await this.followers.get(doc.fileId)?.close();
    this.followers.delete(doc.fileId);
    this.log.forget(doc.fileId);
    this.metrics.documents.set(this.documents.size);
  }

  /** Saves and closes every document, within the drain budget (the process exits soon after). */
  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(this.all().map((doc) => this.close(doc, true))),
      new Promise((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_BUDGET_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private async load(token: VerifiedToken): Promise<CoopsDocument> {
    const credentials = credentialsOf(token);
    const ref = { resourceId: token.resourceId };
    const { info, body } = await this.storage.download(ref, credentials);
    const text = await readText(body);
    const loaded =
      (await this.log.load(token.fileId)) ??
      (await this.log.create(token.fileId, {
        revisionNumber: 0,
        content: text,
        properties: {},
        presence: [],
      }));
    const doc = new CoopsDocument(
      token.fileId,
      ref,
      info.name,
      contentTypeOf(info.name),
      loaded.snapshot,
    );
    doc.credentials = credentials;
    doc.canWrite = token.mode === 'write';
    for (const revision of loaded.revisions) {
      doc.apply(revision);
    }
    this.followers.set(
      doc.fileId,
      await this.log.follow(doc.fileId, doc.revision, (revision) => {
        doc
          .exclusive(() => this.followed(doc, revision))
          .catch((error: unknown) => {
            this.logger.warn(
              { fileId: doc.fileId, error: String(error) },
              'could not apply a revision from the log; the next request catches up',
            );
          });
      }),
    );
    this.documents.set(doc.fileId, doc);
    this.metrics.documents.set(this.documents.size);
    try {
      await this.lifecycle?.opened(doc, { info, text });
    } catch (error) {
      await this.close(doc, true);
      throw error;
    }
    return doc;
  }

  private async followed(doc: CoopsDocument, revision: Revision): Promise<void> {
    if (revision.revisionNumber <= doc.revision) {
      return;
    }
    if (revision.revisionNumber === doc.revision + 1) {
      try {
        this.accept(doc, revision, undefined, false);
        return;
      } catch (error) {
        this.logger.error(
          { fileId: doc.fileId, revision: revision.revisionNumber, error: String(error) },
          'a revision from the log does not apply here; reloading the document',
        );
        await this.reload(doc);
        return;
      }
    }
    await this.catchUp(doc);
  }

  /** Applies what the log has beyond this replica's revision. */
  private async catchUp(doc: CoopsDocument): Promise<void> {
    let revisions: Revision[];
    try {
      revisions = await this.log.read(doc.fileId, doc.revision);
    } catch (error) {
      if (error instanceof RevisionsTrimmedError) {
        await this.reload(doc);
        return;
      }
      throw error;
    }
    for (const revision of revisions) {
      if (revision.revisionNumber === doc.revision + 1) {
        this.accept(doc, revision, undefined, false);
      }
    }
  }

  private async reload(doc: CoopsDocument): Promise<void> {
    const loaded = await this.log.load(doc.fileId);
    if (loaded) {
      doc.reset(loaded.snapshot);
      for (const revision of loaded.revisions) {
        doc.apply(revision);
      }
    }
  }

  private accept(doc: CoopsDocument, revision: Revision, content?: string, own = true): void {
    const before = doc.contentRevision;
    const present = doc.presence.size;
    doc.apply(revision, content);
    if (doc.presence.size !== present) {
      this.lifecycle?.presenceChanged(doc);
    }
    if (own && revision.revisionNumber % SNAPSHOT_INTERVAL === 0) {
      this.log.putSnapshot(doc.fileId, doc.snapshot()).catch((error: unknown) => {
        this.logger.warn({ fileId: doc.fileId, error: String(error) }, 'snapshot failed');
      });
    }
    if (doc.contentRevision !== before) {
      this.lifecycle?.changed(doc, own);
    }
  }
}
