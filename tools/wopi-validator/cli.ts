import { resolve } from 'node:path';
import { parseCliArgs, type Args } from './cli-args';
import { loadCases } from './load';
import { CATEGORIES, type TargetCategory } from './model';
import { casesPath } from './paths';
import { startDiscoveryServer } from './proof/discovery-server';
import { loadOrCreateKeyPairs } from './proof/key-file';
import { systemClockSigner } from './proof/signing';
import { runAndReport } from './run-and-report';
import { selectCases, type RunFilter } from './runner';

const USAGE = `Usage: wopi-validator --wopisrc <url> --token <token> [options]
       wopi-validator --serve-discovery [--keys <file>] [--discovery-port <port>]

Runs Microsoft's WOPI validator test cases (TestCases.xml) against a WOPI host.

  --wopisrc <url>          WOPISrc of a .wopitest file (no query string)
  --token <token>          its access token
  --token-ttl <ms>         access_token_ttl sent with every request (default 0)
  --cases <file>           TestCases.xml (default: $WOPI_VALIDATOR_CASES, else
                           ../shared/wopi-validator/TestCases.xml beside the project)
  --group <name>           run only this group (repeatable, or comma-separated)
  --case <name>            run only this case (repeatable, or comma-separated)
  --category <c>           All (default), WopiCore, OfficeOnline, OfficeNativeClient, WopiCoauth
  --include-delay          also run groups that wait (HasDelay), skipped otherwise
  --junit <file>           write JUnit XML
  --timeout <ms>           per-request timeout (default 30000)
  --insecure               accept any TLS certificate
Proof keys (the host must load the runner's discovery to verify them):
  --keys <file>            keep the current and old key pair in this file (created if missing);
                           without it, fresh keys are generated for every run
  --discovery-port <port>  serve the discovery document on 127.0.0.1:<port> during the run
                           (default: a free port, printed on stderr)
  --no-proof               send no proof headers (as Microsoft's open-source runner)
  --serve-discovery        only serve the discovery document until interrupted

Output: one line per case on stderr; a table (group, case, result, reason), the failures and
the closing line "N passed, N failed, N skipped" on stdout. Exit code 1 if any case failed,
2 for bad arguments or unreadable test cases.`;

const SPEC = {
  values: [
    'wopisrc',
    'token',
    'token-ttl',
    'cases',
    'group',
    'case',
    'category',
    'junit',
    'timeout',
    'keys',
    'discovery-port',
  ],
  flags: ['include-delay', 'insecure', 'no-proof', 'serve-discovery', 'help'],
};

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
  if (args.flag('serve-discovery')) {
    return serveDiscovery(args);
  }
  const wopiSrc = args.get('wopisrc');
  const token = args.get('token');
  const category = (args.get('category') ?? 'All') as TargetCategory;
  if (!wopiSrc || !token || (category !== 'All' && !CATEGORIES.includes(category))) {
    process.stderr.write(
      `--wopisrc and --token are required; --category must be All or a category\n\n${USAGE}\n`,
    );
    return 2;
  }
  const filter: RunFilter = {
    groups: args.all('group'),
    cases: args.all('case'),
    category,
    includeDelay: args.flag('include-delay'),
  };
  let loaded;
  try {
    loaded = loadCases(casesPath(args.get('cases')));
    selectCases(loaded.suite, filter);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const keys = args.flag('no-proof') ? undefined : loadOrCreateKeyPairs(args.get('keys'));
  const discovery = keys
    ? await startDiscoveryServer(keys, { port: Number(args.get('discovery-port') ?? 0) })
    : undefined;
  if (discovery) {
    process.stderr.write(
      `discovery with the runner's proof keys: ${discovery.url}/hosting/discovery\n`,
    );
  }
  try {
    const { exitCode } = await runAndReport({
      loaded,
      target: {
        wopiSrc,
        token,
        ttl: args.get('token-ttl') ?? '0',
        signer: keys ? systemClockSigner(keys.current, keys.old) : undefined,
      },
      filter,
      http: { timeoutMs: Number(args.get('timeout') ?? 30_000), insecure: args.flag('insecure') },
      junit: args.get('junit') ? resolve(args.get('junit') ?? '') : undefined,
      write: (text) => process.stdout.write(text),
      progress: (text) => process.stderr.write(text),
    });
    return exitCode;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await discovery?.close();
  }
}

async function serveDiscovery(args: Args): Promise<number> {
  const keys = loadOrCreateKeyPairs(args.get('keys'));
  const server = await startDiscoveryServer(keys, {
    port: Number(args.get('discovery-port') ?? 0),
  });
  process.stdout.write(`${server.url}/hosting/discovery\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
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
