/**
 * How one protocol message is declared: its name, gateway, sender and receiver, payload schema,
 * one-line doc, the Flink method it models, and (for asks) its replies and what a timeout means.
 * Everything else (TypeScript types, trace parsing, machine events, docs/protocol.md) is derived
 * from these declarations in `catalogue.ts`.
 */
import { z } from 'zod';
import { idMetaOf, type IdKind } from './ids.js';

/**
 * The RPC endpoints of the protocol, and the resource provider (Kubernetes, YARN) an active
 * ResourceManager drives.
 */
export type Component = 'TaskExecutor' | 'ResourceManager' | 'JobMaster' | 'ResourceProvider';

/** The gateway interface a message belongs to (the receiver's). */
export type Gateway =
  'TaskExecutorGateway' | 'ResourceManagerGateway' | 'JobMasterGateway' | 'ResourceManagerDriver';

/**
 * What the caller learns when an ask times out:
 * - `indefinite`: nothing. The request may have been processed (a lost reply) or not (a lost
 *   request); the caller must act safely in both cases.
 * - `definite`: the call has no side effect on the receiver, so a timeout leaves no doubt about
 *   the receiver's state.
 * - `none`: a one-way tell (`void` in Flink's gateway); there is no reply and no timeout.
 */
export type TimeoutMeaning = 'indefinite' | 'definite' | 'none';

/** Exceptions any RPC can complete with, whatever its receiver does. */
export const RPC_EXCEPTIONS = ['RecipientUnreachableException'] as const;
/** Exceptions a fenced gateway adds: the caller's fencing token is not the current leader's. */
export const FENCED_EXCEPTIONS = ['FencingTokenException'] as const;

type Shape = z.ZodRawShape;

interface CommonSpec<N extends string, P extends Shape> {
  /** The RPC's method name in Flink's gateway, which is also the message's `type`. */
  readonly name: N;
  readonly gateway: Gateway;
  readonly from: readonly Component[];
  readonly to: Component;
  /** One line: what the message asks for or announces. */
  readonly doc: string;
  /** The Flink method this message models, as `Class#method`. */
  readonly flink: string;
  readonly payload: P;
  /** Protocol versions that have this message when not all of them do. */
  readonly versions?: string;
}

export type TellDeclaration<N extends string, P extends Shape> = CommonSpec<N, P>;

export interface AskDeclaration<
  N extends string,
  P extends Shape,
  R extends Record<string, Shape>,
  E extends readonly string[],
> extends CommonSpec<N, P> {
  readonly timeout: 'indefinite' | 'definite';
  /** Normal completions, keyed by the past-tense suffix of the reply type (`acked`). */
  readonly replies: R;
  /** One line per reply suffix. */
  readonly replyDocs: { readonly [K in keyof R]: string };
  /** Exceptions the receiver itself may complete the call with (`${name}.failed`). */
  readonly exceptions: E;
}

type Obj<T extends string, P extends Shape> = z.ZodObject<
  { type: z.ZodLiteral<T> } & P,
  z.core.$strict
>;

/** A declared message with its derived schemas. */
export interface TellSpec<
  N extends string = string,
  P extends Shape = Shape,
> extends TellDeclaration<N, P> {
  readonly kind: 'tell';
  readonly timeout: 'none';
  readonly schema: Obj<N, P>;
  readonly ids: readonly IdKind[];
}

export type FailedShape = { exception: z.ZodEnum; reason: z.ZodString };

export interface AskSpec<
  N extends string = string,
  P extends Shape = Shape,
  R extends Record<string, Shape> = Record<string, Shape>,
  E extends readonly string[] = readonly string[],
> extends AskDeclaration<N, P, R, E> {
  readonly kind: 'ask';
  readonly schema: Obj<N, P>;
  readonly ids: readonly IdKind[];
  /** Every reply the receiver may send, including `${name}.failed`. */
  readonly replySchemas: { readonly [K in keyof R & string]: Obj<`${N}.${K}`, R[K]> } & {
    readonly failed: Obj<`${N}.failed`, FailedShape>;
  };
  /** All exceptions `${name}.failed` may carry: the receiver's plus the RPC layer's. */
  readonly allExceptions: readonly string[];
}

export type MessageSpec = TellSpec | AskSpec;

export function defineTell<const N extends string, const P extends Shape>(
  declaration: TellDeclaration<N, P>,
): TellSpec<N, P> {
  const schema = z.strictObject({ type: z.literal(declaration.name), ...declaration.payload });
  return { ...declaration, kind: 'tell', timeout: 'none', schema, ids: idsOf(schema) };
}

export function defineAsk<
  const N extends string,
  const P extends Shape,
  const R extends Record<string, Shape>,
  const E extends readonly string[],
>(declaration: AskDeclaration<N, P, R, E>): AskSpec<N, P, R, E> {
  const schema = z.strictObject({ type: z.literal(declaration.name), ...declaration.payload });
  const fenced =
    declaration.gateway === 'ResourceManagerGateway' || declaration.gateway === 'JobMasterGateway';
  const allExceptions = [
    ...declaration.exceptions,
    ...RPC_EXCEPTIONS,
    ...(fenced ? FENCED_EXCEPTIONS : []),
  ];
  const replySchemas: Record<string, z.ZodType> = {};
  for (const [suffix, shape] of Object.entries(declaration.replies)) {
    replySchemas[suffix] = z.strictObject({
      type: z.literal(`${declaration.name}.${suffix}`),
      ...shape,
    });
  }
  replySchemas['failed'] = z.strictObject({
    type: z.literal(`${declaration.name}.failed`),
    exception: z.enum(allExceptions as [string, ...string[]]),
    reason: z.string(),
  });
  return {
    ...declaration,
    kind: 'ask',
    schema,
    ids: idsOf(schema),
    replySchemas: replySchemas as AskSpec<N, P, R, E>['replySchemas'],
    allExceptions,
  };
}

/** The id kinds a schema carries anywhere inside it, in first-seen order. */
export function idsOf(schema: z.ZodType): IdKind[] {
  const found: IdKind[] = [];
  collectIds(schema, found);
  return found;
}

function collectIds(schema: z.ZodType, found: IdKind[]): void {
  const meta = idMetaOf(schema);
  if (meta !== undefined) {
    if (!found.includes(meta.idKind)) found.push(meta.idKind);
    return;
  }
  if (schema instanceof z.ZodObject) {
    for (const field of Object.values(schema.shape)) collectIds(field as z.ZodType, found);
  } else if (schema instanceof z.ZodArray) {
    collectIds(schema.element as z.ZodType, found);
  } else if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) {
    collectIds(schema.unwrap() as z.ZodType, found);
  } else if (schema instanceof z.ZodUnion) {
    for (const option of schema.options) collectIds(option as z.ZodType, found);
  }
}
