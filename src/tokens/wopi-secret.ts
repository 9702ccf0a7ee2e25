import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { LocalRoot } from '../storage/local/local-root';
import { readOrCreateStateFile } from '../storage/local/state-file';

/** The secret that signs access tokens; a class so it can be injected. */
export class WopiSecret {
  constructor(
    readonly value: string,
    /** Where it came from, for the start-up log line (never the value). */
    readonly origin: 'config' | 'generated' | 'local-file',
    readonly file?: string,
  ) {}

  /**
   * The configured secret, or in local mode the one kept in `<root>/.collaboration/secret`
   * (generated on first use with mode 0600), so the server and the CLI agree without setup.
   */
  static async resolve(config: AppConfig): Promise<WopiSecret> {
    if (config.wopi.secret !== undefined) {
      return new WopiSecret(config.wopi.secret, 'config');
    }
    if (config.storage.driver !== 'local') {
      throw new Error('COLLABORATION_WOPI_SECRET is required outside local mode');
    }
    const root = await LocalRoot.open(config.storage.localRoot);
    const file = join(root.stateDir, 'secret');
    const secret = await readOrCreateStateFile(file, () => randomBytes(32).toString('base64url'));
    return new WopiSecret(secret.value, secret.created ? 'generated' : 'local-file', file);
  }
}
