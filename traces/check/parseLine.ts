/**
 * One trace line from text to a typed, validated object, or a one-line reason it is not one. JSON
 * with `__proto__`, `constructor` or `prototype` keys is refused (no key of the format has those
 * names, and a tool that copied such an object naively could change its prototype).
 */
import type { z } from 'zod';
import { LINE_KINDS, TraceLine } from '../format.js';

export type Parsed = { ok: true; line: TraceLine } | { ok: false; error: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAY_HAVE_FORBIDDEN_KEY = /"(__proto__|constructor|prototype)"/;

export function parseLine(text: string): Parsed {
  let data: unknown;
  try {
    data = MAY_HAVE_FORBIDDEN_KEY.test(text)
      ? JSON.parse(text, (key, value: unknown) => {
          if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
          return value;
        })
      : JSON.parse(text);
  } catch (error) {
    if (error instanceof ForbiddenKey)
      return { ok: false, error: `the key "${error.key}" is not allowed in a trace` };
    return { ok: false, error: `not JSON (${shorten((error as Error).message)})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, error: 'not a JSON object: every trace line is an object with a "kind"' };
  const kind = (data as Record<string, unknown>)['kind'];
  if (typeof kind !== 'string' || !(LINE_KINDS as readonly string[]).includes(kind))
    return {
      ok: false,
      error: `unknown line kind ${JSON.stringify(kind ?? null).slice(0, 40)} (a trace has ${LINE_KINDS.join(', ')} lines)`,
    };
  const parsed = TraceLine.safeParse(data);
  if (!parsed.success) return { ok: false, error: `${kind} line: ${firstIssue(parsed.error)}` };
  return { ok: true, line: parsed.data };
}

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/** The first problem zod found, with where it is (`step.seq: expected number`). */
export function firstIssue(error: z.ZodError): string {
  const issue = deepest(error.issues[0]);
  if (issue === undefined) return 'invalid';
  const path = issue.path.map(String).join('.');
  return shorten(`${path === '' ? '' : `${path}: `}${issue.message}`);
}

/** For a union, the issue of the alternative that matched the line's `kind`, not "invalid input". */
function deepest(issue: z.core.$ZodIssue | undefined): z.core.$ZodIssue | undefined {
  if (issue?.code === 'invalid_union' && issue.errors.length > 0) {
    const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
    const inner = deepest(best[0]);
    return inner === undefined ? issue : { ...inner, path: [...issue.path, ...inner.path] };
  }
  return issue;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}
