/**
 * Entry point of the single executable: the CLI's commands when the first argument names one,
 * otherwise the server (optionally introduced by `serve`). `dist/main.js` and `dist/cli.js` stay
 * the entry points of the unbundled build.
 */
const CLI_COMMANDS = new Set(['open', 'healthcheck', 'config-reference', 'help', '--help', '-h']);

const command = process.argv[2];
if (command !== undefined && CLI_COMMANDS.has(command)) {
  void import('./cli.js');
} else {
  if (command === 'serve') {
    process.argv.splice(2, 1);
  }
  void import('./main.js');
}
