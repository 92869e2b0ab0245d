/**
 * The explorer's identity of a state: what two worlds must share for the explorer to visit only
 * one of them. Three reductions, each a renaming under which the simulator and the components
 * behave the same (they compare these names for equality, never for order), so a state stands for
 * every state it is a renaming of:
 *
 * 1. Message numbers. The simulator numbers messages (and asks, by their request's number) in the
 *    order they were sent, across all links; two interleavings of independent deliveries send the
 *    same messages in another global order. Only the order on each link matters (FIFO), so a
 *    message is named by its link and its rank there, an ask by its caller, callee and rank, and
 *    the counter of the next number is left out (fresh numbers are larger than all, either way).
 *    The step count and the PRNG (the explorer, not the PRNG, picks the steps) are left out too.
 *    An ask a component keeps to answer later (the ResourceManager's waiting `registerJobMaster`
 *    asks) is read by the same name: the raw number would name, in another state of the same
 *    reading, an ask that already ended, whose answer comes too late.
 * 2. Interchangeable TaskExecutors (standalone: `te-1`, `te-2`, … with one configuration): the
 *    TaskExecutors are put in the order of their own states (each read with its name blanked out
 *    and its ids renamed as in 3.; equal ones tried in every order) and renamed to `te-1`, `te-2`,
 *    … in that order, everywhere (ResourceIDs, endpoints, sessions, SlotIDs), so that two states
 *    that differ only by which TaskExecutor is which read the same.
 *    Active workers are not interchangeable (the resource provider starts them in order).
 * 3. Minted ids: AllocationIDs and InstanceIDs (`alloc-…`, `instance-…`, minted by the
 *    ResourceManager from one counter, which stays in the key) are renamed in the order they first
 *    appear in the reading, so that allocations made in another order of requests coincide.
 *
 * Each renaming can only merge states that are renamings of each other, never two that differ,
 * so the explorer misses nothing — provided every reference to a renamed thing is renamed with it
 * (hence the kept asks of 1.). A reading may fail to merge two renamings (a record keyed by a
 * renamed id keeps its keys' original order), which costs states, not correctness.
 * explorer/reductions.test.ts checks on small clusters that the reduced search reaches every key
 * the unreduced one does, and that states sharing a key have successors sharing keys;
 * explorer/stateKey.test.ts checks cases that searches reach only deep.
 *
 * Speed: a component's reading is cached by the identity of its state object. A successor shares
 * every component state its step did not reach (explorer/worldCopy.ts), so only the reached one is
 * encoded again.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../impl/sim/canonical.js';
import type { Envelope, PendingAsk, Timer, World } from '../impl/sim/world.js';
import {
  NAME,
  orderings,
  renamed,
  renameMintedIds,
  renameStrings,
  type Renaming,
} from './renaming.js';

export interface KeyOptions {
  /** The interchangeable TaskExecutors' endpoint names, in order (empty: no symmetry). */
  readonly symmetric: readonly string[];
  /** Rename AllocationIDs and InstanceIDs by first appearance. */
  readonly renameIds: boolean;
}

/** World fields that are not part of a state's identity (see 1.). */
const LEFT_OUT = new Set(['stepCount', 'rng', 'nextSeq']);
/**
 * Records of component states by endpoint, whose entries are cached one by one. Like the world's
 * own records (endpoints, fault counts) and the incarnations, they are only ever looked up by
 * endpoint, never iterated, so their keys are read sorted; a component's own state keeps the
 * order of its keys (see `encode`).
 */
const COMPONENT_RECORDS = new Set(['taskExecutors', 'jobMasters']);
const SORTED_RECORDS = new Set(['incarnations']);

export class StateKeys {
  /** The reading of each component state object, under the identity and under renamings. */
  private readonly cache = new WeakMap<object, Map<string, string>>();

  constructor(private readonly options: KeyOptions) {}

  /** A state's key: a fingerprint (132 bits of SHA-1) of its reading. */
  key(world: World<unknown, unknown>): string {
    return fingerprint(this.reading(world));
  }

