// Regenerates the metrics catalogue in docs/admin-guide.md from what the built server really
// serves on /metrics (default configuration, local storage). `npm run docs:metrics`.
// test/e2e/metrics-docs.e2e.spec.ts fails when the catalogue and /metrics differ.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const {
  parseMetricFamilies,
  renderMetricsCatalogue,
  METRICS_CATALOGUE_START,
  METRICS_CATALOGUE_END,
} = await import(join(root, 'dist', 'metrics', 'metrics-catalogue.js'));
const guide = join(root, 'docs', 'admin-guide.md');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const data = mkdtempSync(join(tmpdir(), 'docs-metrics-'));
const [http, grpc, debug] = [await freePort(), await freePort(), await freePort()];
const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
  env: {
    ...process.env,
    COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
    COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(grpc)}`,
    COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
    COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
    COLLABORATION_LOCAL_ROOT: data,
    COLLABORATION_LOG_LEVEL: 'silent',
  },
  stdio: 'inherit',
});
try {
  let text;
  for (let i = 0; i < 200 && text === undefined; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${String(debug)}/metrics`);
      if (response.ok) {
        text = await response.text();
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  if (text === undefined) {
    throw new Error('the server did not serve /metrics');
  }
  const doc = readFileSync(guide, 'utf8');
  const from = doc.indexOf(METRICS_CATALOGUE_START);
  const to = doc.indexOf(METRICS_CATALOGUE_END);
  if (from < 0 || to < from) {
    throw new Error('docs/admin-guide.md has no metrics markers');
  }
  const table = renderMetricsCatalogue(parseMetricFamilies(text));
  writeFileSync(
    guide,
    `${doc.slice(0, from + METRICS_CATALOGUE_START.length)}\n${table}\n${doc.slice(to)}`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(data, { recursive: true, force: true });
}
