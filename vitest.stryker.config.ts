/**
 * The tests Stryker runs against each mutant (stryker.config.mjs): the machines' own tests, the
 * implementation's unit tests and the conformance suites that walk the machines' paths and drive
 * the components' monitors. The whole-cluster suites (properties, explorer, bug zoo, traces, CLI)
 * are left out: they take minutes per run, and the machines are module-level constants, so every
 * mutant of a machine runs every test here.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['machines/**/*.test.ts', 'impl/**/*.test.ts', 'conformance/**/*.test.ts'],
    // The coverage suites walk every path of every machine again: seconds per run, nothing new.
    exclude: ['node_modules/**', '.stryker-tmp/**', 'conformance/*/coverage.test.ts'],
    pool: 'forks',
  },
});
