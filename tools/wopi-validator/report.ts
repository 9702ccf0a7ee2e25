import type { CaseResult } from './runner';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function totals(results: readonly CaseResult[]): Totals {
  return {
    passed: results.filter((result) => result.status === 'Pass').length,
    failed: results.filter((result) => result.status === 'Fail').length,
    skipped: results.filter((result) => result.status === 'Skipped').length,
  };
}

/** The closing line, exactly `N passed, N failed, N skipped`. */
export function closingLine(results: readonly CaseResult[]): string {
  const { passed, failed, skipped } = totals(results);
  return `${String(passed)} passed, ${String(failed)} failed, ${String(skipped)} skipped`;
}

const RESULT_TEXT = { Pass: 'pass', Fail: 'FAIL', Skipped: 'skip' } as const;

/** One aligned row per case: group, case, result, reason (skips name their prerequisite). */
export function resultTable(results: readonly CaseResult[]): string {
  const rows = [
    ['GROUP', 'CASE', 'RESULT', 'REASON'],
    ...results.map((result) => [
      result.group,
      result.name,
      RESULT_TEXT[result.status],
      oneLine(result.reason),
    ]),
  ];
  const widths = [0, 1, 2].map((column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** For every failed case: each request with its status and validation errors (tokens redacted). */
export function failureDetails(results: readonly CaseResult[]): string {
  return results
    .filter((result) => result.status === 'Fail')
    .map((result) =>
      [
        `Fail: ${result.group} / ${result.name}`,
        `  ${oneLine(result.reason)}`,
        ...result.requests.map(
          (request) =>
            `  ${request.cleanup ? '(cleanup) ' : ''}${request.name} ${request.method} ${redact(request.url)} -> ${String(request.status)}` +
            request.errors.map((error) => `\n      ${oneLine(error)}`).join(''),
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

export function redact(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, '$1***');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** JUnit XML: one testsuite per group, skipped and failed cases with their reason. */
export function junitXml(results: readonly CaseResult[], suiteName = 'WOPI validator'): string {
  const groups = new Map<string, CaseResult[]>();
  for (const result of results) {
    groups.set(result.group, [...(groups.get(result.group) ?? []), result]);
  }
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const all = totals(results);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suiteName)}" tests="${String(results.length)}" failures="${String(all.failed)}" skipped="${String(all.skipped)}" time="${seconds(results.reduce((sum, result) => sum + result.ms, 0))}">`,
  ];
  for (const [group, cases] of groups) {
    const counts = totals(cases);
    lines.push(
      `  <testsuite name="${xml(group)}" tests="${String(cases.length)}" failures="${String(counts.failed)}" skipped="${String(counts.skipped)}" time="${seconds(cases.reduce((sum, result) => sum + result.ms, 0))}">`,
    );
    for (const result of cases) {
      const open = `    <testcase classname="${xml(group)}" name="${xml(result.name)}" time="${seconds(result.ms)}"`;
      if (result.status === 'Pass') {
        lines.push(`${open}/>`);
      } else if (result.status === 'Skipped') {
        lines.push(
          `${open}>`,
          `      <skipped message="${xml(oneLine(result.reason))}"/>`,
          '    </testcase>',
        );
      } else {
        const details = failureDetails([result]);
        lines.push(
          `${open}>`,
          `      <failure message="${xml(oneLine(result.reason))}">${xml(details)}</failure>`,
          '    </testcase>',
        );
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
  );
}
