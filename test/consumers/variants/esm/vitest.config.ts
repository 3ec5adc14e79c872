import { defineConfig } from 'vitest/config';

// As `nest new` (CLI 12) writes it: no `oxc` decorator setting. Vitest 4 takes experimentalDecorators and
// emitDecoratorMetadata from tsconfig.json (the README's FAQ says so; this app's e2e spec proves it).
export default defineConfig({
  test: { include: ['test/**/*.e2e-spec.ts'] },
});
