import { NestFactory } from '@nestjs/core';
import 'reflect-metadata';
import { parseArgs } from './cli/args';
import { CliModule } from './cli/cli.module';
import { healthcheck, healthUrl } from './cli/healthcheck';
import { OpenService } from './cli/open.service';
import { AppError } from './common/errors/app-error';
import { StderrLogger } from './common/logging/stderr-logger';
import type { LogLevel } from './config/app-config';
import { renderConfigReference, renderYamlExample } from './config/config-reference';
import { ConfigError } from './config/config.errors';
import { loadProcessConfig, revaTokenFromEnvironment } from './config/process-config';
import { VIEW_MODES, type ViewMode } from './tokens/access-token.types';

const USAGE = `Usage: cli <command> [options]

Commands:
  open <file>   Mint an access token for a file and print one JSON object with fileId, wopiSrc,
                accessToken and accessTokenTtl. With an editor app configured it also prints
                appUrl (POST access_token and access_token_ttl there) and, in dev mode, openUrl
                (the server's page that does that POST). For text, Markdown and HTML files also the
                CoOPS address coopsUrl and the built-in editor page editorUrl.
                Local storage: <file> is a path under the local root.
                CS3 storage (COLLABORATION_STORAGE=cs3): <file> is a resource id
                (storage$space!opaque) or an absolute path the gateway resolves; the token is minted
                as OpenInApp mints it (user from WhoAmI, expiry of the reva token).
      --mode view|read|write   view mode (default write)
      --user <id>              user id (local storage; default COLLABORATION_LOCAL_OWNER)
      --name <display name>    user display name (local storage; default the user id)
      --app <name>             editor app the token is for (default the first configured app)
      --reva-token <token>     CS3: the user's reva token (default COLLABORATION_REVA_TOKEN)
      --view-only-token <tok>  CS3: the view-only token for --mode view
      --json                   print compact JSON (one line)
      --config <file>          YAML configuration file
  healthcheck [--ready]
                Ask the running server's debug listener (COLLABORATION_DEBUG_ADDR) for /healthz, or
                /readyz with --ready; exit 0 when it answers 200, 1 otherwise.
  config-reference [--yaml]
                Print the configuration reference (Markdown), or a YAML file with every default.
  help          Show this text.

Logs go to stderr; stdout carries only the result.`;

async function open(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['json']);
  const path = args.positionals[0];
  if (path === undefined || args.positionals.length > 1) {
    process.stderr.write(`open needs exactly one file\n\n${USAGE}\n`);
    return 2;
  }
  const mode = (args.options.get('mode') ?? 'write') as ViewMode;
  if (!VIEW_MODES.includes(mode)) {
    process.stderr.write(`--mode must be one of ${VIEW_MODES.join(', ')}\n`);
    return 2;
  }
  const config = loadProcessConfig(argv);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: new StderrLogger(cliLevel(config.log.level)),
    abortOnError: false,
  });
  try {
    const text = (name: string): string | undefined => {
      const value = args.options.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const result = await app.get(OpenService).open({
      path,
      mode,
      userId: text('user'),
      displayName: text('name'),
      app: text('app'),
      revaToken: text('reva-token') ?? revaTokenFromEnvironment(),
      viewOnlyToken: text('view-only-token'),
    });
    process.stdout.write(
      `${args.options.get('json') ? JSON.stringify(result) : JSON.stringify(result, null, 2)}\n`,
    );
    return 0;
  } finally {
    await app.close();
  }
}

/** The CLI is terse: at the default level it only reports warnings; any other level is taken as asked. */
function cliLevel(level: LogLevel): LogLevel {
  return level === 'info' ? 'warn' : level;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'open':
      return open(rest);
    case 'healthcheck':
      return healthcheck(
        healthUrl(loadProcessConfig(rest), rest.includes('--ready') ? '/readyz' : '/healthz'),
      );
    case 'config-reference':
      process.stdout.write(
        rest.includes('--yaml') ? renderYamlExample() : `${renderConfigReference()}\n`,
      );
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof AppError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  },
);
