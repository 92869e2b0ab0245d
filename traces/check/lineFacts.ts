/**
 * Facts about one step line that the checker needs beyond its schema: which endpoints it names,
 * whether each message goes to a component that takes it (the protocol catalogue's receivers), and
 * a one-line description of the event for reports.
 */
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import {
  PROVIDER_ENDPOINT,
  RM_ENDPOINT,
  type ClusterRouting,
} from '../../impl/cluster/clusterProcesses.js';
import type { ClusterAction } from '../../impl/cluster/flinkCluster.js';
import type { StepRecord } from '../../impl/sim/record.js';
import { describeStep } from '../../impl/sim/step.js';
import type { EndpointId } from '../../impl/sim/world.js';
import { isAsk, specFor } from '../../protocol/catalogue.js';
import { LeaderRetrievalMessage } from '../../protocol/leaderRetrieval.js';
import type { Component } from '../../protocol/messageSpec.js';
import type { StepLine } from '../format.js';
import { describeAction, describeEnvelope } from '../timeline.js';

const LEADER_RETRIEVAL_TYPES: ReadonlySet<string> = new Set(
  LeaderRetrievalMessage.options.map((o) => o.shape.type.value),
);

/** The first endpoint the line names that is not one of `endpoints`, or null. */
export function unknownEndpoint(
  line: StepLine,
  endpoints: readonly EndpointId[],
): EndpointId | null {
  const named: EndpointId[] = [];
  const { step, outcome } = line;
  if ('endpoint' in step) named.push(step.endpoint);
  if (step.kind === 'partition') named.push(step.from, step.to);
  if (step.kind === 'heal') named.push(step.a, step.b);
  if ('envelope' in outcome) named.push(outcome.envelope.from, outcome.envelope.to);
  if ('endpoint' in outcome) named.push(outcome.endpoint);
  if (outcome.kind === 'timerFired') named.push(outcome.timer.endpoint);
  if (outcome.kind === 'askTimedOut') named.push(outcome.ask.caller, outcome.ask.callee);
  for (const effect of line.effects)
    if (effect.kind === 'sent') named.push(effect.envelope.from, effect.envelope.to);
    else named.push(effect.endpoint);
  const known = new Set(endpoints);
  return named.find((e) => !known.has(e)) ?? null;
}

function componentAt(endpoint: EndpointId, routing: ClusterRouting): Component | null {
  if (routing.isTaskExecutor(endpoint)) return 'TaskExecutor';
  if (routing.isJobMaster(endpoint)) return 'JobMaster';
  if (endpoint === RM_ENDPOINT) return 'ResourceManager';
  if (endpoint === PROVIDER_ENDPOINT) return 'ResourceProvider';
  return null;
}

/** Why the receiver of this message would not take it, or null. */
export function receiverProblem(
  envelope: {
    readonly kind: string;
    readonly from: string;
    readonly to: string;
    readonly msg?: unknown;
  },
  routing: ClusterRouting,
): string | null {
  if (!('msg' in envelope)) return null;
  const type = (envelope.msg as { type: string }).type;
  if (LEADER_RETRIEVAL_TYPES.has(type)) return null;
  if (envelope.kind === 'reply') {
    const answering = componentAt(envelope.from, routing);
    const request = type.slice(0, type.lastIndexOf('.'));
    const spec = answering === null ? undefined : specFor(answering, request);
    return spec !== undefined && isAsk(spec)
      ? null
      : `${envelope.from} answers ${type}, but takes no ask ${request}`;
  }
  const receiver = componentAt(envelope.to, routing);
  const spec = receiver === null ? undefined : specFor(receiver, type);
  if (spec === undefined) return `${envelope.to} takes no message ${type}`;
  if ((envelope.kind === 'ask') !== isAsk(spec))
    return `${type} is ${isAsk(spec) ? 'an ask' : 'a tell'}, but was sent as ${envelope.kind === 'ask' ? 'an ask' : 'a tell'}`;
  return null;
}

/** `deliver #57: requestSlot rm → te-1`, `fireTimer te-1/heartbeat`, `client ha: submit job-2`. */
export function describeEvent(record: StepRecord<ClusterMessage, ClusterAction>): string {
  const { step, outcome } = record;
  if (step.kind === 'client') return `client ${step.endpoint}: ${describeAction(step.action)}`;
  const what = describeStep(step);
  return 'envelope' in outcome
    ? `${what}: ${describeEnvelope(outcome.envelope)} (${outcome.kind})`
    : `${what} (${outcome.kind})`;
}
