import { executeCase, type ExecutionEnv, type RequestRecord } from './executor';
import type { Category, GroupDef, Suite, TargetCategory, TestCaseDef } from './model';

export type CaseStatus = 'Pass' | 'Fail' | 'Skipped';

export interface CaseResult {
  group: string;
  name: string;
  category: Category;
  status: CaseStatus;
  /** One line: why it failed or was skipped; empty when it passed. */
  reason: string;
  /** For a skip caused by a prerequisite: that prerequisite's name. */
  prereq?: string;
  errors: string[];
  requests: RequestRecord[];
  ms: number;
}

export interface RunFilter {
  groups?: string[];
  cases?: string[];
  category?: TargetCategory;
  /** Run HasDelay groups (Microsoft's -d); otherwise their cases are skipped. */
  includeDelay?: boolean;
}

export const NATIVE_CLIENT_USER_AGENT = 'Microsoft Office WOPI Validator/1.0';

/** The groups and cases a filter selects, in file order (errors name filters that match nothing). */
export function selectCases(
  suite: Suite,
  filter: RunFilter,
): { group: GroupDef; cases: TestCaseDef[] }[] {
  const category = filter.category ?? 'All';
  for (const name of filter.groups ?? []) {
    if (!suite.groups.some((group) => group.name === name)) {
      throw new Error(`no test group is named ${name}`);
    }
  }
  const selected = suite.groups
    .filter((group) => !filter.groups?.length || filter.groups.includes(group.name))
    .map((group) => ({
      group,
      cases: group.cases.filter(
        (testCase) =>
          (category === 'All' ||
            testCase.category === 'WopiCore' ||
            testCase.category === category) &&
          (!filter.cases?.length || filter.cases.includes(testCase.name)),
      ),
    }))
    .filter((entry) => entry.cases.length > 0);
  for (const name of filter.cases ?? []) {
    if (!selected.some((entry) => entry.cases.some((testCase) => testCase.name === name))) {
      throw new Error(`no selected test case is named ${name}`);
    }
  }
  return selected;
}

/**
 * Runs the selection like Microsoft's CLI: groups and cases in file order; before every case its
 * group's prerequisites run, each as a full case; the first that does not pass makes the case
 * Skipped. Cases of HasDelay groups are skipped unless includeDelay.
 */
export async function runSuite(
  suite: Suite,
  filter: RunFilter,
  env: ExecutionEnv,
  onResult: (result: CaseResult) => void = () => undefined,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const { group, cases } of selectCases(suite, filter)) {
    for (const testCase of cases) {
      const result =
        group.hasDelay && !filter.includeDelay
          ? skipped(group, testCase, 'the group uses delays (run with --include-delay)')
          : await runCase(group, testCase, withUserAgent(env, testCase, filter.category ?? 'All'));
      results.push(result);
      onResult(result);
    }
  }
  return results;
}

function withUserAgent(
  env: ExecutionEnv,
  testCase: TestCaseDef,
  target: TargetCategory,
): ExecutionEnv {
  const native = target === 'OfficeNativeClient' || testCase.category === 'OfficeNativeClient';
  return { ...env, userAgent: native ? NATIVE_CLIENT_USER_AGENT : undefined };
}

export async function runCase(
  group: GroupDef,
  testCase: TestCaseDef,
  env: ExecutionEnv,
): Promise<CaseResult> {
  const started = env.now();
  const base = { group: group.name, name: testCase.name, category: testCase.category };
  for (const prereq of group.prereqs) {
    const run = await executeCase(prereq, env);
    if (run.status !== 'Pass') {
      return {
        ...base,
        status: 'Skipped',
        reason: `prerequisite ${prereq.name} failed: ${run.errors[0] ?? run.message}`,
        prereq: prereq.name,
        errors: run.errors,
        requests: run.requests,
        ms: env.now() - started,
      };
    }
  }
  const run = await executeCase(testCase, env);
  return {
    ...base,
    status: run.status,
    reason: run.status === 'Pass' ? '' : [run.message, ...run.errors].join(' '),
    errors: run.errors,
    requests: run.requests,
    ms: env.now() - started,
  };
}

function skipped(group: GroupDef, testCase: TestCaseDef, reason: string): CaseResult {
  return {
    group: group.name,
    name: testCase.name,
    category: testCase.category,
    status: 'Skipped',
    reason,
    errors: [],
    requests: [],
    ms: 0,
  };
}
