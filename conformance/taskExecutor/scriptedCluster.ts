/**
 * Test support: a simulated cluster in which the TaskExecutors (and, if asked, the ResourceManager)
 * are real and everything around them (the JobMasters, the high-availability service, the RM when
 * it is not real) is scripted by the test.
 * Scripted endpoints record what they receive; they act only on an instruction queued by the test,
 * which the scenario then takes as a client step. The HA service alone behaves by itself: it
 * answers `startLeaderRetrieval` with the current leader and announces leader changes to every
 * listener, in order, as messages.
 */
import type { ExecutionAttemptID, JobID } from '../../protocol/ids.js';
import { HA_ENDPOINT } from '../../protocol/leaderRetrieval.js';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import type { Json } from '../../impl/sim/canonical.js';
import type { AskRef } from '../../impl/sim/effects.js';
import type { SimSystem } from '../../impl/sim/system.js';
import type { EndpointId } from '../../impl/sim/world.js';
import {
  onResourceManagerAskFailure,
  onResourceManagerMessage,
  onResourceManagerReply,
  onResourceManagerTimer,
  startResourceManager,
} from '../../impl/resourcemanager/resourceManager.js';
import type {
  ResourceManagerConfig,
  ResourceManagerState,
} from '../../impl/resourcemanager/resourceManagerState.js';
import {
  onResourceProviderMessage,
  onResourceProviderTimer,
  startResourceProvider,
  type ResourceProviderConfig,
  type ResourceProviderState,
} from '../../impl/resourceprovider/resourceProvider.js';
import {
  onTaskExecutorAskFailure,
  onTaskExecutorMessage,
  onTaskExecutorReply,
  onTaskExecutorTaskFinished,
  onTaskExecutorTimer,
  startTaskExecutor,
} from '../../impl/taskexecutor/taskExecutor.js';
import type {
  TaskExecutorConfig,
  TaskExecutorState,
} from '../../impl/taskexecutor/taskExecutorState.js';

/** A message a scripted endpoint received. */
export interface Received {
  readonly from: EndpointId;
  readonly msg: ClusterMessage;
  readonly ask: AskRef | null;
}

/** What the test tells a scripted endpoint to do. */
export type Instruction =
  | { readonly kind: 'tell'; readonly to: EndpointId; readonly msg: ClusterMessage }
  | {
      readonly kind: 'ask';
      readonly to: EndpointId;
      readonly msg: ClusterMessage;
      readonly timeoutMs: number;
    }
  | { readonly kind: 'reply'; readonly ask: AskRef; readonly msg: ClusterMessage }
  /** At a TaskExecutor: one of its tasks finishes. */
  | { readonly kind: 'taskFinished'; readonly attempt: string }
  /** Let time pass: a timer of the scripted endpoint that the scenario fires last. */
  | { readonly kind: 'sleep'; readonly ms: number }
  | {
      readonly kind: 'leader';
      readonly jobId: JobID | null;
      readonly leaderAddress: string | null;
      readonly leaderSessionId: string | null;
    };

export interface ScriptedClusterState {
  taskExecutors: Record<EndpointId, TaskExecutorState | null>;
  /** The real ResourceManager, when the cluster has one. */
  resourceManager: ResourceManagerState | null;
  /** The resource provider of an active deployment, when the cluster has one. */
  resourceProvider: ResourceProviderState | null;
  /** Per scripted endpoint, what it received, oldest first. */
  inbox: Record<EndpointId, Received[]>;
  /** Per scripted endpoint, answers to its own asks and their failures. */
  answers: Record<EndpointId, string[]>;
  /** Queued instructions, taken in order as client steps. */
  outbox: { endpoint: EndpointId; instruction: Instruction }[];
  /** HA: the current leader per service (`rm` or a job id) and who listens. */
  leaders: Record<string, { leaderAddress: string | null; leaderSessionId: string | null }>;
  listeners: Record<string, EndpointId[]>;
}

/** Where the ResourceManager lives, real or scripted. */
export const RM_ENDPOINT = 'rm';

/** Where the resource provider (Kubernetes, YARN) of an active deployment lives. */
export const PROVIDER_ENDPOINT = 'provider';

/** The timer a scripted endpoint arms to let time pass. */
export const SLEEP_TIMER = 'scenario/sleep';

