import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_GROUPS } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/config.loader';
import { settingsOf } from '../../src/config/setting.decorator';
import { parseHostPort } from '../../src/config/units';

const root = join(__dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const knownEnv = new Set(
  CONFIG_GROUPS.flatMap((group) => settingsOf(group.ctor).flatMap((setting) => setting.env)),
);

/** Dockerfile instructions with their continuation lines joined. */
function instructions(): { op: string; args: string }[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const space = line.indexOf(' ');
      return { op: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

function stage(index: number): { op: string; args: string }[] {
  const all = instructions();
  const starts = all.flatMap((entry, i) => (entry.op === 'FROM' ? [i] : []));
  return all.slice(starts[index], starts[index + 1]);
}

function envOf(args: string): Record<string, string> {
  return Object.fromEntries(
    [...args.matchAll(/([A-Z_]+)=(\S+)/g)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
}

const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

describe('Dockerfile', () => {
  const build = stage(0);
  const runtime = stage(1);

  it('should copy into the build only files that exist and are not .dockerignored', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').filter(Boolean);
    const sources = build
      .filter((entry) => entry.op === 'COPY' && !entry.args.startsWith('--from'))
      .flatMap((entry) => entry.args.split(/\s+/).slice(0, -1));
    expect(sources).toContain('src');
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(
        ignored.some((pattern) => source.startsWith(pattern)),
        source,
      ).toBe(false);
    }
  });

  it('should run the npm scripts CI runs', () => {
    const runs = build.filter((entry) => entry.op === 'RUN').map((entry) => entry.args);
    const npmRuns = runs.flatMap((run) => [...run.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
    expect(npmRuns).toContain('build:binary');
    for (const name of npmRuns) {
      expect(scripts[name ?? ''], name).toBeDefined();
    }
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toContain('npm run build:binary');
  });

  it('should run the executable alone, non-root, with listeners the environment opens', () => {
    const copied = runtime.filter((entry) => entry.op === 'COPY');
    expect(copied.map((entry) => entry.args)).toContainEqual(
      '--from=build /src/build/bin/ocis-collaboration /usr/local/bin/ocis-collaboration',
    );
    expect(copied.every((entry) => entry.args.startsWith('--from=build'))).toBe(true);
    const user = runtime.find((entry) => entry.op === 'USER')?.args ?? 'root';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const env = envOf(
      runtime
        .filter((entry) => entry.op === 'ENV')
        .map((e) => e.args)
        .join(' '),
    );
    expect(Object.keys(env).filter((name) => !knownEnv.has(name))).toEqual([]);
    const config = loadConfig({ env });
    const exposed = (runtime.find((entry) => entry.op === 'EXPOSE')?.args ?? '')
      .split(/\s+/)
      .map(Number);
    expect(exposed).toEqual(
      [config.http.addr, config.grpc.addr, config.debug.addr].map((a) => parseHostPort(a)?.port),
    );
    expect(runtime.find((entry) => entry.op === 'ENTRYPOINT')?.args).toBe(
      '["/usr/local/bin/ocis-collaboration"]',
    );
    expect(runtime.find((entry) => entry.op === 'HEALTHCHECK')?.args).toContain(
      'CMD ["/usr/local/bin/ocis-collaboration", "healthcheck"]',
    );
  });
});

describe('docs/docker.md', () => {
  const text = readFileSync(join(root, 'docs', 'docker.md'), 'utf8');
  const compose = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .find((block) => block.startsWith('services:'));

  it('should configure the collaboration service with settings the schema knows and accepts', () => {
    const doc = parse(compose ?? '') as {
      services: Record<string, { environment?: Record<string, string | number | boolean> }>;
    };
    const env = doc.services['collaboration']?.environment ?? {};
    expect(Object.keys(env).filter((name) => !knownEnv.has(name))).toEqual([]);
    const substituted = Object.fromEntries(
      Object.entries(env).map(([name, value]) => [
        name,
        String(value)
          .replace('${COLLABORATION_WOPI_SECRET}', 'a-secret-of-at-least-16-chars')
          .replace(/\$\{(\w+)\}/g, (_m, key: string) => `${key.toLowerCase()}.example.com`),
      ]),
    );
    expect(() => loadConfig({ env: substituted })).not.toThrow();
    expect(Object.keys(doc.services).sort()).toEqual([
      'collabora',
      'collaboration',
      'ocis',
      'traefik',
    ]);
  });
});

describe('documented npm commands', () => {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  it.each(files)('should name only npm scripts that exist in %s', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const named = [...text.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map(
      (match) => match[1] ?? '',
    );
    expect(named.filter((name) => scripts[name] === undefined)).toEqual([]);
  });
});
