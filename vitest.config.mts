import { defineConfig } from 'vitest/config';

// Vite 8 transforms TypeScript with oxc, which emits the decorator metadata Nest's dependency
// injection needs (legacy decorators + emitDecoratorMetadata, read from tsconfig.json).
export default defineConfig({
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts', 'tools/**/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
