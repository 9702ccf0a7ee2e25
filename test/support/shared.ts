import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The workplace's shared data (`../shared` next to the checkout): Microsoft's WOPI validator data and
 * editors' discovery samples. Read-only; never copied into the project. Undefined when absent, so
 * tests that need it can skip with a reason instead of failing on another machine.
 */
export const SHARED_DIR = resolve(
  process.env['COLLABORATION_SHARED_DIR'] ?? join(__dirname, '..', '..', '..', 'shared'),
);

export function sharedPath(...parts: string[]): string | undefined {
  const path = join(SHARED_DIR, ...parts);
  return existsSync(path) ? path : undefined;
}
