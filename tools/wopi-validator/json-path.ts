/**
 * The part of Newtonsoft's JToken.SelectToken the suite uses: `A.B`, `A[0].B`, `A['b']`,
 * `A[-1:].B` (slices), `[*]`. No match gives undefined; a path that matches several tokens throws,
 * as Newtonsoft does ("Path returned multiple tokens").
 */

type Step =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'all' };

export function selectToken(root: unknown, path: string): unknown {
  let current: unknown[] = [root];
  for (const step of parsePath(path)) {
    current = current.flatMap((value) => apply(step, value));
  }
  if (current.length > 1) {
    throw new Error(`Path returned multiple tokens: ${path}`);
  }
  return current[0];
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'name':
      return isObject(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [];
    case 'index':
      return Array.isArray(value) && step.index >= 0 && step.index < value.length
        ? [value[step.index] as unknown]
        : [];
    case 'all':
      return Array.isArray(value)
        ? (value as unknown[])
        : isObject(value)
          ? Object.values(value)
          : [];
    case 'slice':
      return Array.isArray(value) ? slice(value as unknown[], step) : [];
  }
}

function slice(array: unknown[], step: { start?: number; end?: number; step: number }): unknown[] {
  const clamp = (index: number): number =>
    Math.min(array.length, Math.max(0, index < 0 ? array.length + index : index));
  const start = clamp(step.start ?? 0);
  const end = clamp(step.end ?? array.length);
  const out: unknown[] = [];
  for (let i = start; i < end; i += step.step) {
    out.push(array[i]);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  while (i < path.length) {
    const char = path.charAt(i);
    if (char === '.') {
      i++;
      continue;
    }
    if (char === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) {
        throw new Error(`Path ended with an open bracket: ${path}`);
      }
      steps.push(parseBracket(path.slice(i + 1, close).trim(), path));
      i = close + 1;
      continue;
    }
    const end = path.slice(i).search(/[.[]/);
    const name = end < 0 ? path.slice(i) : path.slice(i, i + end);
    steps.push({ kind: 'name', name });
    i += name.length;
  }
  return steps;
}

function parseBracket(inner: string, path: string): Step {
  if (inner === '*') {
    return { kind: 'all' };
  }
  const quoted = /^'(.*)'$|^"(.*)"$/s.exec(inner);
  if (quoted) {
    return { kind: 'name', name: quoted[1] ?? quoted[2] ?? '' };
  }
  if (/^-?\d+$/.test(inner)) {
    return { kind: 'index', index: Number(inner) };
  }
  const range = /^(-?\d+)?:(-?\d+)?(?::(-?\d+))?$/.exec(inner);
  if (range) {
    const step = range[3] === undefined ? 1 : Number(range[3]);
    if (step <= 0) {
      throw new Error(`Unsupported slice step in path: ${path}`);
    }
    return {
      kind: 'slice',
      start: range[1] === undefined ? undefined : Number(range[1]),
      end: range[2] === undefined ? undefined : Number(range[2]),
      step,
    };
  }
  throw new Error(`Unexpected character while parsing path indexer: ${path}`);
}
