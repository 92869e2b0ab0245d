/**
 * Reads a JSON configuration file given on the command line. Every problem is reported with the
 * file name and, where it has one, the line and column (a JSON syntax error) or the field path
 * (a schema mismatch).
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { UsageError } from './usageError.js';

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`${path}: cannot read the file (${code})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(
      `${path}:${jsonErrorLocation(text, error)}: not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** `line:column` of a JSON.parse error, from the position V8 puts in its message. */
function jsonErrorLocation(text: string, error: unknown): string {
  const match = /position (\d+)/.exec((error as Error).message);
  if (match === null) return '1:1';
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/** Parses `data` read from `path` with `schema`, naming the file and each wrong field. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  data: unknown,
  path: string,
): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `  ${where}: ${issue.message}`;
  });
  throw new UsageError(`${path}: the configuration does not fit its schema:\n${issues.join('\n')}`);
}

/**
 * `given` laid over `defaults`, object by object: a file that sets one field of a section keeps
 * the built-in values of the others. Arrays and scalars in `given` replace the defaults.
 */
export function overlay(defaults: unknown, given: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(given)) return given;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(given)) merged[key] = overlay(defaults[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
