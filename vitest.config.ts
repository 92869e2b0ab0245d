import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    // Property and determinism suites are CPU-bound; two workers match the machines here.
    pool: 'forks',
    maxWorkers: 2,
  },
});
