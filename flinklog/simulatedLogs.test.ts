/**
 * Logs made from the simulator, checked as a real cluster's: the sample traces written as the logs
 * of several releases conform with every line recognised; a property case of a canary, run to its
 * end with the canary on, leaves logs that show the bug (or, for the canaries a log cannot see,
 * says so), and the same case without it conforms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Canary } from '../impl/mutants.js';
import { CANARY_CASES, CANARY_RUNS } from '../properties/canaryCases.js';
import { runSuite } from '../properties/suite.js';
import { convertLogs } from './convert.js';
import { buildLogReport, type LogCheckReport } from './logReport.js';
import { caseFlinkLogs } from './simulatedLogs.js';
import { traceToFlinkLogs } from './traceToFlinkLogs.js';
import type { FlinkVersion } from './versions.js';

const SAMPLES = join(import.meta.dirname, '..', 'traces', 'samples');

async function checkFiles(files: ReadonlyMap<string, readonly string[]>): Promise<LogCheckReport> {
  return buildLogReport(await convertLogs([...files].map(([path, lines]) => ({ path, lines }))));
}

describe('logs made from the simulator', { timeout: 120_000 }, () => {
  for (const trace of ['standalone-seed-1.ndjson', 'active-seed-1.ndjson'])
    for (const release of ['1.13', '1.17', '2.0'] as FlinkVersion[])
      it(`${trace} as Flink ${release} logs: every line recognised, conforming`, async () => {
        const lines = readFileSync(join(SAMPLES, trace), 'utf8').split('\n');
        const files = await traceToFlinkLogs(lines, release);
        expect(files.size).toBeGreaterThan(1);
        const report = await checkFiles(files);
        expect(report.flinkVersion).toBe(release);
        expect(report.unknown.entries).toBe(0);
        expect(report.recognised.activateSlot).toBeGreaterThan(0);
        expect(report.verdict).toBe('conforms');
      });

  const failingCase = (canary: Canary) => {
    const suite = runSuite({
      seed: CANARY_CASES[canary].seed,
      numRuns: CANARY_RUNS,
      mutants: [canary],
      traceStem: null,
      shrink: false,
    });
    if (suite.failure === null) throw new Error(`${canary} not caught from its seed`);
    return suite.failure.case;
  };

  it('canary:taskExecutorAcceptsOccupiedSlot: its logs show two allocations in one slot; the reference, none', async () => {
    const c = failingCase('canary:taskExecutorAcceptsOccupiedSlot');
    const mutant = await checkFiles(
      caseFlinkLogs(c, {
        version: '1.17',
        mutants: ['canary:taskExecutorAcceptsOccupiedSlot'],
        checks: false,
      }).files,
    );
    expect(mutant.verdict).toBe('violates');
    expect(mutant.violations[0]?.invariant).toBe('oneAllocationPerSlot');
    const reference = caseFlinkLogs(c, { version: '1.17' });
    expect(reference.passed).toBe(true);
    expect((await checkFiles(reference.files)).verdict).toBe('conforms');
  });

  // What a log at INFO cannot show: which ResourceManager leader a TaskExecutor is registered at
  // (the registration line names no leader id), and the slot pool's own bookkeeping.
  for (const canary of [
    'canary:taskExecutorIgnoresResourceManagerId',
    'canary:slotPoolAcceptsSurplusOffers',
  ] as const)
    it(`${canary}: not visible in the logs at INFO (they conform)`, async () => {
      const c = failingCase(canary);
      const logs = caseFlinkLogs(c, { version: '1.17', mutants: [canary], checks: false });
      expect((await checkFiles(logs.files)).verdict).toBe('conforms');
    });
});
