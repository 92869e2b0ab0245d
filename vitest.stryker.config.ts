/**
 * The tests Stryker runs against each mutant (stryker.config.mjs): the machines' own tests, the
 * implementation's unit tests and the per-component conformance suites (the machines' paths, the
 * monitors, and Flink's own TaskExecutor, ResourceManager and JobMaster test scenarios ported).
 * The whole-cluster scenarios, the generated suites (properties, explorer, bug zoo) and the traces
 * and CLI tests are left out: they take seconds to minutes per run, for every mutant they cover.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'machines/**/*.test.ts',
      'impl/**/*.test.ts',
      'conformance/taskExecutor/*.test.ts',
      'conformance/resourceManager/*.test.ts',
      'conformance/jobMaster/*.test.ts',
    ],
    // The coverage suites walk every path of every machine again: seconds per run, nothing new.
    exclude: ['node_modules/**', '.stryker-tmp/**', 'conformance/*/coverage.test.ts'],
    pool: 'forks',
  },
});
