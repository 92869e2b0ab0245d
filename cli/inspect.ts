/**
 * `flink-slot-model inspect [trace]`: shows a run in the Stately inspector, every component's
 * machines as live actors (traces/inspect/inspectionBridge.ts). Without a trace it first runs the
 * main job (as `simulate`, writing the trace under runs/), then plays that trace; with one it plays
 * the recorded trace. Either way the trace goes through the checker, whose machines are what the
 * inspector shows, at a pace a person can follow (`--pace` steps per second).
 *
 * Where the events go: by default to the Stately inspector in a browser, through the library's
 * local server (`@statelyai/inspect/server`, which serves a page embedding stately.ai/inspect, so
 * the browser must be online); with `--url` to any WebSocket listener (local tools, the tests).
 */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInspector } from '@statelyai/inspect';
import { createInspectorServer } from '@statelyai/inspect/server';
import { feedLines } from '../traces/check/checkStream.js';
import { formatReport } from '../traces/check/report.js';
import { TraceChecker } from '../traces/check/traceChecker.js';
import { InspectionBridge } from '../traces/inspect/inspectionBridge.js';
import { InspectorSocket } from '../traces/inspect/inspectorSocket.js';
import { openTrace } from './check.js';
import { runMainJob, type Console } from './simulate.js';
import { UsageError } from './usageError.js';

export interface InspectOptions {
  readonly seed: number;
  readonly steps?: number;
  readonly config?: string;
  readonly out?: string;
  readonly force?: boolean;
  /** A WebSocket listener to send to, instead of the Stately inspector's local server. */
  readonly url?: string;
  readonly port: number;
  readonly open: boolean;
  /** Steps shown per second; 0: as fast as the inspector takes them. */
  readonly pace: number;
}

/** Where the run comes from, and how the command waits for the person watching. */
export interface InspectEnvironment {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Resolves when the user asks to stop (Ctrl-C); the browser mode waits for it at the end. */
  readonly interrupted: () => Promise<void>;
  /**
   * Told when the inspector's server has been stopped. Stopping it leaves the inspector page's
   * connection open (ws closes a server, not its clients), which would keep the process running:
   * the process's environment ends the process once the command has said its last words.
   */
  readonly serverStopped: () => void;
}

export async function inspect(
  trace: string | undefined,
  options: InspectOptions,
  io: Console,
  env: InspectEnvironment = processEnvironment(),
): Promise<number> {
  if (options.out === '-') throw new UsageError('--out -: inspect writes its trace to a file');
  const source = trace ?? recordMainJob(options, io);
  // Opened before any connection, so that a missing trace is said first.
  const file = source === '-' ? null : openTrace(source);
  const input = file ?? env.stdin;
  try {
    if (options.url !== undefined)
      return await playOn(await InspectorSocket.open(options.url), source, input, options, io);
    const server = await startServer(options, io, env, file !== null);
    let code: number;
    try {
      // The library's server starts listening a moment after it is created: try it a few times.
      const socket = await InspectorSocket.open(server.url, 25);
      code = await playOn(socket, source, input, options, io);
    } catch (error) {
      server.stop();
      throw error;
    }
    io.out('The inspector keeps the run; press Ctrl-C to stop its server.');
    await env.interrupted();
    server.stop();
    return code;
  } finally {
    // A trace not read to its end (no inspector answered, or it went away) is closed here.
    file?.destroy();
  }
}

/** Plays the trace to the inspector on `socket`, then closes the socket once all was sent. */
async function playOn(
  socket: InspectorSocket,
  name: string,
  input: AsyncIterable<Uint8Array | string>,
  options: InspectOptions,
  io: Console,
): Promise<number> {
  try {
    return await play(name, input, socket, options, io);
  } finally {
    await socket.close();
  }
}

/** Streams the trace through the checker, whose machines report to the inspector, at the pace. */
async function play(
  name: string,
  input: AsyncIterable<Uint8Array | string>,
  socket: InspectorSocket,
  options: InspectOptions,
  io: Console,
): Promise<number> {
  const bridge = new InspectionBridge(createInspector(socket.adapter, { autoStart: false }));
  const checker = new TraceChecker({ machines: bridge.machines, onStep: (l) => bridge.step(l) });
  const pauseMs = options.pace === 0 ? 0 : 1000 / options.pace;
  io.out(`inspecting ${name} on ${socket.url}${pauseMs > 0 ? `, ${options.pace} steps/s` : ''}`);
  const report = await feedLines(input, checker, async () => {
    if (socket.gone) throw new UsageError(`${socket.url}: the inspector closed the connection`);
    await socket.room();
    if (pauseMs > 0) await sleep(pauseMs);
  });
  bridge.end(report.ended ?? 'cut short');
  const { components, machines, events, snapshots } = bridge.counts;
  io.out(
    `sent: ${components} components, ${machines} machine actors, ${events} events, ${snapshots} snapshots`,
  );
  const print = report.error === null ? io.out : io.err;
  for (const line of formatReport(name === '-' ? '(standard input)' : name, report)) print(line);
  return report.exitCode;
}

/** Runs the main job as `simulate` would, and returns the trace it wrote. */
function recordMainJob(options: InspectOptions, io: Console): string {
  const replay = [
    ...(options.steps === undefined ? [] : ['--steps', String(options.steps)]),
    ...(options.config === undefined ? [] : ['--config', options.config]),
  ];
  const { trace } = runMainJob(
    {
      seed: options.seed,
      timeline: false,
      ...(options.steps === undefined ? {} : { steps: options.steps }),
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.out === undefined ? {} : { out: options.out }),
      ...(options.force === undefined ? {} : { force: options.force }),
    },
    replay,
    io,
  );
  if (trace === null) throw new Error('the main job wrote its trace to standard output');
  io.out('');
  return trace;
}

/** The Stately inspector's local server, opened in the browser; waits for Enter on a terminal. */
async function startServer(
  options: InspectOptions,
  io: Console,
  env: InspectEnvironment,
  mayWait: boolean,
): Promise<{ url: string; stop: () => void }> {
  await ensurePortFree(options.port);
  const server = createInspectorServer({ port: options.port, autoOpen: options.open });
  const page = `http://localhost:${options.port}`;
  io.out(
    `The Stately inspector: ${page} (${options.open ? 'opening it in your browser' : 'open it in a browser'}; the page embeds stately.ai/inspect, so the browser must be online).`,
  );
  if (mayWait && env.stdin.isTTY === true) {
    io.out('Press Enter to start once the inspector page is open.');
    await new Promise((resolve) => env.stdin.once('data', resolve));
    // Reading the terminal keeps the process alive: stop, so that it can end after Ctrl-C.
    env.stdin.pause();
  } else
    io.err(
      'not waiting for the page (standard input is no terminal to press Enter on, or carries the trace): the run starts now, and a page opened later sees only the last 200 events the server keeps',
    );
  const stop = () => {
    server.stop();
    env.serverStopped();
  };
  return { url: `ws://localhost:${options.port}`, stop };
}

/** The library's server would crash on a port in use; say so in one line instead. */
function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `port ${port}: ${error.code === 'EADDRINUSE' ? 'in use' : (error.code ?? 'unavailable')}; choose another with --port`,
        ),
      ),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

function processEnvironment(): InspectEnvironment {
  return {
    stdin: process.stdin,
    interrupted: () => new Promise((resolve) => process.once('SIGINT', () => resolve())),
    // Unreferenced: a process with nothing left open ends at once, as usual.
    serverStopped: () => void setTimeout(() => process.exit(), 500).unref(),
  };
}
