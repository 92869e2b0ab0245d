/**
 * The command line: `flink-slot-model <command>`. Errors in what the user gave are printed as one
 * clear message with exit code 2; an unexpected failure is a bug and keeps its stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { renderCatalogueMarkdown } from '../protocol/describe.js';
import { selfcheck } from './selfcheck.js';
import { simulate, type Console } from './simulate.js';
import { parseNonNegativeInt, UsageError } from './usageError.js';

const MAX_SEED = 0xffffffff;

export function buildProgram(io: Console, setExitCode: (code: number) => void): Command {
  const program = new Command('flink-slot-model')
    .description("An executable model of Apache Flink's slot allocation protocol.")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });

  program
    .command('simulate')
    .description('run the built-in demonstration on the deterministic simulator and summarise it')
    .addOption(
      new Option('--seed <n>', 'seed of the run')
        .argParser(parseNonNegativeInt('--seed', MAX_SEED))
        .default(1),
    )
    .option('--steps <n>', 'stop after this many steps', parseNonNegativeInt('--steps'))
    .option('--config <file>', 'JSON configuration laid over the built-in default')
    .option('--trace <file>', 'write the NDJSON trace to this file (- for standard output)')
    .option('--force', 'overwrite an existing trace file')
    .action(
      (options: {
        seed: number;
        steps?: number;
        config?: string;
        trace?: string;
        force?: boolean;
      }) => {
        simulate(options, io);
      },
    );

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
    .command('protocol')
    .description('print the protocol catalogue (the Markdown of docs/protocol.md)')
    .action(() => io.out(renderCatalogueMarkdown().trimEnd()));

  return program;
}

/** Runs the command line and returns the exit code. */
export function main(argv: readonly string[], io: Console): number {
  let exitCode = 0;
  try {
    buildProgram(io, (code) => (exitCode = code)).parse([...argv], { from: 'user' });
  } catch (error) {
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
  return exitCode;
}
