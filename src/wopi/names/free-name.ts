import { randomBytes } from 'node:crypto';
import type { StorageGateway } from '../../storage/storage-gateway.port';
import { StorageNotFoundError } from '../../storage/storage.errors';
import type {
  FileInfo,
  FileRef,
  ResourceId,
  StorageCredentials,
} from '../../storage/storage.types';
import { numberedName } from './file-names';

/** Numbered names tried before a random suffix is used. */
const NUMBERED_ATTEMPTS = 20;

/** A child of `folder` by name (which may not exist). */
export function childRef(folder: ResourceId, name: string): FileRef {
  return { resourceId: folder, path: `./${name}` };
}

/** What is stored under `folder/name`, or undefined when the name is free. */
export async function statChild(
  storage: StorageGateway,
  folder: ResourceId,
  name: string,
  credentials: StorageCredentials,
): Promise<FileInfo | undefined> {
  try {
    return await storage.stat(childRef(folder, name), credentials);
  } catch (error) {
    if (error instanceof StorageNotFoundError) {
      return undefined;
    }
    throw error;
  }
}

/** `name` when it is free in `folder`, else "name (1).ext", "name (2).ext"..., else a random suffix. */
export async function freeName(
  storage: StorageGateway,
  folder: ResourceId,
  name: string,
  credentials: StorageCredentials,
): Promise<string> {
  if ((await statChild(storage, folder, name, credentials)) === undefined) {
    return name;
  }
  for (let n = 1; n <= NUMBERED_ATTEMPTS; n++) {
    const candidate = numberedName(name, n);
    if ((await statChild(storage, folder, candidate, credentials)) === undefined) {
      return candidate;
    }
  }
  return numberedName(name, Number.parseInt(randomBytes(4).toString('hex'), 16));
}
