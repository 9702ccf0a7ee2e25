/** `--name value`, `--name=value`, boolean `--flag`; options may repeat; no positionals allowed. */
export interface Args {
  get(name: string): string | undefined;
  all(name: string): string[];
  flag(name: string): boolean;
}

export function parseCliArgs(
  argv: readonly string[],
  spec: { values: readonly string[]; flags: readonly string[] },
): Args {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.flags.includes(name) && eq < 0) {
      flags.add(name);
      continue;
    }
    if (!spec.values.includes(name)) {
      throw new Error(`unknown option --${name}`);
    }
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) {
      throw new Error(`--${name} needs a value`);
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return {
    get: (name) => values.get(name)?.at(-1),
    all: (name) =>
      (values.get(name) ?? [])
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter(Boolean),
    flag: (name) => flags.has(name),
  };
}
