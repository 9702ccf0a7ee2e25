import type { AppConfig } from './app-config';
import { loadConfig } from './config.loader';

/** The configuration of this process: its environment and command line. The one place that reads process.env. */
export function loadProcessConfig(argv: readonly string[] = process.argv.slice(2)): AppConfig {
  return loadConfig({ env: process.env, argv });
}

/** Where the CLI's `open` finds the reva token in CS3 mode when --reva-token is not given. */
export const REVA_TOKEN_ENV = 'COLLABORATION_REVA_TOKEN';

/** The reva token from the environment (CLI only; the server never reads it). */
export function revaTokenFromEnvironment(): string | undefined {
  const token = process.env[REVA_TOKEN_ENV];
  return token === '' ? undefined : token;
}
