import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const files = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  ...readdirSync(join(root, 'docs', 'adr')).map((name) => `docs/adr/${name}`),
];

describe('documentation links', () => {
  it.each(files)('should link only to files that exist from %s', (file) => {
    const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1] ?? '')
      .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
      .map((target) => target.split('#')[0] ?? '');
    const missing = targets.filter(
      (target) => target !== '' && !existsSync(join(root, dirname(file), target)),
    );
    expect(missing).toEqual([]);
  });
});
