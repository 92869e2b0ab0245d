/**
 * The renamings the state key reads a world under (explorer/stateKey.ts): interchangeable
 * TaskExecutors renamed everywhere their name is spelled, and minted ids renamed by first
 * appearance. Each is a bijection on names that the components only ever compare for equality, so
 * a world and its renaming have the same future, renamed.
 */

/** Old TaskExecutor name to new one (a permutation of the interchangeable names). */
export type Renaming = ReadonlyMap<string, string>;

/** A TaskExecutor's or worker's name, as a whole word (`te-1` but not `te-12`'s prefix). */
export const NAME = /(?<![A-Za-z0-9])(te|worker)-(\d+)(?!\d)/g;

export function renamed(text: string, rename: Renaming | null): string {
  return rename === null ? text : text.replace(NAME, (name) => rename.get(name) ?? name);
}

/** A copy of plain data with every TaskExecutor name in keys and strings renamed. */
export function renameStrings(value: unknown, rename: Renaming): unknown {
  if (typeof value === 'string') return renamed(value, rename);
  if (Array.isArray(value)) return value.map((v) => renameStrings(v, rename));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  // Insertion order is kept: the components iterate their records in it.
  for (const [k, field] of Object.entries(value))
    out[renamed(k, rename)] = renameStrings(field, rename);
  return out;
}

/** Every concatenation of the groups in their order, each group in any order of its own. */
export function orderings(groups: readonly (readonly string[])[]): string[][] {
  let result: string[][] = [[]];
  for (const group of groups) {
    const next: string[][] = [];
    for (const prefix of result)
      for (const order of permutations(group)) next.push([...prefix, ...order]);
    result = next;
  }
  return result;
}

function permutations(items: readonly string[]): string[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/**
 * AllocationIDs and InstanceIDs (`alloc-7`, `instance-r2-3`: the ResourceManager's counter, with
 * its incarnation's prefix after a restart). The counter itself stays in the key, so ids minted
 * later are fresh in every state that shares a key.
 */
const MINTED = /\b(alloc|instance)-((?:r\d+-)?\d+)\b/g;

/** AllocationIDs and InstanceIDs renamed in the order they first appear in the text. */
export function renameMintedIds(text: string): string {
  const names = new Map<string, string>();
  return text.replace(MINTED, (id, kind: string) => {
    let name = names.get(id);
    if (name === undefined) {
      name = `${kind}-#${names.size}`;
      names.set(id, name);
    }
    return name;
  });
}
