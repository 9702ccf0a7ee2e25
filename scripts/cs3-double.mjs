// Runs the CS3 gateway double (test/support/cs3-double) as a process: bundles it with esbuild
// (dependencies stay in node_modules) and starts it. See test/support/cs3-double/serve.ts.
//   npm run cs3-double -- --file /docs/letter.docx=./letter.docx
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// One bundle per process (removed once loaded): parallel runs never read each other's half-written file.
const outfile = join(root, 'node_modules', '.cache', 'cs3-double', `serve-${process.pid}.cjs`);
await build({
  entryPoints: [join(root, 'test', 'support', 'cs3-double', 'serve.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
let main;
try {
  ({ main } = createRequire(import.meta.url)(outfile));
} finally {
  rmSync(outfile, { force: true });
}
await main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
