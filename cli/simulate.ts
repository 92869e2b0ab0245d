/**
 * `flink-slot-model simulate`: one seeded run of the simulator's demonstration system, with a
 * summary of what happened and, on request, its trace. Until the Flink components exist (later
 * issues), the demonstration is two echo endpoints; the summary says so.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { echoSystem, type EchoState } from '../impl/demo/echo.js';
import type { FaultKind } from '../impl/sim/config.js';
import { recordRun } from '../traces/recordRun.js';
import { loadEchoDemoConfig } from './echoDemoConfig.js';
import { UsageError } from './usageError.js';

export interface SimulateOptions {
  readonly seed: number;
  readonly config?: string;
  readonly steps?: number;
  /** A file to write the trace to, or `-` for standard output (the summary then goes to stderr). */
  readonly trace?: string;
  readonly force?: boolean;
}

export interface Console {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export function simulate(options: SimulateOptions, io: Console): void {
  const loaded = loadEchoDemoConfig(options.config);
  const sim = options.steps === undefined ? loaded.sim : { ...loaded.sim, maxSteps: options.steps };
  const config = { sim, system: loaded.echo };
  const output = openTrace(options.trace, options.force === true, io);
  const steps = new Map<string, number>();
  const outcomes = new Map<string, number>();
  const count = (counts: Map<string, number>, key: string) =>
    counts.set(key, (counts.get(key) ?? 0) + 1);
  const result = recordRun(
    echoSystem(config.system),
    config,
    { seed: options.seed },
    (line) => output?.write(line),
    {
      step: (record) => {
        count(steps, record.step.kind);
        count(outcomes, record.outcome.kind);
      },
    },
  );
  output?.close();

  const print = options.trace === '-' ? io.err : io.out;
  const world = result.simulation.state;
  print('flink-slot-model simulate: the simulator demonstration, two echo endpoints that ping');
  print('each other under injected faults. The TaskExecutor and ResourceManager are modelled and');
  print('checked by `npm test`; runs of the whole cluster come with the JobMaster.');
  print(
    `seed ${options.seed}: ${result.steps} steps, simulated time ${(result.time / 1000).toFixed(3)} s, ` +
      `ended: ${result.reason}`,
  );
  print(`steps by kind: ${formatCounts(steps)}`);
  print(`outcomes: ${formatCounts(outcomes)}`);
  const faults = (Object.keys(world.faultCounts) as FaultKind[]).map(
    (kind) => `${kind} ${world.faultCounts[kind]}/${sim.faults[kind]}`,
  );
  print(`faults injected (of budget): ${faults.join(', ')}`);
  for (const line of describeEcho(world.system)) print(line);
  print(`final state hash: ${result.hash}`);
  if (options.trace !== undefined && options.trace !== '-')
    print(`trace written to ${options.trace}`);
  const configArg = options.config === undefined ? '' : ` --config ${options.config}`;
  const stepsArg = options.steps === undefined ? '' : ` --steps ${options.steps}`;
  print(`replay: npx flink-slot-model simulate --seed ${options.seed}${configArg}${stepsArg}`);
}

function formatCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([key, n]) => `${key} ${n}`).join(', ');
}

function describeEcho(state: EchoState): string[] {
  return Object.entries(state.endpoints).map(
    ([endpoint, s]) =>
      `${endpoint} (since its last start): ${s.pingsSent} pings sent, ${s.echoed.length} echoed, ` +
      `${s.timedOut} timed out, ${s.unreachable} unreachable, ${s.answered} answered; ` +
      `notes sent ${s.notesSent}, received ${s.notesReceived.length}`,
  );
}

interface TraceOutput {
  write(line: string): void;
  close(): void;
}

/** Opens the trace destination; an existing file is never overwritten without --force. */
function openTrace(path: string | undefined, force: boolean, io: Console): TraceOutput | undefined {
  if (path === undefined) return undefined;
  if (path === '-') return { write: (line) => io.out(line), close: () => undefined };
  let fd: number;
  try {
    fd = openSync(path, force ? 'w' : 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'EEXIST') {
      throw new UsageError(`${path}: the file exists; choose another name or pass --force`);
    }
    throw new UsageError(`${path}: cannot write the trace (${code})`);
  }
  return { write: (line) => writeSync(fd, `${line}\n`), close: () => closeSync(fd) };
}
