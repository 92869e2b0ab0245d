/**
 * Canonical encoding of plain data: JSON with object keys sorted, so that two equal states give
 * the same bytes whatever order their fields were written in. The world state is hashed,
 * snapshotted and compared through this encoding; anything that is not plain data (a Map, a
 * class instance, undefined, a function, a non-finite number) is a bug in a component's state and
 * is reported with its path.
 */
import { createHash } from 'node:crypto';

/** Plain data: what the world state, trace lines and snapshots are made of. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The canonical JSON text of `value`; throws on anything that is not plain data. */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`not plain data at ${path}: ${value}`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return encodeObject(value, path);
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      break;
  }
  throw new TypeError(`not plain data at ${path}: ${typeof value}`);
}

function encodeObject(value: object, path: string): string {
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => encode(item, `${path}[${i}]`)).join(',')}]`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`not plain data at ${path}: ${value.constructor.name}`);
  }
  const record = value as Record<string, unknown>;
  const fields: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    // An absent optional field and an undefined one mean the same; neither is encoded.
    if (field === undefined) continue;
    fields.push(`${JSON.stringify(key)}:${encode(field, `${path}.${key}`)}`);
  }
  return `{${fields.join(',')}}`;
}

/** A short stable hash of the canonical encoding (SHA-256, first 16 hex digits). */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** A deep copy of plain data, checked to be plain data on the way. */
export function clonePlain<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

/** The number a timer's or an ask's data holds under `key`, if it holds one there. */
export function numberField(data: Json, key: string): number | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const value = data[key];
  return typeof value === 'number' ? value : null;
}
