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
import {
  ClusterRouting,
  jobMasterEndpoint,
  RM_ENDPOINT,
  type ClusterProcesses,
} from '../../impl/cluster/clusterProcesses.js';
import type { JobClientAction } from '../../impl/jobmaster/jobMaster.js';
import type { JobMasterConfig } from '../../impl/jobmaster/jobMasterState.js';
import type { Json } from '../../impl/sim/canonical.js';
import type { AskRef } from '../../impl/sim/effects.js';
import type { SimSystem } from '../../impl/sim/system.js';
import type { EndpointId } from '../../impl/sim/world.js';
import type { ResourceManagerConfig } from '../../impl/resourcemanager/resourceManagerState.js';
import type { ResourceProviderConfig } from '../../impl/resourceprovider/resourceProvider.js';
import type { TaskExecutorConfig } from '../../impl/taskexecutor/taskExecutorState.js';

export { PROVIDER_ENDPOINT, RM_ENDPOINT } from '../../impl/cluster/clusterProcesses.js';

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
  /** At a real JobMaster: a client finishes, cancels or rescales the job. */
  | { readonly kind: 'job'; readonly action: JobClientAction }
  /** Let time pass: a timer of the scripted endpoint that the scenario fires last. */
  | { readonly kind: 'sleep'; readonly ms: number }
  | {
      readonly kind: 'leader';
      readonly jobId: JobID | null;
      readonly leaderAddress: string | null;
      readonly leaderSessionId: string | null;
    };

/** The real processes (a ResourceManager, provider or JobMasters only when the cluster has them). */
export interface ScriptedClusterState extends ClusterProcesses {
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

/** The timer a scripted endpoint arms to let time pass. */
export const SLEEP_TIMER = 'scenario/sleep';

const serviceKey = (jobId: JobID | null): string => (jobId === null ? 'rm' : jobId);

export function scriptedCluster(
  configs: readonly TaskExecutorConfig[],
  scripted: readonly EndpointId[],
  resourceManager: ResourceManagerConfig | null = null,
  resourceProvider: ResourceProviderConfig | null = null,
  jobMasters: readonly JobMasterConfig[] = [],
): SimSystem<ScriptedClusterState, ClusterMessage, Instruction & Json> {
  const routing = new ClusterRouting({
    taskExecutors: configs,
    resourceManager,
    resourceProvider,
    jobMasters,
  });
  /** The real contender for a service's leadership: the RM, or the job's JobMaster. */
  const contender = (jobId: JobID | null): EndpointId | null => {
    const endpoint = jobId === null ? RM_ENDPOINT : jobMasterEndpoint(jobId);
    return routing.isReal(endpoint) ? endpoint : null;
  };
  return {
    name: 'scripted-taskexecutor-cluster',
    endpoints: [...routing.endpoints, HA_ENDPOINT, ...scripted],
    managed: routing.managed,
    crashable: (endpoint) => routing.crashable(endpoint),
    initialState: () => ({
      ...routing.initialProcesses(),
      inbox: Object.fromEntries([HA_ENDPOINT, ...scripted].map((e) => [e, []])),
      answers: Object.fromEntries([HA_ENDPOINT, ...scripted].map((e) => [e, []])),
      outbox: [],
      leaders: {},
      listeners: {},
    }),
    onStart(state, ctx, out) {
      routing.start(state, ctx, out);
    },
    onCrash(state, endpoint) {
      routing.crash(state, endpoint);
      for (const listeners of Object.values(state.listeners)) {
        const i = listeners.indexOf(endpoint);
        if (i >= 0) listeners.splice(i, 1);
      }
    },
    onMessage(state, ctx, delivery, out) {
      const process = routing.processAt(state, ctx.endpoint);
      if (process !== null) return process.message(ctx, delivery, out);
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
      const process = routing.processAt(state, ctx.endpoint);
      if (process !== null) return process.reply(ctx, ask, reply, out);
      state.answers[ctx.endpoint]?.push(reply.type);
    },
    onAskFailure(state, ctx, ask, failure, out) {
      const process = routing.processAt(state, ctx.endpoint);
      if (process !== null) return process.askFailure(ctx, ask, failure, out);
      state.answers[ctx.endpoint]?.push(`${ask.request.type}.${failure}`);
    },
    onTimer(state, ctx, name, data, out) {
      const process = routing.processAt(state, ctx.endpoint);
      if (process !== null) return process.timer(ctx, name, data, out);
      if (name !== SLEEP_TIMER)
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
          routing.taskFinished(state, ctx, instruction.attempt as ExecutionAttemptID, out);
          return;
        case 'job':
          routing.jobClientAction(state, ctx, instruction.action, out);
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
          // HA elects a real contender first, then tells the listeners (a leader confirms before
          // it is announced); a real contender that is no longer the leader is revoked.
          const real = contender(instruction.jobId);
          if (real !== null) {
            if (instruction.leaderAddress === real && instruction.leaderSessionId !== null) {
              out.tell(real, {
                type: 'grantLeadership',
                leaderSessionId: instruction.leaderSessionId,
              });
            } else {
              out.tell(real, { type: 'revokeLeadership' });
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
