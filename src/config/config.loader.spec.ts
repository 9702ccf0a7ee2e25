import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.errors';
import { loadConfig } from './config.loader';

function yamlFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'collab-config-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('should give the embedded defaults with an empty environment', () => {
    const config = loadConfig({ env: {} });
    expect(config.http.addr).toBe('127.0.0.1:9300');
    expect(config.grpc.addr).toBe('127.0.0.1:9301');
    expect(config.debug.addr).toBe('127.0.0.1:9304');
    expect(config.wopi.src).toBe('http://127.0.0.1:9300');
    expect(config.storage.driver).toBe('local');
    expect(config.storage.localRoot).toBe('./data');
    expect(config.log.level).toBe('info');
    expect(config.apps).toEqual([]);
    expect(config.nats.url).toBeUndefined();
    expect(config.audit.sink).toBe('log');
    expect(config.coops.log).toBe('memory');
  });

  it('should read oCIS variable names and convert durations, sizes and booleans', () => {
    const config = loadConfig({
      env: {
        COLLABORATION_HTTP_ADDR: '0.0.0.0:9400',
        COLLABORATION_WOPI_SRC: 'https://wopi.example.com',
        COLLABORATION_HTTP_MAX_UPLOAD_SIZE: '512MiB',
        COLLABORATION_WOPI_TOKEN_TTL: '1h30m',
        OCIS_WOPI_DISABLE_CHAT: 'true',
        OCIS_REVA_GATEWAY: '127.0.0.1:9142',
        COLLABORATION_COOPS_CORS_ORIGINS: 'https://a.example, https://b.example',
      },
    });
    expect(config.http.addr).toBe('0.0.0.0:9400');
    expect(config.http.maxUploadSize).toBe(512 * 1024 * 1024);
    expect(config.wopi.tokenTtl).toBe(90 * 60_000);
    expect(config.wopi.disableChat).toBe(true);
    expect(config.cs3.gateway).toBe('127.0.0.1:9142');
    expect(config.coops.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('should prefer the COLLABORATION_ name over the OCIS_ alias', () => {
    const config = loadConfig({
      env: { COLLABORATION_LOG_LEVEL: 'debug', OCIS_LOG_LEVEL: 'error' },
    });
    expect(config.log.level).toBe('debug');
  });

  it('should read a YAML file given with --config and let the environment win over it', () => {
    const file = yamlFile(
      'http:\n  addr: 127.0.0.1:9500\nlog:\n  level: warn\napps:\n  - name: Collabora\n    product: Collabora\n    addr: https://collabora.example:9980\n  - name: OnlyOffice\n    product: OnlyOffice\n    addr: https://onlyoffice.example\n',
    );
    const config = loadConfig({
      env: { COLLABORATION_LOG_LEVEL: 'error' },
      argv: ['--config', file],
    });
    expect(config.http.addr).toBe('127.0.0.1:9500');
    expect(config.log.level).toBe('error');
    expect(config.apps.map((app) => [app.name, app.product])).toEqual([
      ['Collabora', 'Collabora'],
      ['OnlyOffice', 'OnlyOffice'],
    ]);
    expect(config.apps[0]?.proofDisable).toBe(false);
  });

  it('should take the file from COLLABORATION_CONFIG_FILE too', () => {
    const file = yamlFile('storage:\n  localRoot: /srv/files\n');
    expect(loadConfig({ env: { COLLABORATION_CONFIG_FILE: file } }).storage.localRoot).toBe(
      '/srv/files',
    );
  });

  it('should build one app from the oCIS single-app variables and merge it with a YAML app of that name', () => {
    const file = yamlFile(
      'apps:\n  - name: Collabora\n    product: Collabora\n    addr: https://old.example\n    icon: custom\n',
    );
    const config = loadConfig({
      env: {
        COLLABORATION_APP_NAME: 'Collabora',
        COLLABORATION_APP_ADDR: 'https://new.example',
        COLLABORATION_APP_PROOF_DISABLE: '1',
      },
      argv: [`--config=${file}`],
    });
    expect(config.apps).toHaveLength(1);
    expect(config.apps[0]).toMatchObject({
      name: 'Collabora',
      product: 'Collabora',
      addr: 'https://new.example',
      icon: 'custom',
      proofDisable: true,
    });
  });

  it('should name all three bad values in one message', () => {
    const message = problemsOf(() =>
      loadConfig({
        env: {
          COLLABORATION_HTTP_ADDR: 'nonsense',
          COLLABORATION_LOG_LEVEL: 'loud',
          COLLABORATION_WOPI_TOKEN_TTL: 'soon',
        },
      }),
    );
    expect(message).toContain('3 problems');
    expect(message).toMatch(/COLLABORATION_HTTP_ADDR = "nonsense": expected host:port/);
    expect(message).toMatch(/COLLABORATION_LOG_LEVEL = "loud": expected one of fatal, error/);
    expect(message).toMatch(/COLLABORATION_WOPI_TOKEN_TTL = "soon": expected a duration/);
  });

  it('should never print a secret, even when it is the bad value', () => {
    const message = problemsOf(() =>
      loadConfig({
        env: { COLLABORATION_WOPI_SECRET: 'short-s3cr3t', COLLABORATION_DEBUG_TOKEN: 'x' },
      }),
    );
    expect(message).toContain(
      'COLLABORATION_WOPI_SECRET = (hidden): expected at least 16 characters',
    );
    expect(message).not.toContain('short-s3cr3t');
  });

  it('should require a WOPI secret outside local mode', () => {
    const message = problemsOf(() => loadConfig({ env: { COLLABORATION_STORAGE: 'cs3' } }));
    expect(message).toContain(
      'COLLABORATION_WOPI_SECRET = (unset): required when COLLABORATION_STORAGE=cs3',
    );
  });

  it('should refuse a WOPISrc with a path and features that need NATS without NATS', () => {
    const message = problemsOf(() =>
      loadConfig({
        env: {
          COLLABORATION_WOPI_SRC: 'https://host.example/wopi',
          COLLABORATION_AUDIT_SINK: 'nats',
          MICRO_REGISTRY: 'nats-js-kv',
          COLLABORATION_COOPS_LOG: 'jetstream',
        },
      }),
    );
    expect(message).toContain('4 problems');
    expect(message).toMatch(
      /COLLABORATION_WOPI_SRC = "https:\/\/host.example\/wopi": expected an absolute http\(s\) URL without path/,
    );
    expect(message).toContain('COLLABORATION_AUDIT_SINK = "nats": needs COLLABORATION_NATS_URL');
    expect(message).toContain('MICRO_REGISTRY = "nats-js-kv": needs COLLABORATION_NATS_URL');
    expect(message).toContain(
      'COLLABORATION_COOPS_LOG = "jetstream": needs COLLABORATION_NATS_URL',
    );
  });

  it('should report unknown YAML keys, bad YAML values and an unreadable file', () => {
    const file = yamlFile(
      'http:\n  adr: 1\n  maxUploadSize: lots\nwhatever: {}\napps:\n  - name: A\n  - name: a\n',
    );
    const message = problemsOf(() => loadConfig({ env: {}, argv: ['--config', file] }));
    expect(message).toContain('http.adr (YAML) = 1: unknown setting');
    expect(message).toContain('http.maxUploadSize (YAML) = "lots": expected a size');
    expect(message).toContain('whatever (YAML)');
    expect(message).toContain('app names must be unique');
    expect(
      problemsOf(() => loadConfig({ env: {}, argv: ['--config', '/nonexistent/c.yaml'] })),
    ).toContain('a readable YAML file');
  });
});
