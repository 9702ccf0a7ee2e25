/** Parsers for the value formats settings accept. Each returns undefined when the text is invalid. */

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations ("30s", "1h30m", "250ms"); a bare number means seconds. Result in ms. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.round(Number(trimmed) * 1000);
  }
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.exec(trimmed);
  if (!parts) {
    return undefined;
  }
  let total = 0;
  for (const [, value, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(value) * (durationUnits[unit ?? ''] ?? 0);
  }
  return Math.round(total);
}

const sizeUnits: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Byte sizes: "1048576", "512MiB", "4GiB", "100MB". */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const factor = sizeUnits[(match[2] ?? '').toLowerCase()];
  return factor === undefined ? undefined : Math.floor(Number(match[1]) * factor);
}

export function parseBool(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) {
    return true;
  }
  if (['0', 'false', 'no', 'off', ''].includes(value)) {
    return false;
  }
  return undefined;
}

export interface HostPort {
  host: string;
  port: number;
}

/** "host:port", "[::1]:port" or ":port" (all interfaces). */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const port = Number(match[3]);
  if (port > 65_535) {
    return undefined;
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) {
    return `${String(ms / 3_600_000)}h`;
  }
  if (ms % 60_000 === 0 && ms > 0) {
    return `${String(ms / 60_000)}m`;
  }
  if (ms % 1000 === 0) {
    return `${String(ms / 1000)}s`;
  }
  return `${String(ms)}ms`;
}

export function formatSize(bytes: number): string {
  for (const [unit, factor] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= factor && bytes % factor === 0) {
      return `${String(bytes / factor)}${unit}`;
    }
  }
  return String(bytes);
}
