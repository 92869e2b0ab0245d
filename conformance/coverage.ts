/**
 * Coverage of machines: which states were reached and which declared transitions were taken,
 * counted over every run that reports into it. A report lists what was never reached.
 */
import type { AnyStateMachine } from 'xstate';
import { allStates, allTransitions } from './machineStepper.js';
import type { CoverageSink } from './machineInstance.js';

interface MachineCoverage {
  readonly machine: AnyStateMachine;
  readonly states: Set<string>;
  readonly transitions: Set<string>;
}

export interface CoverageLine {
  readonly machine: string;
  readonly statesCovered: number;
  readonly states: number;
  readonly transitionsCovered: number;
  readonly transitions: number;
  readonly missingStates: readonly string[];
  readonly missingTransitions: readonly string[];
}

export class MachineCoverageTracker {
  private readonly byMachine = new Map<AnyStateMachine, MachineCoverage>();

  constructor(machines: readonly AnyStateMachine[]) {
    for (const machine of machines)
      this.byMachine.set(machine, { machine, states: new Set(), transitions: new Set() });
  }

  /** The sink monitors report into. */
  readonly sink: CoverageSink = (machine, transitionKeys, state) => {
    const coverage = this.byMachine.get(machine);
    if (coverage === undefined) return;
    coverage.states.add(`${machine.id}.${state}`);
    for (const key of transitionKeys) coverage.transitions.add(key);
  };

  report(): CoverageLine[] {
    return [...this.byMachine.values()].map(({ machine, states, transitions }) => {
      const declaredStates = allStates(machine);
      const declaredTransitions = allTransitions(machine);
      return {
        machine: machine.id,
        statesCovered: declaredStates.filter((s) => states.has(s)).length,
        states: declaredStates.length,
        transitionsCovered: [...declaredTransitions.keys()].filter((k) => transitions.has(k))
          .length,
        transitions: declaredTransitions.size,
        missingStates: declaredStates.filter((s) => !states.has(s)),
        missingTransitions: [...declaredTransitions]
          .filter(([k]) => !transitions.has(k))
          .map(([, text]) => text),
      };
    });
  }
}

/** The report as a Markdown table. */
export function coverageTable(lines: readonly CoverageLine[]): string {
  const rows = lines.map(
    (l) =>
      `| ${l.machine} | ${l.statesCovered}/${l.states} | ${l.transitionsCovered}/${l.transitions} |`,
  );
  return ['| Machine | States | Transitions |', '|---|---|---|', ...rows].join('\n');
}

/** Every state never reached and every transition never taken, one line each. */
export function uncovered(lines: readonly CoverageLine[]): string[] {
  return lines.flatMap((l) => [...l.missingStates, ...l.missingTransitions]);
}

/** The table, then what was never covered. */
export function coverageReport(title: string, lines: readonly CoverageLine[]): string {
  const missing = uncovered(lines).map((m) => `  never: ${m}`);
  return [`${title}:`, coverageTable(lines), ...missing].join('\n');
}
