import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cs3StorageMode } from './cs3-storage-mode';

/** What the launcher needs from a storage mode: server settings and the file to open. */
export interface PreparedStorage {
  /** COLLABORATION_* settings for the server and the CLI. */
  env: Record<string, string>;
  /** The path `cli open` takes for the .wopitest file. */
  openPath: string;
  /** More arguments for `cli open` (CS3: the reva token). */
  openArgs?: string[];
  /** What was started, for the launcher's progress output. */
  description?: string;
  /** Stops whatever the mode started (the temp folder itself is removed by the launcher). */
  stop(): Promise<void>;
}

export interface StorageMode {
  name: string;
  /** Prepares storage under `dir` (a fresh temp folder) holding one empty `<file>`. */
  prepare(dir: string, file: string): Promise<PreparedStorage>;
}

/** The local adapter on a fresh root with an empty .wopitest file. */
export const localStorageMode: StorageMode = {
  name: 'local',
  async prepare(dir, file) {
    await writeFile(join(dir, file), '');
    return {
      env: { COLLABORATION_STORAGE: 'local', COLLABORATION_LOCAL_ROOT: dir },
      openPath: file,
      stop: () => Promise.resolve(),
    };
  },
};

/** Storage modes by name: `npm run validate -- --storage <name>`. */
export const STORAGE_MODES: Readonly<Record<string, StorageMode | undefined>> = {
  local: localStorageMode,
  cs3: cs3StorageMode,
};
