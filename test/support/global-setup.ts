import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds dist/ once, so tests of the real entry points (server process, CLI) run what ships. */
export default function setup(): void {
  const root = join(__dirname, '..', '..');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
