/**
 * The command line: `flink-slot-model <command>`. Errors in what the user gave are printed as one
 * clear message with exit code 2; an unexpected failure is a bug and keeps its stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { renderCatalogueMarkdown } from '../protocol/describe.js';
import { DEFAULT_MAX_DECISIONS } from '../properties/generators.js';
import { check } from './check.js';
import {
  checkFlinkLogs,
  checkLogTraceFile,
  convert,
  isLogTraceFile,
  renderLogs,
} from './flinkLogs.js';
import { withClusterSize } from './clusterOptions.js';
import { addExploreCommand } from './explore.js';
import { inspect, type InspectOptions } from './inspect.js';
import { addMutantsCommand } from './mutants.js';
import { properties } from './properties.js';
import { MAX_SEED, seedOption } from './seedOption.js';
import { selfcheck } from './selfcheck.js';
import { simulate, type Console } from './simulate.js';
import { view } from './view.js';
import type { FaultBudget } from '../impl/sim/config.js';
import { parseFaults } from './mainJobConfig.js';
import { parseNonNegativeInt, parsePositiveInt, UsageError } from './usageError.js';

export function buildProgram(
  io: Console,
  setExitCode: (code: number | Promise<number>) => void,
  argv: readonly string[] = [],
): Command {
  const program = new Command('flink-slot-model')
    .description("An executable model of Apache Flink's slot allocation protocol.")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });

  withClusterSize(
    program
      .command('simulate')
      .description(
        'run the whole cluster under seeded faults, then heal it; print the slot timeline and a verdict, and write the trace',
      )
      .addOption(seedOption('seed of the run'))
      .option('--steps <n>', 'steps under faults (default 2000)', parseNonNegativeInt('--steps'))
      .option(
        '--heal <seconds>',
        'simulated seconds of healing afterwards (default 300)',
        parseNonNegativeInt('--heal'),
      ),
    { taskExecutors: 3, slots: 2, jobs: 2, parallelism: 2 },
    { taskExecutors: 64, slots: 16, jobs: 16, parallelism: 256 },
    'TaskExecutors, or workers in active mode',
  )
    .addOption(
      new Option('--mode <mode>', 'standalone or active (workers started on request)').choices([
        'standalone',
        'active',
      ]),
    )
    .option(
      '--faults <mix>',
      'fault budgets: none, light (default), heavy, or kind=count,… (drop, duplicate, delay, reorder, crash, partition)',
      parseFaults,
    )
    .option(
      '--leader-changes <n>',
      'leader changes HA may cause (default 2)',
      parseNonNegativeInt('--leader-changes'),
    )
    .option(
      '--job-actions <n>',
      'client actions on jobs (default 1)',
      parseNonNegativeInt('--job-actions'),
    )
    .option('--job-ends', 'let client actions finish or cancel jobs, not only rescale them')
    .option(
      '--late-jobs <n>',
      'how many of the jobs a client submits during the run (default 0)',
      parseNonNegativeInt('--late-jobs', 16),
    )
    .option(
      '--config <file>',
      'JSON configuration ({cluster, sim, healMs}) laid over the built-in default',
    )
    .option(
      '--out <file>',
      'write the trace here (- for standard output); default: a new file under runs/',
    )
    .option('--force', 'overwrite an existing trace file')
    .option('--no-timeline', 'print only the verdict')
    .action(
      (options: {
        seed: number;
        steps?: number;
        heal?: number;
        taskExecutors?: number;
        slots?: number;
        jobs?: number;
        parallelism?: number;
        mode?: 'standalone' | 'active';
        faults?: FaultBudget;
        leaderChanges?: number;
        jobActions?: number;
        jobEnds?: boolean;
        lateJobs?: number;
        config?: string;
        out?: string;
        force?: boolean;
        timeline: boolean;
      }) => {
        const { heal, ...rest } = options;
        setExitCode(
          simulate({ ...rest, ...(heal === undefined ? {} : { healSeconds: heal }) }, argv, io),
        );
      },
    );

  program
    .command('inspect')
    .description(
      "show a run in the Stately inspector: every component's machines as live actors; without a trace, run the main job first (as simulate) and show its trace",
    )
    .argument('[trace]', 'a recorded trace (NDJSON), or - for standard input')
    .addOption(seedOption('seed of the run (without a trace)'))
    .option('--steps <n>', 'steps under faults (default 2000)', parseNonNegativeInt('--steps'))
    .option('--config <file>', 'JSON configuration laid over the built-in default')
    .option('--out <file>', "where the run's trace goes; default: a new file under runs/")
    .option('--force', 'overwrite an existing trace file')
    .option(
      '--url <ws-url>',
      'send the inspection events to this WebSocket listener instead of the Stately inspector',
    )
    .addOption(
      new Option('--port <n>', "the local inspector server's port")
        .argParser(parsePositiveInt('--port', 65535))
        .default(8080),
    )
    .option('--no-open', 'do not open the inspector in a browser')
    .addOption(
      new Option('--pace <n>', 'steps shown per second (0: as fast as the inspector takes them)')
        .argParser(parseNonNegativeInt('--pace', 100000))
        .default(20),
    )
    .action((trace: string | undefined, options: InspectOptions) => {
      setExitCode(inspect(trace, options, io));
    });

  addExploreCommand(program, io, setExitCode);
  addMutantsCommand(program, io, setExitCode);

  program
    .command('selfcheck')
    .description('run each seed twice and check that the traces are identical byte for byte')
    .addOption(
      new Option('--seeds <n>', 'how many seeds')
        .argParser(parseNonNegativeInt('--seeds'))
        .default(100),
    )
    .addOption(
      new Option('--from <n>', 'first seed')
        .argParser(parseNonNegativeInt('--from', MAX_SEED))
        .default(0),
    )
    .option('--config <file>', 'JSON configuration laid over the built-in default')
    .action((options: { seeds: number; from: number; config?: string }) => {
      setExitCode(selfcheck(options, io));
    });

  program
    .command('properties')
    .description(
      'run the property suite: generated clusters, faults and interleavings against every invariant; on a failure print the shrunk counterexample and its replay',
    )
    .addOption(seedOption('seed of the campaign'))
    .addOption(
      new Option('--runs <n>', 'generated runs').argParser(parsePositiveInt('--runs')).default(100),
    )
    .option('--path <path>', 'replay one counterexample: the fast-check path printed with it')
    .addOption(
      new Option('--max-decisions <n>', 'longest interleaving, in decisions')
        .argParser(parseNonNegativeInt('--max-decisions', 1000))
        .default(DEFAULT_MAX_DECISIONS),
    )
    .action((options: { seed: number; runs: number; path?: string; maxDecisions: number }) => {
      setExitCode(properties(options, io));
    });

  program
    .command('check')
    .description(
      "check a recorded trace against the model: the machines of every component and the invariants; or, with --flink-log, a cluster's Flink logs (relaxed); exit 0 conforming, 1 divergence, broken invariant or violation, 2 unusable input",
    )
    .argument(
      '[trace]',
      'the trace file (NDJSON: a simulator trace or a converted log trace), or - for standard input',
    )
    .option('--json', 'print the report as one JSON object, for tools')
    .option(
      '--only <endpoints>',
      'check only what these components observed, comma-separated (relaxed mode), e.g. te-1',
      (value: string) =>
        value
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e !== ''),
    )
    .option(
      '--flink-log <files...>',
      "Flink log files of one cluster (the JobManager's and the TaskManagers'): convert them and check the slot lifecycle they show",
    )
    .option(
      '--grace <seconds>',
      "with Flink logs: how long a TaskManager may keep an ended job's slot (default 60: heartbeat plus slot timeout)",
      parseNonNegativeInt('--grace'),
    )
    .action(
      (
        trace: string | undefined,
        options: { json?: boolean; only?: string[]; flinkLog?: string[]; grace?: number },
      ) => {
        const { flinkLog, grace, ...rest } = options;
        const logOptions = { ...rest, ...(grace === undefined ? {} : { grace }) };
        if (flinkLog !== undefined) {
          if (trace !== undefined)
            throw new UsageError('give either a trace or --flink-log files, not both');
          if (rest.only !== undefined)
            throw new UsageError('--only is for simulator traces, not Flink logs');
          setExitCode(checkFlinkLogs(flinkLog, logOptions, io));
          return;
        }
        if (trace === undefined)
          throw new UsageError('check needs a trace file (or - ), or --flink-log <files...>');
        if (trace !== '-' && isLogTraceFile(trace))
          setExitCode(checkLogTraceFile(trace, logOptions, io));
        else setExitCode(check(trace, rest, io));
      },
    );

  program
    .command('convert')
    .description(
      "convert a cluster's Flink logs (the JobManager's and the TaskManagers') into a log trace of the slot lifecycle, for inspection and for check; exit 0 written, 2 nothing usable or the output exists",
    )
    .argument('<files...>', 'the Flink log files')
    .option(
      '-o, --output <file>',
      'the log trace file (NDJSON), or - for standard output (default)',
    )
    .option('--force', 'overwrite an existing output file')
    .action((files: string[], options: { output?: string; force?: boolean }) => {
      setExitCode(convert(files, options, io));
    });

  program
    .command('render-logs')
    .description(
      "write a simulator trace as the Flink logs its cluster would have written (the JobManager's and each TaskManager's, log4j2 layout), for check --flink-log; exit 0 written, 2 unusable trace or the directory exists",
    )
    .argument('<trace>', 'the trace file (NDJSON)')
    .option('--release <version>', 'the Flink release whose log lines to write (default 1.17)')
    .option('-o, --output <dir>', 'the directory (default: beside the trace, <name>-flink-logs)')
    .option('--force', 'write into an existing, non-empty directory')
    .action((trace: string, options: { release?: string; output?: string; force?: boolean }) => {
      setExitCode(renderLogs(trace, options, io));
    });

  program
    .command('view')
    .description(
      'write one self-contained HTML page showing a trace: a sequence diagram of the messages, one lane per TaskExecutor slot, faults and timers, and the first violation the checker finds; exit 0 the page was written (also when it shows a violation), 2 nothing written (unusable input, or the page file exists)',
    )
    .argument('<trace>', 'the trace file (NDJSON), or - for standard input')
    .option(
      '-o, --output <file>',
      'the page file, or - for standard output; default: beside the trace as <name>.html (or <name>-2.html, … if taken); with - as the trace: standard output',
    )
    .option('--force', 'overwrite an existing page file')
    .action((trace: string, options: { output?: string; force?: boolean }) => {
      setExitCode(view(trace, options, io));
    });

  program
    .command('protocol')
    .description('print the protocol catalogue (the Markdown of docs/protocol.md)')
    .action(() => io.out(renderCatalogueMarkdown().trimEnd()));

  return program;
}

/**
 * Runs the command line and returns the exit code. `check` reads its input as a stream, so the
 * process entry point runs everything through `mainAsync`; `main` serves the other commands.
 */
export function main(argv: readonly string[], io: Console): number {
  const result: { code: number | Promise<number> } = { code: 0 };
  const failed = run(io, () => {
    buildProgram(io, (c) => void (result.code = c), argv).parse([...argv], { from: 'user' });
  });
  if (failed !== null) return failed;
  if (typeof result.code !== 'number') throw new Error('an asynchronous command: use mainAsync');
  return result.code;
}

export async function mainAsync(argv: readonly string[], io: Console): Promise<number> {
  const result: { code: number | Promise<number> } = { code: 0 };
  try {
    await buildProgram(io, (c) => void (result.code = c), argv).parseAsync([...argv], {
      from: 'user',
    });
    return await result.code;
  } catch (error) {
    return handled(error, io);
  }
}

/** Runs `parse`; the exit code of a usage error, or null when there was none. */
function run(io: Console, parse: () => void): number | null {
  try {
    parse();
    return null;
  } catch (error) {
    return handled(error, io);
  }
}

function handled(error: unknown, io: Console): number {
  if (error instanceof UsageError) {
    io.err(`error: ${error.message}`);
    return 2;
  }
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help it was asked for).
    return error.exitCode === 0 ? 0 : 2;
  }
  throw error;
}
