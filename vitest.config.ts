import { defineConfig } from 'vitest/config';

export default defineConfig({
  // NestJS needs legacy decorators and their design-time metadata; Vitest 4 transpiles with oxc.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    exclude: ['test/bench/**', 'test/consumers/**', 'node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
