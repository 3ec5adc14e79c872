import { defineConfig } from 'vitest/config';

// `npm run test:consumers`: the packed library installed into consumer apps (slow: npm installs, tsc builds).
export default defineConfig({
  test: {
    include: ['test/consumers/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
