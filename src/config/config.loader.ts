import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { AppConfig, CONFIG_GROUPS, EditorAppSettings } from './app-config';
import { ConfigError, type ConfigProblem } from './config.errors';
import { settingsOf, type SettingEntry } from './setting.decorator';
import { parseBool, parseDuration, parseSize } from './units';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface LoadOptions {
  env: Environment;
  /** Command-line arguments after the script name; `--config <file>` is honoured. */
  argv?: readonly string[];
}

type Plain = Record<string, unknown>;

interface Origin {
  source: string;
  raw: unknown;
  secret: boolean;
}

/** Path of the YAML config file from `--config` or COLLABORATION_CONFIG_FILE. */
export function configFileFrom(options: LoadOptions): string | undefined {
  const argv = options.argv ?? [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--config') {
      return argv[i + 1];
    }
    if (arg.startsWith('--config=')) {
      return arg.slice('--config='.length);
    }
  }
  const fromEnv = options.env['COLLABORATION_CONFIG_FILE'];
  return fromEnv === '' ? undefined : fromEnv;
}

/**
 * Builds the configuration from defaults, an optional YAML file and the environment (which wins),
 * validates it once and returns it, or throws one ConfigError naming every bad value.
 */
export function loadConfig(options: LoadOptions): AppConfig {
  const problems: ConfigProblem[] = [];
  const origins = new Map<string, Origin>();
  const yaml = readYaml(configFileFrom(options), problems);
  const plain: Plain = {};

  for (const group of CONFIG_GROUPS) {
    const yamlGroup = yaml[group.key];
    if ('list' in group) {
      plain[group.key] = loadApps(yamlGroup, options.env, origins, problems);
      continue;
    }
    if (yamlGroup !== undefined && yamlGroup !== null && !isObject(yamlGroup)) {
      problems.push({
        source: `${group.key} (YAML)`,
        value: render(yamlGroup, false),
        expected: 'expected a mapping',
      });
      continue;
    }
    plain[group.key] = loadGroup(
      settingsOf(group.ctor),
      group.key,
      yamlGroup ?? {},
      options.env,
      origins,
      problems,
    );
  }
  for (const key of Object.keys(yaml)) {
    if (!CONFIG_GROUPS.some((g) => g.key === key)) {
      problems.push({
        source: `${key} (YAML)`,
        value: render(yaml[key], false),
        expected: 'unknown setting group',
      });
    }
  }

  const config = plainToInstance(AppConfig, plain);
  for (const error of validateSync(config, { forbidUnknownValues: false })) {
    collectValidationProblems(error, '', origins, problems);
  }
  crossChecks(config, origins, problems);
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}

function readYaml(file: string | undefined, problems: ConfigProblem[]): Plain {
  if (file === undefined) {
    return {};
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({
      source: '--config',
      value: JSON.stringify(file),
      expected: `a readable YAML file (${errorText(error)})`,
    });
    return {};
  }
  try {
    const parsed: unknown = parseYaml(text);
    if (parsed === null || parsed === undefined) {
      return {};
    }
    if (!isObject(parsed)) {
      problems.push({
        source: file,
        value: render(parsed, false),
        expected: 'a YAML mapping of setting groups',
      });
      return {};
    }
    return parsed;
  } catch (error) {
    problems.push({ source: file, value: '(file)', expected: `valid YAML (${errorText(error)})` });
    return {};
  }
}

function loadGroup(
  settings: readonly SettingEntry[],
  path: string,
  yamlGroup: Plain,
  env: Environment,
  origins: Map<string, Origin>,
  problems: ConfigProblem[],
  useEnv = true,
): Plain {
  const result: Plain = {};
  for (const key of Object.keys(yamlGroup)) {
    if (!settings.some((s) => s.property === key)) {
      problems.push({
        source: `${path}.${key} (YAML)`,
        value: render(yamlGroup[key], false),
        expected: 'unknown setting',
      });
    }
  }
  for (const setting of settings) {
    const envName = useEnv
      ? setting.env.find((name) => env[name] !== undefined && env[name] !== '')
      : undefined;
    const raw: unknown = envName !== undefined ? env[envName] : yamlGroup[setting.property];
    if (raw === undefined || raw === null) {
      continue;
    }
    const source = envName ?? `${path}.${setting.property} (YAML)`;
    origins.set(`${path}.${setting.property}`, { source, raw, secret: setting.secret === true });
    const converted = convert(setting, raw);
    if (converted.ok) {
      result[setting.property] = converted.value;
    } else {
      problems.push({
        source,
        value: render(raw, setting.secret === true),
        expected: converted.expected,
      });
    }
  }
  return result;
}

function loadApps(
  yamlApps: unknown,
  env: Environment,
  origins: Map<string, Origin>,
  problems: ConfigProblem[],
): Plain[] {
  const settings = settingsOf(EditorAppSettings);
  const apps: Plain[] = [];
  if (yamlApps !== undefined && yamlApps !== null) {
    if (!Array.isArray(yamlApps)) {
      problems.push({
        source: 'apps (YAML)',
        value: render(yamlApps, false),
        expected: 'expected a list of apps',
      });
    } else {
      yamlApps.forEach((entry: unknown, index) => {
        if (!isObject(entry)) {
          problems.push({
            source: `apps[${String(index)}] (YAML)`,
            value: render(entry, false),
            expected: 'expected a mapping',
          });
          return;
        }
        apps.push(
          loadGroup(settings, `apps.${String(index)}`, entry, env, origins, problems, false),
        );
      });
    }
  }
  const envApp = settings.some((s) =>
    s.env.some((name) => env[name] !== undefined && env[name] !== ''),
  );
  if (envApp) {
    const fromEnv = loadGroup(settings, `apps.${String(apps.length)}`, {}, env, origins, problems);
    const name = (fromEnv['name'] as string | undefined) ?? new EditorAppSettings().name;
    const existing = apps.findIndex(
      (app) => (app['name'] ?? new EditorAppSettings().name) === name,
    );
    if (existing >= 0) {
      apps[existing] = { ...apps[existing], ...fromEnv };
      for (const [key, origin] of origins) {
        if (key.startsWith(`apps.${String(apps.length)}.`)) {
          origins.set(
            key.replace(`apps.${String(apps.length)}.`, `apps.${String(existing)}.`),
            origin,
          );
        }
      }
    } else {
      apps.push(fromEnv);
    }
  }
  return apps;
}

