// Runs the CS3 gateway double (test/support/cs3-double) as a process: bundles it with esbuild
// (dependencies stay in node_modules) and starts it. See test/support/cs3-double/serve.ts.
//   npm run cs3-double -- --file /docs/letter.docx=./letter.docx
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'cs3-double', 'serve.cjs');
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
const { main } = createRequire(import.meta.url)(outfile);
await main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
