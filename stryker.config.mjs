// Mutation testing (npm run mutation): Stryker mutates the machines and the slot-critical parts
// of the implementation, and runs vitest.stryker.config.ts's tests against each mutant. The score
// is reported in the README; it is not part of CI (half an hour or more on two cores).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: [
    'machines/**/*.ts',
    '!machines/**/*.test.ts',
    'impl/taskexecutor/taskSlotTable.ts',
    'impl/taskexecutor/taskSlot.ts',
    'impl/taskexecutor/slots.ts',
    'impl/taskexecutor/slotOffers.ts',
    'impl/resourcemanager/slotmanager/slotTracker.ts',
    'impl/resourcemanager/slotmanager/slotAllocation.ts',
    'impl/resourcemanager/slotmanager/declarativeSlotManager.ts',
    'impl/jobmaster/slotpool/defaultDeclarativeSlotPool.ts',
    'impl/jobmaster/slotpool/declarativeSlotPoolBridge.ts',
  ],
  coverageAnalysis: 'perTest',
  // A machine's definition is built once, when its module loads: Stryker calls such mutants
  // static and must run every test for each (about 1 650 of them, four hours here). They are left
  // out of this run; stryker.static.config.mjs runs those of the three slot machines.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 30000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Later runs on this machine test again only the mutants whose code or tests changed.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
