import { defineConfig } from 'vitest/config';

/** `npm run test:stress`: the reliability tests that take minutes (CI runs them after `npm test`). */
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
