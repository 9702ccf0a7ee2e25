import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { closingLine, failureDetails, junitXml, redact, resultTable } from './report';
import type { CaseResult } from './runner';

const result = (
  name: string,
  status: CaseResult['status'],
  reason = '',
  extra: Partial<CaseResult> = {},
): CaseResult => ({
  group: 'Locks',
  name,
  category: 'WopiCore',
  status,
  reason,
  errors: [],
  requests: [],
  ms: 12,
  ...extra,
});

const results = [
  result('A', 'Pass'),
  result('B', 'Fail', 'Unlock request failed. <wrong> & "lock"', {
    requests: [
      {
        name: 'Unlock',
        method: 'POST',
        url: 'http://h/wopi/files/1?access_token=secret&access_token_ttl=0',
        status: 409,
        errors: ['bad lock'],
        cleanup: false,
      },
    ],
  }),
  result('C', 'Skipped', 'prerequisite GetLockPrereq failed: Required property missing', {
    group: 'GetLock',
    prereq: 'GetLockPrereq',
  }),
];

describe('closingLine', () => {
  it('should read exactly "N passed, N failed, N skipped"', () => {
    expect(closingLine(results)).toBe('1 passed, 1 failed, 1 skipped');
    expect(closingLine([])).toBe('0 passed, 0 failed, 0 skipped');
  });
});

describe('resultTable', () => {
  it('should have one aligned row per case with the reason, skips naming their prerequisite', () => {
    const lines = resultTable(results).split('\n');
    expect(lines[0]).toMatch(/^GROUP\s+CASE\s+RESULT\s+REASON$/);
    expect(lines[1]).toMatch(/^Locks\s+A\s+pass$/);
    expect(lines[3]).toMatch(
      /^GetLock\s+C\s+skip\s+prerequisite GetLockPrereq failed: Required property missing$/,
    );
    const column = lines[0]?.indexOf('RESULT') ?? -1;
    expect(lines.slice(1).map((line) => line.slice(column, column + 4))).toEqual([
      'pass',
      'FAIL',
      'skip',
    ]);
  });
});

describe('failureDetails', () => {
  it('should list the failed requests with status and errors, tokens redacted', () => {
    const text = failureDetails(results);
    expect(text).toContain('Fail: Locks / B');
    expect(text).toContain(
      'Unlock POST http://h/wopi/files/1?access_token=***&access_token_ttl=0 -> 409',
    );
    expect(text).toContain('bad lock');
    expect(text).not.toContain('secret');
    expect(redact('http://h/x?a=1&ACCESS_TOKEN=t#f')).toBe('http://h/x?a=1&ACCESS_TOKEN=***#f');
  });
});

describe('junitXml', () => {
  it('should write one testsuite per group with failures and skips', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      junitXml(results),
    ) as {
      testsuites: {
        tests: string;
        failures: string;
        skipped: string;
        testsuite: { name: string; testcase: unknown }[];
      };
    };
    const suites = parsed.testsuites;
    expect([suites.tests, suites.failures, suites.skipped]).toEqual(['3', '1', '1']);
    expect(suites.testsuite.map((suite) => suite.name)).toEqual(['Locks', 'GetLock']);
    expect(JSON.stringify(suites.testsuite[0]?.testcase)).toContain(
      'Unlock request failed. <wrong> & \\"lock\\"',
    );
    expect(JSON.stringify(suites.testsuite[1]?.testcase)).toContain(
      'prerequisite GetLockPrereq failed',
    );
  });
});
