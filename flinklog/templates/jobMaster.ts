/**
 * The JobMaster's lines (in the JobManager's log): task deployment (Execution, logged under
 * ExecutionGraph's logger), the job's state (DefaultExecutionGraph under the same logger), the
 * Dispatcher's terminal state, the JobMaster's TaskManager heartbeats and its leadership.
 */
import { JOB_TERMINAL_STATES, type LogFact } from '../logFact.js';
import { versionsFrom } from '../versions.js';
import { locationResourceId, plainResourceId, type LogTemplate } from './logTemplate.js';

const ALL = versionsFrom('1.13');

function deployed(a: Readonly<Record<string, string>>): LogFact {
  return {
    kind: 'taskDeployed',
    task: a.task ?? '',
    taskManager: locationResourceId(a.location ?? ''),
    allocationId: a.allocationId ?? '',
  };
}

type Terminal = (typeof JOB_TERMINAL_STATES)[number];
const terminal = (s: string): Terminal | null =>
  (JOB_TERMINAL_STATES as readonly string[]).includes(s) ? (s as Terminal) : null;

export const JOB_MASTER_TEMPLATES: readonly LogTemplate[] = [
  {
    id: 'deployingTaskWithVertexId',
    level: 'INFO',
    args: [
      ['task', 'text'],
      ['attempt', 'number'],
      ['attemptId', 'token'],
      ['vertexId', 'token'],
      ['location', 'location'],
      ['allocationId', 'hex32'],
    ],
    variants: [
      {
        format:
          'Deploying {} (attempt #{}) with attempt id {} and vertex id {} to {} with allocation id {}',
        versions: versionsFrom('1.15'),
        logger: 'ExecutionGraph',
        source: 'Execution#deploy',
      },
    ],
    fact: deployed,
    observes: 'the JobMaster deployed a task into an allocated slot of a TaskManager',
  },
  {
    id: 'deployingTask',
    level: 'INFO',
    args: [
      ['task', 'text'],
      ['attempt', 'number'],
      ['attemptId', 'token'],
      ['location', 'location'],
      ['allocationId', 'hex32'],
    ],
    variants: [
      {
        format: 'Deploying {} (attempt #{}) with attempt id {} to {} with allocation id {}',
        versions: ['1.13', '1.14'],
        logger: 'ExecutionGraph',
        source: 'Execution#deploy',
      },
    ],
    fact: deployed,
    observes: 'the JobMaster deployed a task into an allocated slot of a TaskManager',
  },
  {
    id: 'jobSwitchedState',
    level: 'INFO',
    args: [
      ['jobName', 'text'],
      ['jobId', 'hex32'],
      ['from', 'word'],
      ['to', 'word'],
    ],
    variants: [
      {
        format: 'Job {} ({}) switched from state {} to {}.',
        versions: ALL,
        logger: 'ExecutionGraph',
        source: 'DefaultExecutionGraph#transitionState',
      },
    ],
    fact: (a) => ({ kind: 'jobStatusChanged', jobId: a.jobId ?? '', state: a.to ?? '' }),
    observes: "the job's state changes (its ExecutionGraph's)",
  },
  {
    id: 'jobReachedTerminalState',
    level: 'INFO',
    args: [
      ['jobId', 'hex32'],
      ['jobState', 'word'],
    ],
    variants: [
      {
        format: 'Job {} reached terminal state {}.',
        versions: versionsFrom('1.14'),
        logger: 'Dispatcher',
        source: 'Dispatcher#jobReachedTerminalState',
      },
    ],
    fact: (a) => {
      const state = terminal(a.jobState ?? '');
      return state === null
        ? null
        : { kind: 'jobReachedTerminalState', jobId: a.jobId ?? '', state };
    },
    observes: 'the job reached a terminal state',
  },
  {
    id: 'taskManagerHeartbeatTimeoutAtJobMaster',
    level: 'INFO',
    args: [['resourceId', 'resourceId']],
    variants: [
      {
        format: 'Heartbeat of TaskManager with id {} timed out.',
        versions: versionsFrom('1.14'),
        logger: 'JobMaster',
        source: 'JobMaster$TaskManagerHeartbeatListener#notifyHeartbeatTimeout',
      },
    ],
    fact: (a) => ({
      kind: 'taskManagerLostAtJobMaster',
      taskManager: plainResourceId(a.resourceId ?? ''),
    }),
    observes: "a TaskManager's heartbeat timed out at the JobMaster",
  },
  {
    id: 'disconnectTaskExecutorAtJobMaster',
    level: 'INFO',
    args: [
      ['resourceId', 'resourceId'],
      ['cause', 'text'],
    ],
    variants: [
      {
        format: 'Disconnect TaskExecutor {} because: {}',
        versions: versionsFrom('1.13', '1.15'),
        logger: 'JobMaster',
        source: 'JobMaster#disconnectTaskManager',
        level: 'DEBUG',
      },
      {
        format: 'Disconnect TaskExecutor {} because: {}',
        versions: versionsFrom('1.16'),
        logger: 'JobMaster',
        source: 'JobMaster#disconnectTaskManager',
      },
    ],
    // Also every TaskManager a stopping JobMaster used ("Stopping JobMaster for job …"): a
    // disconnect from the job, not the TaskManager's loss.
    fact: (a) => ({
      kind: 'taskManagerDisconnectedAtJobMaster',
      taskManager: plainResourceId(a.resourceId ?? ''),
    }),
    observes: 'the JobMaster disconnected a TaskManager (its slots leave the pool)',
  },
  {
    id: 'jobManagerRunnerGrantedLeadership',
    level: 'INFO',
    args: [
      ['jobName', 'text'],
      ['jobId', 'hex32'],
      ['sessionId', 'text'],
    ],
    variants: [
      {
        format: 'JobManager runner for job {} ({}) was granted leadership with session id {}.',
        versions: ['1.13'],
        logger: 'JobManagerRunnerImpl',
        source: 'JobManagerRunnerImpl#grantLeadership',
      },
    ],
    fact: (a) => ({ kind: 'jobMasterLeadershipGranted', jobId: a.jobId ?? '' }),
    observes: "a job's JobMaster became leader",
  },
  {
    id: 'jobMasterServiceGrantedLeadership',
    level: 'INFO',
    args: [
      ['runner', 'text'],
      ['jobId', 'hex32'],
      ['leaderId', 'text'],
      ['process', 'text'],
    ],
    variants: [
      {
        // Read at 1.16.3 (FLINK-31651, not in 1.16.0); 1.17 has it from its patch releases on
        // (not at the 1.17 branch cut); 1.18 on.
        format: '{} for job {} was granted leadership with leader id {}. Creating new {}.',
        versions: versionsFrom('1.16'),
        logger: 'JobMasterServiceLeadershipRunner',
        source: 'JobMasterServiceLeadershipRunner#grantLeadership',
      },
    ],
    fact: (a) => ({ kind: 'jobMasterLeadershipGranted', jobId: a.jobId ?? '' }),
    observes: "a job's JobMaster became leader",
  },
  {
    id: 'jobMasterServiceRevokedLeadership',
    level: 'INFO',
    args: [
      ['runner', 'text'],
      ['jobId', 'hex32'],
      ['leaderId', 'text'],
      ['process', 'text'],
    ],
    variants: [
      {
        // As the granted line: 1.16.3, 1.17's patch releases (not its branch cut), 1.18 on.
        format: '{} for job {} was revoked leadership with leader id {}. Stopping current {}.',
        versions: versionsFrom('1.16'),
        logger: 'JobMasterServiceLeadershipRunner',
        source: 'JobMasterServiceLeadershipRunner#revokeLeadership',
      },
    ],
    fact: (a) => ({ kind: 'jobMasterLeadershipRevoked', jobId: a.jobId ?? '' }),
    observes: "a job's JobMaster lost leadership",
  },
];
