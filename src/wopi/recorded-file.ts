import type { FileInfo } from '../storage/storage.types';
import { wopiFileId } from '../tokens/resource-id';
import type { RecordedFile } from './wopi-operation-record';

/** The record of a file the storage reported (fileId computed unless given). */
export function recordedFile(info: FileInfo, fileId?: string): RecordedFile {
  return {
    fileId: fileId ?? wopiFileId(info.resourceId),
    resourceId: info.resourceId,
    name: info.name,
    path: info.path,
    version: info.version,
    size: info.size,
  };
}
