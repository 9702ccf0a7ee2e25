import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  METRICS_CATALOGUE_END,
  METRICS_CATALOGUE_START,
  parseMetricFamilies,
  renderMetricsCatalogue,
} from '../../src/metrics/metrics-catalogue';
import { startTestServer, type TestServer } from '../support/test-server';

const guide = join(__dirname, '..', '..', 'docs', 'admin-guide.md');

describe('metrics catalogue', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.dispose();
  });

  it('should list in docs/admin-guide.md exactly what /metrics serves (npm run docs:metrics)', async () => {
    const response = await fetch(`${server.debugUrl}/metrics`);
    expect(response.status).toBe(200);
    const families = parseMetricFamilies(await response.text());
    expect(families.map((f) => f.name)).toContain('collaboration_wopi_operations_total');
    const text = readFileSync(guide, 'utf8');
    const block = text.slice(
      text.indexOf(METRICS_CATALOGUE_START) + METRICS_CATALOGUE_START.length + 1,
      text.indexOf(METRICS_CATALOGUE_END),
    );
    expect(block).toBe(`${renderMetricsCatalogue(families)}\n`);
  });
});
