import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // Stryker's sandboxes (a copy of the whole project) and reports are not tests of this tree.
    exclude: ['node_modules/**', '.stryker-tmp/**', 'reports/**'],
    // Property and determinism suites are CPU-bound; two workers match the machines here.
    pool: 'forks',
    maxWorkers: 2,
  },
});
