// npm run build:binary: one self-contained executable (Node single executable application).
//
//   tsc (decorator metadata) -> dist/binary.js
//   esbuild: bundle dist/binary.js and every package into one CommonJS file, class names kept
//   node --experimental-sea-config -> blob, postject it into a copy of this node binary
//   (Node >= 25.5: node --build-sea does both in one step)
//
// Output: build/bin/ocis-collaboration (the executable), build/sea/ (the bundle and the blob).
// See docs/adr/0080-single-executable-build.md for the choices and the pitfalls they avoid.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const esbuild = require('esbuild');

const seaDir = join(root, 'build', 'sea');
const binDir = join(root, 'build', 'bin');
const bundleFile = join(seaDir, 'ocis-collaboration.cjs');
const blobFile = join(seaDir, 'ocis-collaboration.blob');
const configFile = join(seaDir, 'sea-config.json');
const executable = join(binDir, 'ocis-collaboration');

/**
 * Packages that Nest, fastify and friends require lazily, only when a feature we do not use is
 * switched on, and that are not installed. Left as `require()` calls; never reached at runtime.
 * Anything else that cannot be resolved fails the build.
 */
export const LAZY_OPTIONAL_REQUIRES = [
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@nestjs/platform-express',
  '@fastify/static',
  '@fastify/view',
  '@fastify/multipart',
  'kafkajs',
  'mqtt',
  'amqplib',
  'amqp-connection-manager',
  'ioredis',
];

/** Packages Nest loads lazily that are dependencies of our dependencies, not our own. */
const TRANSITIVE_LAZY = [];

function log(message) {
  process.stderr.write(`build:binary: ${message}\n`);
}

function run(command, args, cwd = root) {
  execFileSync(command, args, { cwd, stdio: ['ignore', 2, 2] });
}

/** Inlines the browser copy of diff-match-patch that the unbundled build reads from node_modules. */
const inlineDiffMatchPatch = {
  name: 'inline-diff-match-patch',
  setup(build) {
    build.onLoad({ filter: /[\\/]coops[\\/]editor[\\/]diff-match-patch-source\.js$/ }, () => {
      const text = readFileSync(require.resolve('diff-match-patch'), 'utf8');
      return {
        contents: `"use strict";\nexports.diffMatchPatchSource = () => ${JSON.stringify(text)};\n`,
        loader: 'js',
      };
    });
  },
};

/**
 * NestJS 12 is ESM and loads its optional packages with `createRequire(import.meta.url)(name)`,
 * which a bundle cannot follow (and which, in a single executable, only finds built-ins). This
 * swaps it for a function with one static `require` per runtime dependency of ours, so those get
 * bundled and are found; any other name throws MODULE_NOT_FOUND, as a missing package would.
 */
const bundledLazyRequires = {
  name: 'bundled-lazy-requires',
  setup(build) {
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const names = [...Object.keys(packageJson.dependencies ?? {}), ...TRANSITIVE_LAZY].sort();
    const cases = names
      .map((name) => `    case ${JSON.stringify(name)}: return require(${JSON.stringify(name)});`)
      .join('\n');
    const virtual = 'sea-bundled-require';
    build.onResolve({ filter: new RegExp(`^${virtual}$`) }, () => ({
      path: virtual,
      namespace: virtual,
    }));
    build.onLoad({ filter: /.*/, namespace: virtual }, () => ({
      loader: 'js',
      resolveDir: root,
      contents: [
        'exports.bundledRequire = (id) => {',
        '  switch (id) {',
        cases,
        '    default: {',
        `      const error = new Error("Cannot find module '" + id + "' (not in the single executable)");`,
        "      error.code = 'MODULE_NOT_FOUND';",
        '      throw error;',
        '    }',
        '  }',
        '};',
      ].join('\n'),
    }));
    const pattern = /\bcreateRequire\(\s*import\.meta\.url\s*\)/g;
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url') || !text.includes('createRequire')) {
        return undefined;
      }
      const replaced = text.replace(pattern, '__bundledRequire');
      if (replaced === text) {
        return undefined;
      }
      return {
        contents: `import { bundledRequire as __bundledRequire } from '${virtual}';\n${replaced}`,
        loader: 'js',
      };
    });
  },
};

/**
 * pino-pretty and pino's worker-thread transports need files on disk; the binary logs JSON only
 * (src/common/logging/logger.options.ts ignores COLLABORATION_LOG_PRETTY in the binary). Failing
 * here keeps them from slipping into the bundle.
 */
const forbidTransports = {
  name: 'forbid-pino-transports',
  setup(build) {
    build.onResolve({ filter: /^pino-pretty$/ }, (args) => ({
      errors: [{ text: `${args.path} must not be bundled (imported by ${args.importer})` }],
    }));
  },
};

/**
 * Packages whose module state must exist once (Nest's DI tokens, class-validator's and
 * class-transformer's metadata storages): two copies in the bundle break DI or drop DTO rules.
 */
const SINGLETONS = [
  '@nestjs/core',
  '@nestjs/common',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
];

function assertSingleCopies(metafile) {
  for (const name of SINGLETONS) {
    const copies = new Set();
    for (const input of Object.keys(metafile.inputs)) {
      const at = input.lastIndexOf(`node_modules/${name}/`);
      if (at >= 0) {
        copies.add(input.slice(0, at + `node_modules/${name}`.length));
      }
    }
    if (copies.size > 1) {
      throw new Error(`${name} is bundled ${String(copies.size)} times: ${[...copies].join(', ')}`);
    }
  }
}

/** Paths relative to build/sea/ (the SEA tools run there): the blob names its main script. */
function seaConfig(extra) {
  return {
    main: 'ocis-collaboration.cjs',
    output: 'ocis-collaboration.blob',
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    ...extra,
  };
}

function supportsBuildSea() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 25 || (major === 25 && minor >= 5);
}

async function main() {
  log('tsc');
  run(process.execPath, [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'tsconfig.build.json',
  ]);

  log('esbuild');
  rmSync(seaDir, { recursive: true, force: true });
  mkdirSync(seaDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(root, 'dist', 'binary.js')],
    outfile: bundleFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    keepNames: true,
    minify: false,
    legalComments: 'none',
    sourcemap: false,
    external: LAZY_OPTIONAL_REQUIRES,
    plugins: [inlineDiffMatchPatch, bundledLazyRequires, forbidTransports],
    logLevel: 'warning',
    metafile: true,
  });
  writeFileSync(join(seaDir, 'meta.json'), JSON.stringify(result.metafile));
  assertSingleCopies(result.metafile);

  mkdirSync(binDir, { recursive: true });
  rmSync(executable, { force: true });
  if (supportsBuildSea()) {
    log(`node --build-sea (node ${process.version})`);
    writeFileSync(configFile, JSON.stringify(seaConfig({ output: executable }), null, 2));
    run(process.execPath, ['--build-sea', configFile], seaDir);
  } else {
    log(`node --experimental-sea-config + postject (node ${process.version})`);
    writeFileSync(configFile, JSON.stringify(seaConfig({}), null, 2));
    run(process.execPath, ['--experimental-sea-config', configFile], seaDir);
    copyFileSync(process.execPath, executable);
    chmodSync(executable, 0o755);
    run(process.execPath, [
      require.resolve('postject/dist/cli.js'),
      executable,
      'NODE_SEA_BLOB',
      blobFile,
      '--sentinel-fuse',
      'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ]);
  }
  chmodSync(executable, 0o755);
  log(`wrote ${executable}`);
}

await main();
