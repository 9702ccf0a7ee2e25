// Bundles the dev tools under tools/ (TypeScript) into build/tools/ with esbuild; node_modules stay
// external. Fast enough to run before every use, so the tools always match their sources.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  absWorkingDir: root,
  entryPoints: {
    'wopi-validator': 'tools/wopi-validator/cli.ts',
    'wopi-validator-launch': 'tools/wopi-validator/launcher/validate.ts',
  },
  outdir: 'build/tools',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
