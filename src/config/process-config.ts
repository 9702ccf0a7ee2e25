import type { AppConfig } from './app-config';
import { loadConfig } from './config.loader';

/** The configuration of this process: its environment and command line. The one place that reads process.env. */
export function loadProcessConfig(argv: readonly string[] = process.argv.slice(2)): AppConfig {
  return loadConfig({ env: process.env, argv });
}
