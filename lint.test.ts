import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The determinism rules of eslint.config.js, checked on code placed (in memory) at real paths of
// impl/ and cli/: they must fire in impl/ and machines/ and stay quiet elsewhere.
const eslint = new ESLint({ cwd: import.meta.dirname });

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

const forbidden = [
  ['Date.now', 'export const t = Date.now();', 'Date.now breaks determinism'],
  ['Math.random', 'export const r = Math.random();', 'Math.random breaks determinism'],
  ['performance.now', 'export const p = performance.now();', 'performance'],
  ['setTimeout', 'setTimeout(() => undefined, 1);', 'setTimeout breaks determinism'],
  ['setInterval', 'setInterval(() => undefined, 1);', 'setInterval breaks determinism'],
  [
    'async function',
    'export async function f(): Promise<number> { return 1; }',
    'async code breaks determinism',
  ],
  [
    'new Promise',
    'export const p = new Promise<void>((resolve) => resolve());',
    'Promise breaks determinism',
  ],
  ['new Date', 'export const d = new Date();', 'new Date breaks determinism'],
  [
    'node:fs',
    "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;",
    'real I/O breaks determinism',
  ],
] as const;

// The first lint builds a type-aware program of the whole project, which takes seconds on a busy
// machine; the limit only keeps a hung test from hanging the suite.
describe('lint: determinism rules', { timeout: 120_000 }, () => {
  it.each(forbidden)('bans %s in impl/', async (_name, code, message) => {
    const messages = await messagesFor('impl/sim/prng.ts', code);
    expect(messages.some((m) => m.includes(message))).toBe(true);
  });

  it('bans importing the machines from impl/', async () => {
    const messages = await messagesFor('impl/sim/prng.ts', "import '../../machines/x.js';");
    expect(messages.some((m) => m.includes('impl/ must not import the machines'))).toBe(true);
  });

  it('leaves the command line free to use the clock and files', async () => {
    const messages = await messagesFor(
      'cli/run.ts',
      "import { readFileSync } from 'node:fs';\nexport const t = Date.now() + readFileSync.length;",
    );
    expect(messages).toEqual([]);
  });
});
