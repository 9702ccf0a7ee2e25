import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCliArgs, type Args } from '../cli-args';
import { loadCases, type LoadedSuite } from '../load';
import { CATEGORIES, type TargetCategory } from '../model';
import { casesPath, projectRoot } from '../paths';
import { startDiscoveryServer, type DiscoveryServer } from '../proof/discovery-server';
import { generateKeyPairs } from '../proof/key-file';
import { systemClockSigner } from '../proof/signing';
import { runAndReport } from '../run-and-report';
import { selectCases, type RunFilter } from '../runner';
import { freePort, runNode, startServer, type ServerProcess } from './processes';
import { STORAGE_MODES, type PreparedStorage } from './storage-modes';

const USAGE = `Usage: npm run validate -- [options]

Starts the built server (node dist/main.js) on a fresh storage holding one empty .wopitest file,
configured with one editor app whose discovery (and proof keys) the runner serves, mints an
access token with the CLI, runs Microsoft's WOPI validator test cases against it, prints the
table and "N passed, N failed, N skipped", stops the server and removes the storage.

  --storage <mode>     local (default): a temporary local root; cs3: the CS3 adapter against the
                       CS3 gateway double (npm run cs3-double), file opened by resource id
  --product <product>  the editor app's product (default generic: Microsoft-like CheckFileInfo)
  --app <name>         the editor app's name (default WopiValidator)
  --cases <file>       TestCases.xml (default: $WOPI_VALIDATOR_CASES, else ../shared/...)
  --group, --case, --category, --include-delay, --timeout, --junit <file>: as the runner's
  --keep               keep the temporary root and print where it is
  --server-log <file>  write the server's output there

Exit code 1 if any case failed, 2 if the run could not start.`;

const SPEC = {
  values: [
    'storage',
    'product',
    'app',
    'cases',
    'group',
    'case',
    'category',
    'timeout',
    'junit',
    'server-log',
  ],
  flags: ['include-delay', 'keep', 'help'],
};

const WOPITEST_FILE = 'validator.wopitest';
/** HostViewUrl/HostEditUrl are built from OCIS_URL; nothing is ever fetched from it. */
const FAKE_OCIS_URL = 'https://ocis.validator.test';

async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseCliArgs(argv, SPEC);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.flag('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const mode = STORAGE_MODES[args.get('storage') ?? 'local'];
  const category = (args.get('category') ?? 'All') as TargetCategory;
  if (!mode) {
    process.stderr.write(
      `storage mode ${String(args.get('storage'))} is not available here (known: ${Object.keys(STORAGE_MODES).join(', ')})\n`,
    );
    return 2;
  }
  if (category !== 'All' && !CATEGORIES.includes(category)) {
    process.stderr.write(`--category must be All or one of ${CATEGORIES.join(', ')}\n`);
    return 2;
  }
  const filter: RunFilter = {
    groups: args.all('group'),
    cases: args.all('case'),
    category,
    includeDelay: args.flag('include-delay'),
  };
  let loaded: LoadedSuite;
  try {
    loaded = loadCases(casesPath(args.get('cases')));
    selectCases(loaded.suite, filter);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }

  const root = projectRoot();
  const dir = await mkdtemp(join(tmpdir(), 'wopi-validator-'));
  const keys = generateKeyPairs();
  let discovery: DiscoveryServer | undefined;
  let storage: PreparedStorage | undefined;
  let server: ServerProcess | undefined;
  try {
    discovery = await startDiscoveryServer(keys);
    storage = await mode.prepare(dir, WOPITEST_FILE);
    const [httpPort, grpcPort, debugPort] = [await freePort(), await freePort(), await freePort()];
    const appName = args.get('app') ?? 'WopiValidator';
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      ...storage.env,
      COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(httpPort)}`,
      COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(grpcPort)}`,
      COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debugPort)}`,
      COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(httpPort)}`,
      COLLABORATION_OCIS_URL: FAKE_OCIS_URL,
      COLLABORATION_APP_NAME: appName,
      COLLABORATION_APP_PRODUCT: args.get('product') ?? 'generic',
      COLLABORATION_APP_ADDR: discovery.url,
      COLLABORATION_LOG_LEVEL: 'warn',
    };
    const opened = await runNode(
      join(root, 'dist', 'cli.js'),
      ['open', storage.openPath, '--json', '--app', appName, ...(storage.openArgs ?? [])],
      env,
      root,
    );
    if (opened.code !== 0) {
      throw new Error(`cli open failed (${String(opened.code)}): ${opened.stderr}${opened.stdout}`);
    }
    const token = JSON.parse(opened.stdout) as {
      wopiSrc: string;
      accessToken: string;
      accessTokenTtl: number;
    };
    server = await startServer(
      join(root, 'dist', 'main.js'),
      env,
      root,
      `http://127.0.0.1:${String(debugPort)}/readyz`,
    );
    process.stderr.write(
      `server on ${env['COLLABORATION_WOPI_SRC'] ?? ''} (${mode.name} storage in ${dir}${storage.description ? `; ${storage.description}` : ''}), discovery ${discovery.url}\n`,
    );
    const { exitCode } = await runAndReport({
      loaded,
      target: {
        wopiSrc: token.wopiSrc,
        token: token.accessToken,
        ttl: String(token.accessTokenTtl),
        signer: systemClockSigner(keys.current, keys.old),
      },
      filter,
      http: { timeoutMs: Number(args.get('timeout') ?? 30_000), insecure: false },
      junit: args.get('junit') ? resolve(args.get('junit') ?? '') : undefined,
      write: (text) => process.stdout.write(text),
      progress: (text) => process.stderr.write(text),
    });
    process.stderr.write(
      `the server fetched the runner's discovery ${String(discovery.fetches())} time(s)\n`,
    );
    return exitCode;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    const code = await server?.stop();
    if (code !== undefined && code !== 0) {
      process.stderr.write(`the server exited with ${String(code)} on SIGTERM\n`);
    }
    const log = args.get('server-log');
    if (log && server) {
      await writeFile(log, server.output());
    }
    await discovery?.close();
    await storage?.stop();
    if (args.flag('keep')) {
      process.stderr.write(`kept ${dir}\n`);
    } else {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
