import type { ResourceId, StorageUser } from '../storage/storage.types';
import type { ViewMode } from '../tokens/access-token.types';
import type { WopiOperation } from './wopi-operation';

/** What an editor said about a save (X-COOL-/X-LOOL-WOPI-IsModifiedByUser, IsAutosave, IsExitSave). */
export interface EditorSaveFlags {
  modifiedByUser?: boolean;
  autosave?: boolean;
  exitSave?: boolean;
}

/** The file an operation touched, as the storage reported it. */
export interface RecordedFile {
  fileId: string;
  resourceId: ResourceId;
  name: string;
  path: string;
  version?: string;
  size?: number;
}

/** Operation-specific facts; only the ones that apply are set. */
export interface WopiOperationDetails {
  /** The file, as the storage reported it (CheckFileInfo, GetFile, PutFile, locks, rename...). */
  file?: RecordedFile;
  /** X-WOPI-Lock of the request. */
  lockId?: string;
  /** X-WOPI-OldLock of UnlockAndRelock. */
  oldLockId?: string;
  /** The lock that was in the way (409 answers). */
  currentLockId?: string;
  /** PutFile: what the editor said about the save. */
  editorFlags?: EditorSaveFlags;
  /** PutRelativeFile: the file that was created or overwritten. */
  newFile?: RecordedFile;
  /** RenameFile: the new name, with extension, and the name before. */
  newName?: string;
  oldName?: string;
  /** Bytes received (PutFile, PutRelativeFile) or sent (GetFile, GetTemplate). */
  bytes?: number;
}

/**
 * One WOPI request, recorded once it is answered: the input of metrics, logs and audit. Observers
 * subscribe through WopiOperationObserver.
 */
export interface WopiOperationRecord {
  operation: WopiOperation;
  /** `ok`, or the error code of the failure (UNAUTHORIZED, LOCK_CONFLICT, NOT_FOUND...). */
  outcome: string;
  /** The HTTP status answered. */
  status: number;
  /** The file id of the request path. */
  fileId: string;
  /** Set once the access token was verified. */
  sessionId?: string;
  user?: StorageUser;
  app?: string;
  mode?: ViewMode;
  requestId?: string;
  /** Address of the peer (the proxy when there is one) and X-Forwarded-For when sent. */
  clientAddress?: string;
  forwardedFor?: string;
  /** When the request arrived and how long it took. */
  startedAt: Date;
  durationMs: number;
  details: WopiOperationDetails;
}
