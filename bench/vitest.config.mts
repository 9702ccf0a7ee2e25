import { defineConfig } from 'vitest/config';

// Benchmarks: run on demand (npx vitest run --config bench/vitest.config.mts), never in npm test.
export default defineConfig({
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['bench/**/*.bench.spec.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 300_000,
    pool: 'forks',
  },
});
