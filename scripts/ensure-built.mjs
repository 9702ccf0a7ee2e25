// Builds dist/ when it is missing or older than the sources, so `npm start` and `npm run cli` work
// straight after `npm ci`. Writes nothing to stdout (the CLI's stdout is its result).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) {
    return info.mtimeMs;
  }
  return readdirSync(path).reduce(
    (max, name) => Math.max(max, newest(join(path, name))),
    info.mtimeMs,
  );
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const sources = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'proto')),
  mtime(join(root, 'tsconfig.json')),
  mtime(join(root, 'tsconfig.build.json')),
);
const built = Math.min(mtime(join(root, 'dist', 'main.js')), mtime(join(root, 'dist', 'cli.js')));
if (built < sources) {
  process.stderr.write('building dist/ ...\n');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: ['ignore', 2, 2],
    },
  );
}
