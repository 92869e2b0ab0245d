/**
 * `flink-slot-model simulate` (and `npm start`): one seeded run of the whole cluster under faults,
 * then a healing phase, with every conformance monitor and invariant on. Prints the timeline of
 * the slots in Flink's words and a verdict, and writes the run's trace to a file it names.
 */
import type { FaultKind } from '../impl/sim/config.js';
import { checkedRun } from '../properties/checkedRun.js';
import { demandAndCapacity } from '../properties/invariants/eventual.js';
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type { ClusterAction } from '../impl/cluster/flinkCluster.js';
import { ChangedStates } from '../traces/componentStates.js';
import { TraceRecorder } from '../traces/recorder.js';
import { sizedJobs } from './clusterOptions.js';
import { loadMainJobConfig, type MainJobConfig } from './mainJobConfig.js';
import { Timeline } from '../traces/timeline.js';
import { openTraceFile } from '../traces/traceFile.js';
import type { FaultBudget } from '../impl/sim/config.js';

export interface SimulateOptions {
  readonly seed: number;
  readonly config?: string;
  readonly steps?: number;
  readonly healSeconds?: number;
  readonly taskExecutors?: number;
  readonly slots?: number;
  readonly jobs?: number;
  readonly parallelism?: number;
  readonly mode?: 'standalone' | 'active';
  readonly faults?: FaultBudget;
  readonly leaderChanges?: number;
  readonly jobActions?: number;
  readonly jobEnds?: boolean;
  /** How many of the jobs (the last ones) a client submits during the run instead of at the start. */
  readonly lateJobs?: number;
  /** Where the trace goes (`-`: standard output); by default a fresh file under `runs/`. */
  readonly out?: string;
  readonly force?: boolean;
  readonly timeline?: boolean;
}

