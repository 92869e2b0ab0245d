/**
 * `flink-slot-model mutants`: the bug zoo's campaign. Every mutant of impl/mutants.ts (the
 * canaries and the historical Flink defects of zoo/bugs.ts) goes against the property suite and
 * the explorer, each within the mutant's budget; a line per mutant as it is done, then the table
 * (what caught it, runs and time to the first failure, the shrunk counterexample's length, the
 * explorer's depth and states), the reference implementation against the same searches, and the
 * summary. Exit 0 when every mutant was caught and the reference stayed clean, 1 otherwise.
 * `--list` prints the catalogue instead; `--markdown` prints the table for the README.
 */
import { cliReplay } from '../properties/suite.js';
import { Option, type Command } from 'commander';
import { MUTANT_NAMES, type Mutant } from '../impl/mutants.js';
import { CAMPAIGN_SEED, ZOO } from '../zoo/bugs.js';
import {
  explorerFinding,
  huntMutant,
  isCaught,
  referenceBounds,
  referenceRuns,
  suiteFinding,
  type Clock,
  type MutantFinding,
} from '../zoo/campaign.js';
import {
  describeSearch,
  formatCatalogue,
  formatFinding,
  formatTable,
  seconds,
} from '../zoo/report.js';
import type { Console } from './simulate.js';
import { seedOption } from './seedOption.js';
import { parsePositiveInt, UsageError } from './usageError.js';

export interface MutantsOptions {
  readonly only?: readonly string[];
  readonly seed: number;
  readonly runs?: number;
  readonly explorer: boolean;
  readonly reference: boolean;
  readonly markdown: boolean;
  readonly list: boolean;
}

function selected(only: readonly string[] | undefined): Mutant[] {
  if (only === undefined || only.length === 0) return [...MUTANT_NAMES];
  const known = new Set<string>(MUTANT_NAMES);
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new UsageError(
      `--only: no mutant named ${unknown.map((n) => `"${n}"`).join(', ')} (flink-slot-model mutants --list names them)`,
    );
  return MUTANT_NAMES.filter((m) => only.includes(m));
}

export function mutantsCommand(
  options: MutantsOptions,
  io: Console,
  clock: Clock = () => performance.now(),
): number {
  const mutants = selected(options.only);
  if (options.list) {
    for (const line of formatCatalogue(mutants)) io.out(line);
    return 0;
  }
  const historical = mutants.filter((m) => ZOO[m].flink !== null).length;
  io.out(
    `flink-slot-model mutants: ${mutants.length} mutants (${historical} from Flink's history, ${mutants.length - historical} canaries) against the property suite from seed ${options.seed}${options.runs === undefined ? ' within each one’s budget of runs' : ` for up to ${options.runs} runs`}${options.explorer ? ' and the explorer within each one’s bounds' : ''}`,
  );
  const findings: MutantFinding[] = [];
  for (const mutant of mutants) {
    const finding = huntMutant(mutant, {
      seed: options.seed,
      ...(options.runs === undefined ? {} : { runs: options.runs }),
      explorer: options.explorer,
      clock,
    });
    findings.push(finding);
    io.err(formatFinding(finding));
  }
  io.out('');
  for (const line of formatTable(findings, options.markdown)) io.out(line);

  let referenceClean = true;
  if (options.reference) {
    io.out('');
    const runs = options.runs ?? referenceRuns(mutants);
    const suite = suiteFinding([], options.seed, runs, clock, null);
    referenceClean &&= !suite.caught;
    io.out(
      `reference, property suite: ${suite.caught ? `FAILED at run ${suite.runs} (${suite.by ?? '?'}; replay: ${cliReplay(suite.seed, suite.path ?? '?')})` : `clean in ${suite.runs} runs from seed ${options.seed}`} (${seconds(suite.ms + suite.shrinkMs)})`,
    );
    if (options.explorer)
      for (const bounds of referenceBounds(mutants)) {
        const found = explorerFinding(bounds, [], clock);
        referenceClean &&= !found.caught;
        io.out(
          `reference, explorer on ${describeSearch(bounds)}: ${found.caught ? `FAILED in ${found.depth ?? '?'} steps (${found.by ?? '?'})` : 'clean'}, ${found.distinct} distinct states (${seconds(found.ms)})`,
        );
      }
  }

  const caught = findings.filter(isCaught).length;
  const bySuite = findings.filter((f) => f.suite.caught).length;
  const searched = findings.filter((f) => f.explorer !== null);
  const byExplorer = searched.filter((f) => f.explorer?.caught === true).length;
  io.out('');
  io.out(
    `caught ${caught} / ${mutants.length} (property suite ${bySuite} / ${mutants.length}${options.explorer ? `, explorer ${byExplorer} / ${searched.length} searched` : ''})${options.reference ? `; reference ${referenceClean ? 'clean' : 'NOT clean'}` : ''}`,
  );
  return caught === mutants.length && referenceClean ? 0 : 1;
}

export function addMutantsCommand(
  program: Command,
  io: Console,
  setExitCode: (code: number) => void,
): void {
  program
    .command('mutants')
    .description(
      "the bug zoo's campaign: every mutant (historical Flink slot bugs put back, and the canaries) against the property suite and the explorer within its budget; exit 0 when every one is caught and the reference stays clean",
    )
    .option('--only <mutant...>', `mutants to hunt (default: all ${MUTANT_NAMES.length})`)
    .addOption(seedOption('seed of the property suite').default(CAMPAIGN_SEED))
    .addOption(
      new Option('--runs <n>', 'generated runs per mutant (default: each one’s budget)').argParser(
        parsePositiveInt('--runs'),
      ),
    )
    .option('--no-explorer', 'the property suite only')
    .option('--no-reference', 'skip the reference implementation’s runs')
    .option('--markdown', 'print the table as Markdown (for the README)', false)
    .option('--list', 'print the catalogue (FLINK issue, fix, interleaving, expected check)', false)
    .action((options: MutantsOptions) => {
      setExitCode(mutantsCommand(options, io));
    });
}
