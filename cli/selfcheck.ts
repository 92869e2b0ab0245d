/**
 * `flink-slot-model selfcheck`: the determinism self-check over a range of seeds of the whole
 * cluster (the main job's configuration, its fault phase). Exit code 0 when every seed replays byte
 * for byte, 1 otherwise.
 */
import { flinkCluster } from '../impl/cluster/flinkCluster.js';
import { checkDeterminism } from '../traces/determinism.js';
import { loadMainJobConfig } from './mainJobConfig.js';
import type { Console } from './simulate.js';

export interface SelfcheckOptions {
  readonly seeds: number;
  readonly from: number;
  readonly config?: string;
}

export function selfcheck(options: SelfcheckOptions, io: Console): number {
  const loaded = loadMainJobConfig(options.config);
  const seeds = Array.from({ length: options.seeds }, (_, i) => options.from + i);
  const result = checkDeterminism(
    () => flinkCluster(loaded.cluster),
    { sim: loaded.sim, system: loaded.cluster },
    seeds,
  );
  const range = `seeds ${options.from}..${options.from + options.seeds - 1}`;
  if (result.failure === null) {
    io.out(
      `determinism self-check: ${range}, each run twice: ${result.steps} steps, ` +
        `${result.bytes} bytes of trace per pass, identical`,
    );
    return 0;
  }
  const { seed, line, first, second } = result.failure;
  io.err(`determinism self-check FAILED: seed ${seed} gave two different traces at line ${line}`);
  io.err(`  first run:  ${first}`);
  io.err(`  second run: ${second}`);
  io.err(`replay: npx flink-slot-model simulate --seed ${seed} --out -`);
  return 1;
}