export interface Console {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** The run's configuration: the file (or the default), then the options. */
export function mainJobConfig(options: SimulateOptions): MainJobConfig {
  const base = loadMainJobConfig(options.config);
  const jobs = sizedJobs(base.cluster.jobs, options, 2);
  return {
    cluster: {
      ...base.cluster,
      jobs,
      ...(options.taskExecutors === undefined ? {} : { taskExecutors: options.taskExecutors }),
      ...(options.slots === undefined ? {} : { slotsPerTaskExecutor: options.slots }),
      ...(options.mode === undefined ? {} : { mode: options.mode }),
      ...(options.leaderChanges === undefined ? {} : { leaderChanges: options.leaderChanges }),
      ...(options.jobActions === undefined ? {} : { jobActions: options.jobActions }),
      ...(options.jobEnds === undefined ? {} : { jobEnds: options.jobEnds }),
    },
    sim: {
      ...base.sim,
      ...(options.steps === undefined ? {} : { maxSteps: options.steps }),
      ...(options.faults === undefined ? {} : { faults: options.faults }),
    },
    healMs: options.healSeconds === undefined ? base.healMs : options.healSeconds * 1000,
  };
}

export function simulate(options: SimulateOptions, argv: readonly string[], io: Console): number {
  return runMainJob(options, argv, io).exitCode;
}

/** The main job's run; also says where its trace went (null: standard output). */
export function runMainJob(
  options: SimulateOptions,
  argv: readonly string[],
  io: Console,
): { readonly exitCode: number; readonly trace: string | null } {
  const config = mainJobConfig(options);
  const print = options.out === '-' ? io.err : io.out;
  const output = openTraceFile(options.out, `seed-${options.seed}`, options.force === true, io.out);
  const timeline = new Timeline();
  const showTimeline = options.timeline !== false;
  const { cluster, sim } = config;
  print(
    `flink-slot-model: a ${cluster.mode} cluster of ${cluster.taskExecutors} TaskExecutors × ${cluster.slotsPerTaskExecutor} slots, ` +
      `${cluster.jobs.length} jobs (parallelism ${cluster.jobs.map((j) => j.parallelism).join(', ')}), seed ${options.seed}: ` +
      `${sim.maxSteps} steps under faults, then ${config.healMs / 1000} s of healing`,
  );
  const recorder = new TraceRecorder<ClusterMessage, ClusterAction>(
    {
      system: 'flink-cluster',
      config: { sim, system: { cluster, healMs: config.healMs } },
      seed: options.seed,
      choices: null,
    },
    (line) => output.write(line),
  );
  const states = new ChangedStates();
  const progressEvery = sim.maxSteps >= 20_000 ? Math.floor(sim.maxSteps / 10) : 0;
  let healingAnnounced = false;
  const result = checkedRun({
    cluster,
    sim,
    seed: options.seed,
    healMs: config.healMs,
    onStart: (record, state) => recorder.start(record, states.changed(state)),
    onStep: (record, phase, state) => {
      recorder.step(record, states.changed(state));
      if (progressEvery > 0 && phase === 'faults' && record.index % progressEvery === 0)
        io.err(
          `… step ${record.index} of ${sim.maxSteps} (simulated ${(record.time / 1000).toFixed(0)} s)`,
        );
      const lines = timeline.lines(record, state);
      if (!showTimeline) return;
      if (phase === 'healing' && !healingAnnounced) {
        healingAnnounced = true;
        print('— faults stop: partitions heal, crashed processes restart —');
      }
      for (const line of lines) print(line);
    },
  });
  const world = result.simulation.state;
  recorder.end(
    {
      steps: world.stepCount,
      time: world.now,
      reason: result.failure === null ? 'healed' : 'checkFailed',
      hash: result.simulation.hash(),
    },
    result.failure === null ? world.now - result.healStartedAt : undefined,
  );
  output.close();

  print('');
  print(`verdict: ${result.failure === null ? 'PASSED' : 'FAILED'}`);
  print(
    `  ${result.faultSteps} steps under faults and ${result.healingSteps} healing, ${(world.now / 1000).toFixed(3)} s simulated`,
  );
  print(
    `  slots: ${timeline.counts.allocated} allocated, ${timeline.counts.activated} activated, ${timeline.counts.freed} freed`,
  );
  const faults = (Object.keys(world.faultCounts) as FaultKind[]).map(
    (kind) => `${kind} ${world.faultCounts[kind]}/${sim.faults[kind]}`,
  );
  print(`  faults injected (of budget): ${faults.join(', ')}`);
  print(
    `  leader changes ${world.system.ha.leaderChanges}/${cluster.leaderChanges}, job client actions ${world.system.jobActions}/${cluster.jobActions}`,
  );
  const { demand, capacity } = demandAndCapacity(cluster, world.system);
  print(
    `  capacity: the jobs need ${demand} slots, the cluster has ${capacity}${demand > capacity ? ' (a job that cannot run must be told so)' : ''}`,
  );
  for (const check of result.passed) print(`  passed: ${check}`);
  if (result.failure !== null) {
    const where = result.failure.step === null ? 'after healing' : `at step ${result.failure.step}`;
    print(`  FIRST FAILURE (${result.failure.kind}, ${where}): ${result.failure.message}`);
  }
  if (output.path !== null) print(`  trace: ${output.path}`);
  print(`  replay: npx flink-slot-model simulate ${replayArgs(argv, options.seed)}`);
  return { exitCode: result.failure === null ? 0 : 1, trace: output.path };
}

/** The command line again, with the seed named and the trace options left out. */
function replayArgs(argv: readonly string[], seed: number): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === 'simulate' || arg === '--force' || arg === '--no-timeline') continue;
    if (arg === '--out' || arg === '--seed') {
      i += 1;
      continue;
    }
    if (arg.startsWith('--out=') || arg.startsWith('--seed=')) continue;
    kept.push(arg);
  }
  return [`--seed ${seed}`, ...kept].join(' ');
}
