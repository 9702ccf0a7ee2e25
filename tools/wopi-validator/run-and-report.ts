import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExecutionEnv } from './executor';
import type { HttpOptions } from './http-client';
import type { LoadedSuite } from './load';
import { closingLine, failureDetails, junitXml, resultTable, totals } from './report';
import type { RunTarget } from './request-builder';
import { runSuite, type CaseResult, type RunFilter } from './runner';

export interface RunOptions {
  loaded: LoadedSuite;
  target: Omit<RunTarget, 'resources'>;
  filter: RunFilter;
  http: HttpOptions;
  junit?: string;
  /** Where the table, failure details and closing line go. */
  write(text: string): void;
  /** Where one progress line per finished case goes. */
  progress(text: string): void;
}

/** Runs the selection, prints the table, the failures and the closing line; writes JUnit XML if asked. */
export async function runAndReport(
  options: RunOptions,
): Promise<{ results: CaseResult[]; exitCode: number }> {
  const env: ExecutionEnv = {
    target: { ...options.target, resources: options.loaded.resources },
    schemas: options.loaded.schemas,
    http: options.http,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
  };
  const marks = { Pass: 'pass', Fail: 'FAIL', Skipped: 'skip' } as const;
  const results = await runSuite(options.loaded.suite, options.filter, env, (result) => {
    options.progress(`${marks[result.status]}  ${result.group} / ${result.name}\n`);
  });
  options.write(`${resultTable(results)}\n`);
  const details = failureDetails(results);
  if (details) {
    options.write(`\n${details}\n`);
  }
  if (options.junit) {
    mkdirSync(dirname(options.junit), { recursive: true });
    writeFileSync(options.junit, junitXml(results));
  }
  options.write(`\n${closingLine(results)}\n`);
  return { results, exitCode: totals(results).failed > 0 ? 1 : 0 };
}
