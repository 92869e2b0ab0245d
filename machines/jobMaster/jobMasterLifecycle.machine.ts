/**
 * The JobMaster process of one job (`JobMasterServiceLeadershipRunner` with its current `JobMaster`
 * and the DefaultScheduler's job status), flink-protocol.md §2.5.1, §4.4: not leading, leading a
 * running or restarting job under a JobMasterId, or done with the job. Every grant starts a new
 * `JobMaster` from nothing (`startJobExecution`); a revoke stops it (`stopJobExecution`, the job
 * SUSPENDED here); a finished or cancelled job stops it for good.
 *
 * `running` and `restarting` are the scheduler's RUNNING and RESTARTING while the process leads
 * (the pool accepts every offer while RESTARTING, `DeclarativeSlotPoolBridge#setIsJobRestarting`).
 * Left out: CREATED (the scheduler starts at once), FAILING/FAILED (the stand-in restarts without
 * end), and the Dispatcher, which would answer a client's call to a process that does not lead.
 */
import { assign, setup } from 'xstate';
import type { JobMasterLifecycleEvent } from './events.js';

export interface JobMasterLifecycleContext {
  /** The JobMasterId of the leadership, while leading. */
  readonly jobMasterId: string | null;
  /** The job's globally terminal status once it ended under this process. */
  readonly terminalStatus: 'FINISHED' | 'CANCELED' | null;
}

/** Transitions every leadership has, in either job status. */
const whileLeading = {
  grantLeadership: {
    target: 'running',
    reenter: true,
    actions: 'lead',
    description:
      'JobMasterServiceLeadershipRunner#grantLeadership: the old JobMaster stops (its slots are freed), a new one runs the job.',
  },
  revokeLeadership: {
    target: 'notLeading',
    actions: 'stepDown',
    description:
      'JobMasterServiceLeadershipRunner#revokeLeadership → JobMaster#onStop: SUSPENDED, every slot freed, the RM told.',
  },
  finishJob: {
    target: 'terminated',
    actions: 'finish',
    description:
      'JobMaster#jobStatusChanged(FINISHED) → jobReachedGloballyTerminalState: the JobMaster stops for good.',
  },
  cancelJob: {
    target: 'terminated',
    actions: 'cancel',
    description: 'JobMaster#cancel: CANCELED, the JobMaster stops for good.',
  },
} as const;

export const jobMasterLifecycleMachine = setup({
  types: { context: {} as JobMasterLifecycleContext, events: {} as JobMasterLifecycleEvent },
  actions: {
    lead: assign(({ event }) =>
      event.type === 'grantLeadership' ? { jobMasterId: event.leaderSessionId } : {},
    ),
    stepDown: assign({ jobMasterId: null }),
    finish: assign({ jobMasterId: null, terminalStatus: 'FINISHED' as const }),
    cancel: assign({ jobMasterId: null, terminalStatus: 'CANCELED' as const }),
  },
}).createMachine({
  id: 'jmLifecycle',
  description: "A JobMaster process: whether it leads its job, and the job's status under it.",
  context: { jobMasterId: null, terminalStatus: null },
  initial: 'notLeading',
  // What reaches a process that does not lead (not leading, or done with the job).
  on: {
    revokeLeadership: { description: 'Nothing to revoke.' },
    finishJob: { description: 'No JobMaster runs the job here: nothing changes.' },
    cancelJob: { description: 'No JobMaster runs the job here: nothing changes.' },
    changeParallelism: { description: 'No JobMaster runs the job here: nothing changes.' },
  },
  states: {
    notLeading: {
      description: 'No leadership (ours: no JobMaster object); fenced calls are refused.',
      on: {
        grantLeadership: {
          target: 'running',
          actions: 'lead',
          description:
            'JobMasterServiceLeadershipRunner#grantLeadership → JobMaster#onStart → startScheduling: RUNNING.',
        },
      },
    },
    running: {
      description:
        'Leads under a JobMasterId; the scheduler is RUNNING (slots requested, tasks deployed).',
      on: {
        ...whileLeading,
        changeParallelism: {
          target: 'restarting',
          description: 'The rescale restarts every task with the new parallelism: RESTARTING.',
        },
        'out.restartTasksWithDelay': {
          target: 'restarting',
          description:
            'DefaultScheduler#handleTaskFailure → restartTasksWithDelay: tasks cancelled, their slots back in the pool, RESTARTING.',
        },
      },
    },
    restarting: {
      description:
        'Leads; the scheduler is RESTARTING: tasks cancelled, the restart delay runs, every offer is taken.',
      on: {
        ...whileLeading,
        changeParallelism: {
          description: 'The pending restart takes the new parallelism.',
        },
        'restartDelay.elapsed': {
          target: 'running',
          description:
            'DefaultScheduler#restartTasks: RUNNING, and a new round asks for the slots (free ones first).',
        },
      },
    },
    terminated: {
      description:
        'The job reached FINISHED or CANCELED under this process: it never leads the job again.',
      on: {
        grantLeadership: {
          description: 'The job is done: the runner starts no JobMaster.',
        },
      },
    },
  },
});
