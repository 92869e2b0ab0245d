/**
 * Where a trace goes: a file the user named (never overwritten without --force), a fresh file under
 * `runs/`, or standard output. Every failure to open is a one-line UsageError naming the file.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/usageError.js';

export interface TraceOutput {
  readonly path: string | null;
  write(line: string): void;
  close(): void;
}

/**
 * Opens the trace destination. A named file is never overwritten without --force; without a name
 * the trace goes to `runs/<stem>.ndjson`, or the first free `runs/<stem>-<k>.ndjson`; `-` is
 * standard output.
 */
export function openTraceFile(
  path: string | undefined,
  stem: string,
  force: boolean,
  stdout: (line: string) => void,
): TraceOutput {
  if (path === '-') return { path: null, write: (line) => stdout(line), close: () => undefined };
  let target = path;
  if (target === undefined) {
    try {
      mkdirSync('runs', { recursive: true });
    } catch (error) {
      throw new UsageError(
        `runs: cannot create the directory for traces (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    target = join('runs', `${stem}.ndjson`);
    for (let k = 2; existsSync(target); k++) target = join('runs', `${stem}-${k}.ndjson`);
  }
  let fd: number;
  try {
    fd = openSync(target, force ? 'w' : 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'EEXIST') throw fileExists(target);
    throw new UsageError(`${target}: cannot write the trace (${code})`);
  }
  return { path: target, write: (line) => writeSync(fd, `${line}\n`), close: () => closeSync(fd) };
}

/**
 * Refuses at once a named trace file that exists (without --force), for a command that writes its
 * trace only after long work (the explorer, on a failure), so that the work is not lost to it.
 */
export function refuseExistingTraceFile(path: string | undefined, force: boolean): void {
  if (path !== undefined && path !== '-' && !force && existsSync(path)) throw fileExists(path);
}

function fileExists(target: string): UsageError {
  return new UsageError(`${target}: the file exists; choose another name or pass --force`);
}
