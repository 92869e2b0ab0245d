/**
 * The states a JobMaster's machines are in, and the same states read from the implementation, as
 * strings that must be equal after every step: the lifecycle (with the JobMasterId or the terminal
 * status), the RM connection (with the established RM, whether the registration waits to retry,
 * the RM leader known, and any `disconnectJobManager` still owed), and every slot of the pool
 * (`absent` for a slot the pool does not hold).
 */
import type { JobMasterState } from '../../impl/jobmaster/jobMasterState.js';
import { contextOf, expectState, type MachineInstance } from '../machineInstance.js';
import { stateName } from '../machineStepper.js';

/** The machines of one leadership (one `JobMaster` object). */
export interface JobMasterLeadershipMachines {
  readonly rm: MachineInstance;
  readonly slots: Map<string, MachineInstance>;
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
}
