import { Injectable, Logger } from '@nestjs/common';
import type { ResourceId, StorageCredentials } from '../storage/storage.types';
import { DocumentsService } from './document/documents.service';
import { PersistenceService } from './document/persistence.service';

/** An open CoOPS document, for the operator API. */
export interface OpenCoopsDocument {
  fileId: string;
  resourceId: ResourceId;
  path: string;
  revision: number;
  /** Sessions present plus live listeners (WebSockets, long polls). */
  clients: number;
  /** Edits not saved to storage yet. */
  dirty: boolean;
  /** The credentials background saves use (never leave the process). */
  credentials?: StorageCredentials;
}

/**
 * What other modules may do with this replica's open CoOPS documents: list them, save them now,
 * and react to changes of their files made elsewhere (oCIS events).
 */
@Injectable()
export class CoopsDocumentsControl {
  private readonly logger = new Logger(CoopsDocumentsControl.name);

  constructor(
    private readonly documents: DocumentsService,
    private readonly persistence: PersistenceService,
  ) {}

  list(): OpenCoopsDocument[] {
    return this.documents.all().map((doc) => ({
      fileId: doc.fileId,
      resourceId: doc.ref.resourceId,
      path: doc.ref.path ?? doc.name,
      revision: doc.revision,
      clients: doc.presence.size + doc.listenerCount,
      dirty: doc.isDirty(doc.saved?.revision),
      ...(doc.credentials ? { credentials: doc.credentials } : {}),
    }));
  }

  isOpen(fileId: string): boolean {
    return this.documents.all().some((doc) => doc.fileId === fileId);
  }

  /** Saves the open documents (or one) now; the file ids that were open. */
  async flush(fileId?: string): Promise<string[]> {
    const docs = this.documents
      .all()
      .filter((doc) => fileId === undefined || doc.fileId === fileId);
    await Promise.all(docs.map((doc) => this.persistence.flush(doc)));
    return docs.map((doc) => doc.fileId);
  }

  /**
   * The stored file changed elsewhere: reconcile now (the outside content becomes a server
   * revision every client receives, merged with unsaved edits) instead of at the next save.
   */
  async reload(fileId: string): Promise<boolean> {
    const doc = this.documents.all().find((d) => d.fileId === fileId);
    if (!doc) {
      return false;
    }
    await this.persistence.flush(doc);
    return true;
  }

  /** The file was trashed: drop the document from memory; clients get 404 from now on. */
  async close(fileId: string): Promise<boolean> {
    const doc = this.documents.all().find((d) => d.fileId === fileId);
    if (!doc) {
      return false;
    }
    this.logger.warn({ fileId }, 'the file of an open CoOPS document was trashed; closing it');
    await this.documents.close(doc, true);
    return true;
  }
}
