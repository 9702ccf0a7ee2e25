import type { FileInfo, StorageCredentials } from '../../storage/storage.types';
import type { VerifiedToken } from '../../tokens/access-token.types';
import type { Revision } from '../coops.types';
import type { CoopsDocument } from './coops-document';

/** What persistence does around a document's life on this replica. */
export interface DocumentLifecycle {
  /** After loading, before the first request is answered: reconcile with the stored file. */
  opened(doc: CoopsDocument, stored: { info: FileInfo; text: string }): Promise<void>;
  /** After a content change; `own` when this replica appended it. */
  changed(doc: CoopsDocument, own: boolean): void;
  /** After a session opened or closed (on any replica). */
  presenceChanged(doc: CoopsDocument): void;
  /**
   * Before the document is dropped from memory: saves, releases the lock when nobody is left.
   * False when the document is in use again and stays.
   */
  closing(doc: CoopsDocument, shutdown: boolean): Promise<boolean>;
}

/** The fields of a server revision, decided against the document as it is when it is appended. */
export type ServerChange = Pick<Revision, 'patch' | 'checksum' | 'properties' | 'extensions'>;

/** What a token lets the server do on the storage: its user, and the reva token in CS3 mode. */
export function credentialsOf(token: VerifiedToken): StorageCredentials {
  return { user: token.user, ...(token.revaToken ? { token: token.revaToken } : {}) };
}
