/**
 * The states a JobMaster's machines are in, and the same states read from the implementation, as
 * strings that must be equal after every step: the lifecycle (with the JobMasterId or the terminal
 * status), the RM connection (with the established RM, whether the registration waits to retry,
 * the RM leader known, and any `disconnectJobManager` still owed), the requirement sending (with
 * the current declaration's epoch and last backoff, and nothing owed), every slot of the pool
 * (`absent` for a slot the pool does not hold), and every slot request of the Bridge (with the
 * slot reserved for it; `absent` for a request the Bridge does not hold).
 *
 * The implementation keeps no record of whether the current declaration's attempt is in flight,
 * acknowledged or waiting out its backoff (Flink's retry future holds that): those three states
 * compare as one, with the epoch and the last backoff delay; the backoff a failure owes and the
 * attempt an elapsed backoff owes are checked as outputs of the same step.
 */
import type { JobMasterState } from '../../impl/jobmaster/jobMasterState.js';
import { contextOf, expectState, type MachineInstance } from '../machineInstance.js';
import { stateName } from '../machineStepper.js';

/** The machines of one leadership (one `JobMaster` object). */
export interface JobMasterLeadershipMachines {
  readonly rm: MachineInstance;
  readonly declaration: MachineInstance;
  readonly slots: Map<string, MachineInstance>;
  /** Slot requests of the Bridge, by SlotRequestId. */
  readonly requests: Map<string, MachineInstance>;
}

function lifecycleOf(m: MachineInstance): string {
  const state = stateName(m.snapshot);
  const context = contextOf(m);
  if (state === 'terminated') return `terminated(${String(context['terminalStatus'])})`;
  if (state === 'notLeading') return state;
  return `${state}(${String(context['jobMasterId'])})`;
}

function implLifecycle(impl: JobMasterState): string {
  if (impl.terminated !== null) return `terminated(${impl.terminated})`;
  if (impl.leader === null) return 'notLeading';
  const status = impl.leader.scheduler.jobStatus === 'RESTARTING' ? 'restarting' : 'running';
  return `${status}(${impl.leader.jobMasterId})`;
}

function connectionOf(m: MachineInstance): string {
  const state = stateName(m.snapshot);
  const context = contextOf(m);
  if (state === 'connected') return `connected(${String(context['connectedId'])})`;
  if (state === 'registering' && context['waitingToRetry'] === true) return 'registering(waiting)';
  return state;
}

function implConnection(impl: JobMasterState): string {
  const leader = impl.leader;
  if (leader === null) return 'closed';
  const established = leader.establishedResourceManagerConnection;
  if (established !== null) return `connected(${established.target.resourceManagerId})`;
  const connection = leader.resourceManagerConnection;
  if (connection === null) return 'noResourceManager';
  return connection.registration.status === 'waitingToRetry'
    ? 'registering(waiting)'
    : 'registering';
}

function declarationOf(m: MachineInstance): string {
  const state = stateName(m.snapshot);
  const context = contextOf(m);
  if (state === 'sending' || state === 'acked' || state === 'waitingToRetry')
    return `declared(epoch ${String(context['epoch'])}, last backoff ${String(context['lastDelayMs'])})`;
  return state;
}

function implDeclaration(impl: JobMasterState): string {
  const declare = impl.leader?.declare;
  if (declare === undefined || declare.state === 'closed') return 'closed';
  if (declare.state === 'disconnected') return 'disconnected';
  const current = declare.current;
  if (current === null) return 'connected';
  return `declared(epoch ${current.epoch}, last backoff ${String(current.lastDelayMs)})`;
}

/** A request as the model holds it, with the slot it learned in the step that fulfilled it. */
function requestOf(m: MachineInstance): string {
  const state = stateName(m.snapshot);
  const allocationId = String(contextOf(m)['allocationId']);
  if (state === 'fulfilled' || state === 'payloadReleased') return `${state}(${allocationId})`;
  return state === 'pending' ? state : 'absent';
}

/** A request as the Bridge holds it, with the pool's view of a fulfilled request's slot. */
function implRequest(impl: JobMasterState, slotRequestId: string): string {
  const bridge = impl.leader?.slotPool;
  if (bridge === undefined) return 'absent';
  if (bridge.pendingRequests.some((r) => r.slotRequestId === slotRequestId)) return 'pending';
  if (!Object.hasOwn(bridge.fulfilledRequests, slotRequestId)) return 'absent';
  const allocationId = bridge.fulfilledRequests[slotRequestId];
  const slot = bridge.pool.slots.find((s) => s.allocationId === allocationId);
  if (slot === undefined) return `payloadReleased(${String(allocationId)})`;
  return slot.state === 'RESERVED'
    ? `fulfilled(${slot.allocationId})`
    : `fulfilled(${slot.allocationId}) on a ${slot.state.toLowerCase()} slot`;
}

function slotOf(m: MachineInstance): string {
  const state = stateName(m.snapshot);
  return state === 'free' || state === 'reserved' ? state : 'absent';
}

/** After a step, every machine must be in the state the implementation is in. */
export function compareJobMaster(
  index: number,
  impl: JobMasterState | null,
  lifecycle: MachineInstance,
  leadership: JobMasterLeadershipMachines | null,
): void {
  if (impl === null) return; // the process is down
  expectState(index, lifecycle.label, lifecycleOf(lifecycle), implLifecycle(impl));
  if (leadership === null) {
    // It never started a JobMaster the monitor saw (its RM leader retrieval never started).
    expectState(
      index,
      `${lifecycle.label} (JobMaster)`,
      'none',
      impl.leader === null ? 'none' : 'started',
    );
    return;
  }
  const rm = leadership.rm;
  expectState(index, rm.label, connectionOf(rm), implConnection(impl));
  expectState(
    index,
    `${rm.label} (disconnectJobManager owed to)`,
    String(contextOf(rm)['owedDisconnect']),
    'null',
  );
  if (impl.leader !== null)
    expectState(
      index,
      `${rm.label} (RM leader)`,
      String(contextOf(rm)['leaderId']),
      String(impl.leader.resourceManagerAddress?.resourceManagerId ?? null),
    );
  const pool = impl.leader?.slotPool.pool.slots ?? [];
  for (const allocationId of new Set([
    ...leadership.slots.keys(),
    ...pool.map((s) => s.allocationId),
  ])) {
    const m = leadership.slots.get(allocationId);
    const held = pool.find((s) => s.allocationId === allocationId);
    expectState(
      index,
      m?.label ?? `slot[${allocationId}]`,
      m === undefined ? 'absent' : slotOf(m),
      held === undefined ? 'absent' : held.state.toLowerCase(),
    );
  }
  const declaration = leadership.declaration;
  expectState(index, declaration.label, declarationOf(declaration), implDeclaration(impl));
  expectState(index, `${declaration.label} (owed)`, String(contextOf(declaration)['owed']), 'null');
  const bridge = impl.leader?.slotPool;
  for (const slotRequestId of new Set([
    ...leadership.requests.keys(),
    ...(bridge?.pendingRequests.map((r) => r.slotRequestId) ?? []),
    ...Object.keys(bridge?.fulfilledRequests ?? {}),
  ])) {
    const m = leadership.requests.get(slotRequestId);
    expectState(
      index,
      m?.label ?? `slotRequest[${slotRequestId}]`,
      m === undefined ? 'absent' : requestOf(m),
      implRequest(impl, slotRequestId),
    );
  }
}
