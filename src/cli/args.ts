/** A tiny argument parser: positionals plus `--name value` / `--name=value` / boolean `--flag`. */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], booleans: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) {
      options.set(name, arg.slice(eq + 1));
    } else if (booleans.includes(name)) {
      options.set(name, true);
    } else {
      const value = argv[i + 1];
      if (value === undefined) {
        throw new Error(`--${name} needs a value`);
      }
      options.set(name, value);
      i++;
    }
  }
  return { positionals, options };
}