  /** The least reading among the renamings that put the TaskExecutors in canonical order. */
  reading(world: World<unknown, unknown>): string {
    let least: string | null = null;
    for (const rename of this.canonicalOrders(world)) {
      const text = this.readingUnder(world, rename);
      if (least === null || text < least) least = text;
    }
    return least ?? '';
  }

  private readingUnder(world: World<unknown, unknown>, rename: Renaming | null): string {
    const parts: string[] = [];
    const askName = rankWithin(
      world.asks,
      (a) => `${a.caller}>${a.callee}`,
      (a) => a.askId,
      '@',
    );
    const ask = (id: number) => JSON.stringify(renamed(askName.get(id) ?? 'ended', rename));
    const lists = this.numbered(world, rename, ask);
    const fields = world as unknown as Record<string, unknown>;
    for (const key of Object.keys(fields).sort()) {
      if (LEFT_OUT.has(key)) continue;
      const value = fields[key];
      const list = lists[key];
      if (key === 'system')
        parts.push(`"system":${keptAsks(this.system(value as object, rename), ask)}`);
      else if (list !== undefined)
        parts.push(`${JSON.stringify(key)}:[${list.sort(compare).join(',')}]`);
      else parts.push(`${JSON.stringify(key)}:${encodeSorted(value, rename)}`);
    }
    const text = `{${parts.join(',')}}`;
    return this.options.renameIds ? renameMintedIds(text) : text;
  }

  /**
   * Messages, asks, timers and blocked links, each read as a set: messages named by their link and
   * rank there instead of the simulator's global numbers, asks by caller, callee and rank, each
   * entry's own reading cached (entries are never changed in place, only replaced).
   */
  private numbered(
    world: World<unknown, unknown>,
    rename: Renaming | null,
    ask: (id: number) => string,
  ): Record<string, string[] | undefined> {
    const seqName = rankWithin(
      world.messages,
      (m) => `${m.from}>${m.to}`,
      (m) => m.seq,
      '#',
    );
    const number = (name: string | undefined) => JSON.stringify(renamed(name ?? '?', rename));
    return {
      messages: world.messages.map(
        (m: Envelope<unknown>) =>
          `[${number(seqName.get(m.seq))},${'askId' in m ? ask(m.askId) : 'null'},${this.component(m, rename, withoutNumbers)}]`,
      ),
      asks: world.asks.map(
        (a: PendingAsk<unknown>) =>
          `[${ask(a.askId)},${this.component(a, rename, withoutNumbers)}]`,
      ),
      timers: world.timers.map((t: Timer) =>
        t.askId === null
          ? this.component(t, rename)
          : `[${ask(t.askId)},${this.component(t, rename, withoutNumbers)}]`,
      ),
      blockedLinks: world.blockedLinks.map((link) => JSON.stringify(renamed(link, rename))),
    };
  }