const serviceKey = (jobId: JobID | null): string => (jobId === null ? 'rm' : jobId);

export function scriptedCluster(
  configs: readonly TaskExecutorConfig[],
  scripted: readonly EndpointId[],
  resourceManager: ResourceManagerConfig | null = null,
  resourceProvider: ResourceProviderConfig | null = null,
): SimSystem<ScriptedClusterState, ClusterMessage, Instruction & Json> {
  const isRm = (endpoint: EndpointId) => resourceManager !== null && endpoint === RM_ENDPOINT;
  const isProvider = (endpoint: EndpointId) =>
    resourceProvider !== null && endpoint === PROVIDER_ENDPOINT;
  const provider = (state: ScriptedClusterState) => {
    if (state.resourceProvider === null || resourceProvider === null)
      throw new Error('scripted cluster: no resource provider');
    return { state: state.resourceProvider, config: resourceProvider };
  };
  const rm = (state: ScriptedClusterState) => {
    if (state.resourceManager === null || resourceManager === null)
      throw new Error('scripted cluster: the RM is not running');
    return { state: state.resourceManager, config: resourceManager };
  };
  const endpointOf = new Map(configs.map((c) => [c.resourceId as string, c]));
  const config = (endpoint: EndpointId) => {
    const found = endpointOf.get(endpoint);
    if (found === undefined) throw new Error(`scripted cluster: ${endpoint} is not a TaskExecutor`);
    return found;
  };
  const te = (state: ScriptedClusterState, endpoint: EndpointId) => {
    const found = state.taskExecutors[endpoint];
    if (found === undefined || found === null)
      throw new Error(`scripted cluster: ${endpoint} is not running`);
    return found;
  };
  const isTe = (endpoint: EndpointId) => endpointOf.has(endpoint);
  return {
    name: 'scripted-taskexecutor-cluster',
    endpoints: [
      ...configs.map((c) => c.resourceId as string),
      ...(resourceManager === null ? [] : [RM_ENDPOINT]),
      ...(resourceProvider === null ? [] : [PROVIDER_ENDPOINT]),
      HA_ENDPOINT,
      ...scripted,
    ],
    // The provider's workers: TaskExecutors that run only while the provider runs them.
    managed: resourceProvider === null ? [] : [...resourceProvider.pool],
    crashable: (endpoint) => isTe(endpoint) || isRm(endpoint),
    initialState: () => ({
      taskExecutors: Object.fromEntries(configs.map((c) => [c.resourceId, null])),
      resourceManager: null,
      resourceProvider: null,
      inbox: Object.fromEntries([HA_ENDPOINT, ...scripted].map((e) => [e, []])),
      answers: Object.fromEntries([HA_ENDPOINT, ...scripted].map((e) => [e, []])),
      outbox: [],
      leaders: {},
      listeners: {},
    }),
    onStart(state, ctx, out) {
      if (isTe(ctx.endpoint))
        state.taskExecutors[ctx.endpoint] = startTaskExecutor(config(ctx.endpoint), ctx, out);
      if (isRm(ctx.endpoint)) state.resourceManager = startResourceManager();
      if (isProvider(ctx.endpoint)) state.resourceProvider = startResourceProvider();
    },
    onCrash(state, endpoint) {
      if (isTe(endpoint)) state.taskExecutors[endpoint] = null;
      if (isRm(endpoint)) state.resourceManager = null;
      for (const listeners of Object.values(state.listeners)) {
        const i = listeners.indexOf(endpoint);
        if (i >= 0) listeners.splice(i, 1);
      }
    },
    onMessage(state, ctx, delivery, out) {
      if (isRm(ctx.endpoint))
        return onResourceManagerMessage(rm(state).state, rm(state).config, ctx, delivery, out);
      if (isProvider(ctx.endpoint))
        return onResourceProviderMessage(
          provider(state).state,
          provider(state).config,
          delivery,
          out,
        );
      if (isTe(ctx.endpoint))
        return onTaskExecutorMessage(
          te(state, ctx.endpoint),
          config(ctx.endpoint),
          ctx,
          delivery,
          out,
        );
      state.inbox[ctx.endpoint]?.push({
        from: delivery.from,
        msg: delivery.msg,
        ask: delivery.ask,
      });
      if (ctx.endpoint !== HA_ENDPOINT) return;
      const { msg } = delivery;
      if (msg.type === 'startLeaderRetrieval') {
        const key = serviceKey(msg.jobId);
        (state.listeners[key] ??= []).push(delivery.from);
        const leader = state.leaders[key] ?? { leaderAddress: null, leaderSessionId: null };
        if (leader.leaderAddress !== null)
          out.tell(delivery.from, { type: 'notifyLeaderAddress', jobId: msg.jobId, ...leader });
      } else if (msg.type === 'stopLeaderRetrieval') {
        const listeners = state.listeners[serviceKey(msg.jobId)] ?? [];
        const i = listeners.indexOf(delivery.from);
        if (i >= 0) listeners.splice(i, 1);
      }
    },
    onReply(state, ctx, ask, reply, out) {
      if (isRm(ctx.endpoint))
        return onResourceManagerReply(rm(state).state, rm(state).config, ctx, ask, reply, out);
      if (isTe(ctx.endpoint))
        return onTaskExecutorReply(
          te(state, ctx.endpoint),
          config(ctx.endpoint),
          ctx,
          ask,
          reply,
          out,
        );
      state.answers[ctx.endpoint]?.push(reply.type);
    },
    onAskFailure(state, ctx, ask, failure, out) {
      if (isRm(ctx.endpoint))
        return onResourceManagerAskFailure(
          rm(state).state,
          rm(state).config,
          ctx,
          ask,
          failure,
          out,
        );
      if (isTe(ctx.endpoint))
        return onTaskExecutorAskFailure(
          te(state, ctx.endpoint),
          config(ctx.endpoint),
          ctx,
          ask,
          failure,
          out,
        );
      state.answers[ctx.endpoint]?.push(`${ask.request.type}.${failure}`);
    },
    onTimer(state, ctx, name, data, out) {
      if (isRm(ctx.endpoint))
        return onResourceManagerTimer(rm(state).state, rm(state).config, ctx, name, data, out);
      if (isProvider(ctx.endpoint)) return onResourceProviderTimer(name, out);
      if (isTe(ctx.endpoint))
        onTaskExecutorTimer(te(state, ctx.endpoint), config(ctx.endpoint), ctx, name, data, out);
      else if (name !== SLEEP_TIMER)
        throw new Error(`scripted ${ctx.endpoint}: unexpected timer ${name}`);
    },
    clientActions(state) {
      const next = state.outbox[0];
      return next === undefined
        ? []
        : [{ endpoint: next.endpoint, action: next.instruction as Instruction & Json }];
    },
    onClientAction(state, ctx, instruction, out) {
      state.outbox.shift();
      switch (instruction.kind) {
        case 'taskFinished':
          onTaskExecutorTaskFinished(
            te(state, ctx.endpoint),
            config(ctx.endpoint),
            ctx,
            instruction.attempt as ExecutionAttemptID,
            out,
          );
          return;
        case 'tell':
          out.tell(instruction.to, instruction.msg);
          return;
        case 'ask':
          out.ask(instruction.to, instruction.msg, instruction.timeoutMs);
          return;
        case 'reply':
          out.reply(instruction.ask, instruction.msg);
          return;
        case 'sleep':
          out.armTimer(SLEEP_TIMER, instruction.ms);
          return;
        case 'leader': {
          const key = serviceKey(instruction.jobId);
          state.leaders[key] = {
            leaderAddress: instruction.leaderAddress,
            leaderSessionId: instruction.leaderSessionId,
          };
          // HA elects the RM first, then tells the listeners (a leader confirms before it is announced).
          if (instruction.jobId === null && resourceManager !== null) {
            if (instruction.leaderAddress === RM_ENDPOINT && instruction.leaderSessionId !== null) {
              out.tell(RM_ENDPOINT, {
                type: 'grantLeadership',
                leaderSessionId: instruction.leaderSessionId,
              });
            } else {
              out.tell(RM_ENDPOINT, { type: 'revokeLeadership' });
            }
          }
          for (const listener of state.listeners[key] ?? []) {
            out.tell(listener, {
              type: 'notifyLeaderAddress',
              jobId: instruction.jobId,
              leaderAddress: instruction.leaderAddress,
              leaderSessionId: instruction.leaderSessionId,
            });
          }
          return;
        }
      }
    },
  };
}
