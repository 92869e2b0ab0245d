/**
 * The protocol catalogue: every message of flink-protocol.md §1.3, declared once in the three
 * gateway files, gathered here. Types of messages and replies, decoding of trace lines, machine
 * events and docs/protocol.md all derive from this module.
 *
 * A message is identified by its receiver and its method name: six method names exist on two
 * gateways (heartbeats and disconnects), so `type` alone is unique only within one receiver.
 */
import type { z } from 'zod';
import { jobMasterGateway } from './jobMasterGateway.js';
import type { AskSpec, Component, MessageSpec } from './messageSpec.js';
import { resourceManagerDriver } from './resourceManagerDriver.js';
import { resourceManagerGateway } from './resourceManagerGateway.js';
import { taskExecutorGateway } from './taskExecutorGateway.js';

export const GATEWAYS = {
  TaskExecutor: taskExecutorGateway,
  ResourceManager: resourceManagerGateway,
  JobMaster: jobMasterGateway,
  ResourceProvider: resourceManagerDriver,
} as const;

type SpecsOf<C extends Component> = (typeof GATEWAYS)[C][number];

/** A message the component of kind C receives. */
export type MessageTo<C extends Component> = z.infer<SpecsOf<C>['schema']>;
export type TaskExecutorMessage = MessageTo<'TaskExecutor'>;
export type ResourceManagerMessage = MessageTo<'ResourceManager'>;
export type JobMasterMessage = MessageTo<'JobMaster'>;
export type ResourceProviderMessage = MessageTo<'ResourceProvider'>;
export type ProtocolMessage =
  TaskExecutorMessage | ResourceManagerMessage | JobMasterMessage | ResourceProviderMessage;

type AskSpecsOf<C extends Component> = Extract<SpecsOf<C>, { kind: 'ask' }>;
type RepliesOfSpec<S> = S extends { replySchemas: infer R }
  ? { [K in keyof R]: R[K] extends z.ZodType ? z.infer<R[K]> : never }[keyof R]
  : never;
/** A reply to an ask that the component of kind C answers. */
export type ReplyFrom<C extends Component> = RepliesOfSpec<AskSpecsOf<C>>;
export type ProtocolReply =
  | ReplyFrom<'TaskExecutor'>
  | ReplyFrom<'ResourceManager'>
  | ReplyFrom<'JobMaster'>
  | ReplyFrom<'ResourceProvider'>;

/** Every declared message, in gateway order. */
export const ALL_SPECS: readonly MessageSpec[] = [
  ...taskExecutorGateway,
  ...resourceManagerGateway,
  ...jobMasterGateway,
  ...resourceManagerDriver,
];

const byReceiver = new Map<Component, Map<string, MessageSpec>>();
for (const spec of ALL_SPECS) {
  const specs = byReceiver.get(spec.to) ?? new Map<string, MessageSpec>();
  if (specs.has(spec.name)) throw new Error(`catalogue: ${spec.to}.${spec.name} declared twice`);
  specs.set(spec.name, spec);
  byReceiver.set(spec.to, specs);
}

/** The declaration of the message `type` that `receiver` takes, if there is one. */
export function specFor(receiver: Component, type: string): MessageSpec | undefined {
  return byReceiver.get(receiver)?.get(type);
}

export function isAsk(spec: MessageSpec): spec is AskSpec {
  return spec.kind === 'ask';
}

/** The result of decoding untrusted data against the catalogue. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Decodes a message sent to `receiver`; the error says what is wrong, and where. */
export function decodeMessage<C extends Component>(
  receiver: C,
  data: unknown,
): Decoded<MessageTo<C>> {
  const type = typeOf(data);
  if (type === undefined) return { ok: false, error: 'message has no string field "type"' };
  const spec = specFor(receiver, type);
  if (spec === undefined) {
    return { ok: false, error: `${receiver} takes no message "${type}"` };
  }
  return decodeWith(spec.schema, data, `${receiver}.${type}`) as Decoded<MessageTo<C>>;
}

/** Decodes a reply to an ask of type `requestType` answered by `receiver`. */
export function decodeReply(
  receiver: Component,
  requestType: string,
  data: unknown,
): Decoded<ProtocolReply> {
  const spec = specFor(receiver, requestType);
  if (spec === undefined || !isAsk(spec)) {
    return { ok: false, error: `${receiver}.${requestType} is not an ask, so it has no reply` };
  }
  const type = typeOf(data);
  const suffix = type?.startsWith(`${requestType}.`) ? type.slice(requestType.length + 1) : '';
  const schema = (spec.replySchemas as Record<string, z.ZodType>)[suffix];
  if (type === undefined || schema === undefined) {
    const known = Object.keys(spec.replySchemas).map((s) => `${requestType}.${s}`);
    return {
      ok: false,
      error: `reply to ${receiver}.${requestType} must be one of ${known.join(', ')}`,
    };
  }
  return decodeWith(schema, data, `${receiver}.${type}`) as Decoded<ProtocolReply>;
}

function typeOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

function decodeWith(schema: z.ZodType, data: unknown, what: string): Decoded<unknown> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(message)';
    return `${path}: ${issue.message}`;
  });
  return { ok: false, error: `${what}: ${issues.join('; ')}` };
}
