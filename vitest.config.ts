import { defineConfig } from 'vitest/config';

// Unit + integration tests run in Node. The Playwright suite (test/e2e) is separate.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