  private system(system: object, rename: Renaming | null): string {
    const record = system as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const value = record[key];
      if (value === undefined) continue;
      const encoded = COMPONENT_RECORDS.has(key)
        ? this.components(value as Record<string, unknown>, rename)
        : SORTED_RECORDS.has(key)
          ? encodeSorted(value, rename)
          : this.component(value, rename);
      parts.push(`${JSON.stringify(key)}:${encoded}`);
    }
    return `{${parts.join(',')}}`;
  }

  private components(record: Record<string, unknown>, rename: Renaming | null): string {
    const entries = Object.keys(record).map(
      (name) => [renamed(name, rename), this.component(record[name], rename)] as const,
    );
    entries.sort((a, b) => compare(a[0], b[0]));
    return `{${entries.map(([name, text]) => `${JSON.stringify(name)}:${text}`).join(',')}}`;
  }

  /** A component state's reading, from the cache when the same object was read before. */
  private component(
    value: unknown,
    rename: Renaming | null,
    prepare: (value: object) => unknown = (v) => v,
  ): string {
    if (value === null || typeof value !== 'object') return encode(value, rename);
    const tag = rename === null ? '' : [...rename].map(([a, b]) => `${a}=${b}`).join(',');
    let readings = this.cache.get(value);
    if (readings === undefined) {
      readings = new Map();
      this.cache.set(value, readings);
    }
    let text = readings.get(tag);
    if (text === undefined) {
      text = encode(prepare(value), rename);
      readings.set(tag, text);
    }
    return text;
  }

  /**
   * The renamings that put the interchangeable TaskExecutors in the order of their own states
   * (each read with its name blanked out, and with its endpoint's status); TaskExecutors whose
   * states are equal may come in any order among themselves, so every such order is a candidate
   * (null stands for the names as they are).
   */
  private canonicalOrders(world: World<unknown, unknown>): (Renaming | null)[] {
    const names = this.options.symmetric;
    if (names.length < 2) return [null];
    const record = (world.system as { taskExecutors?: Record<string, unknown> }).taskExecutors;
    const signature = (name: string) => {
      const own = this.component(record?.[name] ?? null, null);
      const status = JSON.stringify(world.endpoints[name] ?? null);
      const text = `${status}${own.replace(NAME, (found) => (found === name ? '*' : found))}`;
      // Read with its own ids renamed too: which InstanceID a TaskExecutor drew must not decide
      // its place, or two renamings of one state would try different orders and read apart.
      return this.options.renameIds ? renameMintedIds(text) : text;
    };
    const groups = new Map<string, string[]>();
    for (const name of names) {
      const key = signature(name);
      groups.set(key, [...(groups.get(key) ?? []), name]);
    }
    const ordered = [...groups.keys()].sort(compare).map((key) => groups.get(key) ?? []);
    return orderings(ordered).map((order) =>
      order.every((name, i) => name === names[i])
        ? null
        : new Map(order.map((name, i) => [name, names[i] ?? name])),
    );
  }
}

export function fingerprint(text: string): string {
  return createHash('sha1').update(text).digest('base64').slice(0, 22);
}

function rankWithin<T>(
  items: readonly T[],
  group: (item: T) => string,
  id: (item: T) => number,
  mark: string,
): Map<number, string> {
  const groups = new Map<string, number[]>();
  for (const item of items) {
    const key = group(item);
    const ids = groups.get(key) ?? [];
    ids.push(id(item));
    groups.set(key, ids);
  }
  const names = new Map<number, string>();
  for (const [key, ids] of groups)
    ids.sort((a, b) => a - b).forEach((n, rank) => names.set(n, `${key}${mark}${rank}`));
  return names;
}

/** An envelope, ask or ask timer without the numbers the simulator gave it (read apart). */
function withoutNumbers(value: object): unknown {
  const rest: Record<string, unknown> = { ...value };
  delete rest['seq'];
  delete rest['askId'];
  // An ask's timer is named after the ask's number.
  if (typeof rest['name'] === 'string' && rest['name'].startsWith('ask#')) delete rest['name'];
  return rest;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A component's state as JSON with its keys in their own order: the components iterate their
 * records (registrations, slots, requests) in insertion order, so two states whose records hold
 * the same entries in another order may behave differently, and must not share a key.
 */
function encode(value: unknown, rename: Renaming | null): string {
  return JSON.stringify(rename === null ? value : renameStrings(value, rename)) ?? 'null';
}

/** Records nothing iterates (looked up by key only), read with their keys sorted. */
function encodeSorted(value: unknown, rename: Renaming | null): string {
  return canonicalJson(rename === null ? value : renameStrings(value, rename));
}

/** An AskRef a component keeps: `{"askId":12,"caller":…}` in its reading. */
const KEPT_ASK = /"askId":(\d+)/g;

/**
 * The components' readings with each kept askId replaced by the ask's name (see 1.). Only AskRefs
 * carry an `askId` field in a component's state; inside a string the quotes would be escaped.
 */
function keptAsks(text: string, ask: (id: number) => string): string {
  return text.includes('"askId":')
    ? text.replace(KEPT_ASK, (_, id: string) => `"askId":${ask(Number(id))}`)
    : text;
}
