import { describe, expect, it } from 'vitest';
import { parseMetricFamilies, renderMetricsCatalogue } from './metrics-catalogue';

describe('parseMetricFamilies', () => {
  it('should read HELP and TYPE of each family, sorted, ignoring samples', () => {
    const text = [
      '# HELP b_total Things | counted.',
      '# TYPE b_total counter',
      'b_total{x="1"} 3',
      '# HELP a_seconds Time\\nspent.',
      '# TYPE a_seconds histogram',
      'a_seconds_bucket{le="1"} 0',
    ].join('\n');
    const families = parseMetricFamilies(text);
    expect(families).toEqual([
      { name: 'a_seconds', type: 'histogram', help: 'Time spent.' },
      { name: 'b_total', type: 'counter', help: 'Things | counted.' },
    ]);
    expect(renderMetricsCatalogue(families)).toBe(
      [
        '| metric | type | meaning |',
        '|---|---|---|',
        '| `a_seconds` | histogram | Time spent. |',
        '| `b_total` | counter | Things \\| counted. |',
      ].join('\n'),
    );
  });
});