type Converted = { ok: true; value: unknown } | { ok: false; expected: string };

function convert(setting: SettingEntry, raw: unknown): Converted {
  const text =
    typeof raw === 'string'
      ? raw
      : typeof raw === 'number' || typeof raw === 'boolean'
        ? String(raw)
        : undefined;
  switch (setting.kind) {
    case 'list': {
      if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) {
        return { ok: true, value: raw };
      }
      return text === undefined
        ? { ok: false, expected: 'expected a list of strings' }
        : {
            ok: true,
            value: text
              .split(',')
              .map((v) => v.trim())
              .filter((v) => v !== ''),
          };
    }
    case 'bool': {
      const value = text === undefined ? undefined : parseBool(text);
      return value === undefined
        ? { ok: false, expected: 'expected true or false' }
        : { ok: true, value };
    }
    case 'int': {
      const value = text !== undefined && /^-?\d+$/.test(text.trim()) ? Number(text) : undefined;
      return value === undefined
        ? { ok: false, expected: 'expected an integer' }
        : { ok: true, value };
    }
    case 'duration': {
      const value = text === undefined ? undefined : parseDuration(text);
      return value === undefined
        ? { ok: false, expected: 'expected a duration such as 30s, 5m or 1h30m' }
        : { ok: true, value };
    }
    case 'size': {
      const value = text === undefined ? undefined : parseSize(text);
      return value === undefined
        ? { ok: false, expected: 'expected a size such as 512MiB or 4GiB' }
        : { ok: true, value };
    }
    case 'string':
    case 'enum':
    case 'addr':
    case 'url':
      return text === undefined
        ? { ok: false, expected: 'expected a string' }
        : { ok: true, value: text.trim() };
  }
}

function collectValidationProblems(
  error: ValidationError,
  prefix: string,
  origins: Map<string, Origin>,
  problems: ConfigProblem[],
): void {
  const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
  if (error.constraints) {
    const origin = origins.get(path);
    problems.push({
      source: origin?.source ?? `${path} (default)`,
      value: origin ? render(origin.raw, origin.secret) : '(default)',
      expected: Object.values(error.constraints).join('; '),
    });
  }
  for (const child of error.children ?? []) {
    collectValidationProblems(child, path, origins, problems);
  }
}

function crossChecks(
  config: AppConfig,
  origins: Map<string, Origin>,
  problems: ConfigProblem[],
): void {
  const sourceOf = (path: string, fallback: string): string =>
    origins.get(path)?.source ?? fallback;
  if (config.storage.driver === 'cs3' && config.wopi.secret === undefined) {
    problems.push({
      source: 'COLLABORATION_WOPI_SECRET',
      value: '(unset)',
      expected: `required when COLLABORATION_STORAGE=${config.storage.driver}`,
    });
  }
  const names = new Set<string>();
  config.apps.forEach((app, index) => {
    const key = app.name.toLowerCase();
    if (names.has(key)) {
      problems.push({
        source: sourceOf(`apps.${String(index)}.name`, `apps[${String(index)}].name`),
        value: JSON.stringify(app.name),
        expected: 'app names must be unique (case-insensitive)',
      });
    }
    names.add(key);
  });
  const natsUrl = config.nats.url;
  if (
    config.audit.sink === 'nats' &&
    natsUrl === undefined &&
    config.audit.endpoint === undefined
  ) {
    problems.push({
      source: sourceOf('audit.sink', 'COLLABORATION_AUDIT_SINK'),
      value: '"nats"',
      expected: 'needs COLLABORATION_NATS_URL or OCIS_EVENTS_ENDPOINT',
    });
  }
  if (
    config.registry.type === 'nats-js-kv' &&
    natsUrl === undefined &&
    config.registry.address === undefined
  ) {
    problems.push({
      source: sourceOf('registry.type', 'MICRO_REGISTRY'),
      value: '"nats-js-kv"',
      expected: 'needs COLLABORATION_NATS_URL or MICRO_REGISTRY_ADDRESS',
    });
  }
  if (config.coops.log === 'jetstream' && natsUrl === undefined) {
    problems.push({
      source: sourceOf('coops.log', 'COLLABORATION_COOPS_LOG'),
      value: '"jetstream"',
      expected: 'needs COLLABORATION_NATS_URL',
    });
  }
  if (config.registry.interval >= config.registry.ttl) {
    problems.push({
      source: sourceOf('registry.interval', 'EXPERIMENTAL_REGISTER_INTERVAL'),
      value: `${String(config.registry.interval)}ms`,
      expected: 'the registry heartbeat must be shorter than EXPERIMENTAL_REGISTER_TTL',
    });
  }
}

function render(value: unknown, secret: boolean): string {
  if (secret) {
    return '(hidden)';
  }
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}

function isObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}
