/**
 * A copy of the conformance monitors as they are after some path, so that each successor of a
 * state is checked by monitors that saw exactly that state's history. The monitors are ordinary
 * objects (classes holding maps of machine instances and of the asks they follow); this copies
 * their object graph — objects keeping their class, maps, sets, arrays — and shares what never
 * changes in place: functions (the monitors read the implementation's state through closures, which
 * the explorer points at the world it is checking), the machines, and the machines' snapshots
 * (xstate's `transition` makes a new snapshot for every step and never changes one).
 */
import { StateMachine } from 'xstate';

export function cloneMonitors<T extends object>(monitors: T): T {
  return copy(monitors, new Map()) as T;
}

function isShared(value: object): boolean {
  if (typeof value === 'function' || value instanceof StateMachine) return true;
  // An xstate machine snapshot: it carries its machine and its active state nodes.
  return '_nodes' in value && 'machine' in value;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (isShared(value)) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (value instanceof Map) {
    const map = new Map();
    seen.set(value, map);
    for (const [k, v] of value) map.set(copy(k, seen), copy(v, seen));
    return map;
  }
  if (value instanceof Set) {
    const set = new Set();
    seen.set(value, set);
    for (const v of value) set.add(copy(v, seen));
    return set;
  }
  if (Array.isArray(value)) {
    const array: unknown[] = [];
    seen.set(value, array);
    for (const v of value) array.push(copy(v, seen));
    return array;
  }
  const object = Object.create(Object.getPrototypeOf(value) as object | null) as Record<
    string,
    unknown
  >;
  seen.set(value, object);
  for (const key of Object.keys(value))
    object[key] = copy((value as Record<string, unknown>)[key], seen);
  return object;
}
