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
 * Storage modes by name. The CS3 mode (issue 6) fits the same shape once the CS3 gateway double is
 * on this branch: `prepare` starts the double (test/support/cs3-double `startCs3Double()`, or
 * `npm run cs3-double -- --file /validator.wopitest=<empty file>`), returns env
 * `COLLABORATION_STORAGE=cs3`, `COLLABORATION_CS3_GATEWAY=<gatewayAddr>`, `COLLABORATION_WOPI_SECRET`
 * and `COLLABORATION_REVA_TOKEN=<revaToken>` (what `cli open` needs in CS3 mode), `openPath` = the
 * file's resource id, and `stop` stops the double. Then `npm run validate -- --storage cs3` works.
 */
export const STORAGE_MODES: Readonly<Record<string, StorageMode | undefined>> = {
  local: localStorageMode,
};
