import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the launcher needs from a storage mode: server settings and the file to open. */
export interface PreparedStorage {
  /** COLLABORATION_* settings for the server and the CLI. */
  env: Record<string, string>;
  /** The path `cli open` takes for the .wopitest file. */
  openPath: string;
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

/**
 * Storage modes by name. `cs3` (the server on its CS3 adapter against the CS3 gateway double) is
 * added here once that double is available on this branch: it starts the double, seeds the
 * .wopitest file through it, sets COLLABORATION_STORAGE=cs3 and COLLABORATION_CS3_GATEWAY, and
 * returns how `cli open` (or an OpenInApp call) names the file.
 */
export const STORAGE_MODES: Readonly<Record<string, StorageMode | undefined>> = {
  local: localStorageMode,
};
