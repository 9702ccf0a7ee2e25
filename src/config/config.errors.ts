export interface ConfigProblem {
  /** Where the value came from: an environment variable name or a YAML path. */
  source: string;
  /** The offending value, already rendered (secrets shown as "(hidden)"). */
  value: string;
  expected: string;
}

/** Every problem with the configuration, reported at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [
        `Invalid configuration: ${String(problems.length)} problem${problems.length === 1 ? '' : 's'}`,
        ...problems.map((p) => `  - ${p.source} = ${p.value}: ${p.expected}`),
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }
}
