/**
 * The ResourceManager's lines (in the JobManager's log): ResourceManager and its subclasses
 * (StandaloneResourceManager, ActiveResourceManager, before 1.14 also YarnResourceManager and
 * KubernetesResourceManager: a line logged by `ResourceManager` matches any logger whose class name
 * ends in ResourceManager), the slot managers (DeclarativeSlotManager; FineGrainedSlotManager with
 * DefaultSlotStatusSyncer) and the leadership service.
 */
import { versionsFrom } from '../versions.js';
import { plainResourceId, splitSlotId, type LogTemplate } from './logTemplate.js';

const ALL = versionsFrom('1.13');

export const RESOURCE_MANAGER_TEMPLATES: readonly LogTemplate[] = [
  {
    id: 'registeringTaskManager',
    level: 'INFO',
    args: [
      ['resourceId', 'resourceId'],
      ['address', 'text'],
    ],
    variants: [
      {
        format: 'Registering TaskManager with ResourceID {} ({}) at ResourceManager',
        versions: ALL,
        logger: 'ResourceManager',
        source: 'ResourceManager#registerTaskExecutorInternal',
      },
    ],
    fact: (a) => ({
      kind: 'taskExecutorRegistered',
      taskManager: plainResourceId(a.resourceId ?? ''),
    }),
    observes: 'a TaskExecutor registered at the ResourceManager',
  },
  {
    id: 'taskManagerHeartbeatTimeoutAtResourceManager',
    level: 'INFO',
    args: [['resourceId', 'resourceId']],
    variants: [
      {
        format: 'The heartbeat of TaskManager with id {} timed out.',
        versions: ALL,
        logger: 'ResourceManager',
        source: 'ResourceManager$TaskManagerHeartbeatListener#notifyHeartbeatTimeout',
      },
    ],
    fact: (a) => ({
      kind: 'taskExecutorLost',
      taskManager: plainResourceId(a.resourceId ?? ''),
      reason: 'heartbeatTimeout',
    }),
    observes: "a TaskExecutor's heartbeat timed out at the ResourceManager",
  },
  {
    id: 'closingTaskExecutorConnection',
    level: 'INFO',
    args: [
      ['resourceId', 'resourceId'],
      ['cause', 'text'],
    ],
    variants: [
      {
        format: 'Closing TaskExecutor connection {} because: {}',
        versions: ALL,
        logger: 'ResourceManager',
        source: 'ResourceManager#closeTaskManagerConnection',
      },
    ],
    fact: (a) => ({
      kind: 'taskExecutorLost',
      taskManager: plainResourceId(a.resourceId ?? ''),
      reason: 'disconnected',
    }),
    observes: 'the ResourceManager closed a TaskExecutor connection (its slots are gone)',
  },
  {
    id: 'registeredJobManager',
    level: 'INFO',
    args: [
      ['leaderId', 'text'],
      ['address', 'text'],
      ['jobId', 'hex32'],
    ],
    variants: [
      {
        format: 'Registered job manager {}@{} for job {}.',
        versions: ALL,
        logger: 'ResourceManager',
        source: 'ResourceManager#registerJobMasterInternal',
      },
    ],
    fact: (a) => ({ kind: 'jobMasterRegistered', jobId: a.jobId ?? '' }),
    observes: 'a JobMaster registered at the ResourceManager',
  },
  {
    id: 'disconnectJobManager',
    level: 'INFO',
    args: [
      ['leaderId', 'text'],
      ['address', 'text'],
      ['jobId', 'hex32'],
    ],
    variants: [
      {
        format: 'Disconnect job manager {}@{} for job {} from the resource manager.',
        versions: ALL,
        logger: 'ResourceManager',
        source: 'ResourceManager#closeJobManagerConnection',
      },
    ],
    fact: (a) => ({ kind: 'jobMasterLost', jobId: a.jobId ?? '' }),
    observes: 'the ResourceManager closed a JobMaster connection',
  },
  {
    id: 'resourceManagerGrantedLeadership',
    level: 'INFO',
    args: [
      ['address', 'text'],
      ['token', 'text'],
    ],
    variants: [
      {
        format: 'ResourceManager {} was granted leadership with fencing token {}',
        versions: ['1.13'],
        logger: 'ResourceManager',
        source: 'ResourceManager#grantLeadership',
      },
    ],
    fact: () => ({ kind: 'resourceManagerLeadershipGranted' }),
    observes: 'the ResourceManager became leader',
  },
  {
    id: 'resourceManagerServiceGrantedLeadership',
    level: 'INFO',
    args: [['sessionId', 'text']],
    variants: [
      {
        format: 'Resource manager service is granted leadership with session id {}.',
        versions: versionsFrom('1.14'),
        logger: 'ResourceManagerServiceImpl',
        source: 'ResourceManagerServiceImpl#grantLeadership',
      },
    ],
    fact: () => ({ kind: 'resourceManagerLeadershipGranted' }),
    observes: 'the ResourceManager became leader',
  },
  {
    id: 'resourceManagerRevokedLeadership',
    level: 'INFO',
    args: [['address', 'text']],
    variants: [
      {
        format: 'ResourceManager {} was revoked leadership. Clearing fencing token.',
        versions: ['1.13'],
        logger: 'ResourceManager',
        source: 'ResourceManager#revokeLeadership',
      },
    ],
    fact: () => ({ kind: 'resourceManagerLeadershipRevoked' }),
    observes: 'the ResourceManager lost leadership',
  },
  {
    id: 'resourceManagerServiceRevokedLeadership',
    level: 'INFO',
    args: [['sessionId', 'text']],
    variants: [
      {
        format: 'Resource manager service is revoked leadership with session id {}.',
        versions: versionsFrom('1.14'),
        logger: 'ResourceManagerServiceImpl',
        source: 'ResourceManagerServiceImpl#revokeLeadership',
      },
    ],
    fact: () => ({ kind: 'resourceManagerLeadershipRevoked' }),
    observes: 'the ResourceManager lost leadership',
  },
  {
    id: 'receivedResourceRequirements',
    level: 'INFO',
    args: [
      ['jobId', 'hex32'],
      ['requirements', 'text'],
    ],
    variants: [
      {
        format: 'Received resource requirements from job {}: {}',
        versions: ['1.13'],
        logger: 'DeclarativeSlotManager',
        source: 'DeclarativeSlotManager#processResourceRequirements',
        level: 'DEBUG',
      },
      {
        format: 'Received resource requirements from job {}: {}',
        versions: versionsFrom('1.14', '1.18'),
        logger: 'DeclarativeSlotManager',
        source: 'DeclarativeSlotManager#processResourceRequirements',
      },
      {
        format: 'Received resource requirements from job {}: {}',
        versions: ['1.13'],
        logger: 'FineGrainedSlotManager',
        source: 'FineGrainedSlotManager#processResourceRequirements',
        level: 'DEBUG',
      },
      {
        format: 'Received resource requirements from job {}: {}',
        versions: versionsFrom('1.14'),
        logger: 'FineGrainedSlotManager',
        source: 'FineGrainedSlotManager#processResourceRequirements',
      },
    ],
    fact: (a) => ({
      kind: 'resourceRequirementsReceived',
      jobId: a.jobId ?? '',
      requirements: (a.requirements ?? '').slice(0, 2000),
    }),
    observes: "a job's declared resource requirements",
  },
  {
    id: 'clearingResourceRequirements',
    level: 'INFO',
    args: [['jobId', 'hex32']],
    variants: [
      {
        format: 'Clearing resource requirements of job {}',
        versions: versionsFrom('1.14', '1.18'),
        logger: 'DeclarativeSlotManager',
        source: 'DeclarativeSlotManager#processResourceRequirements',
      },
      {
        format: 'Clearing resource requirements of job {}',
        versions: versionsFrom('1.14'),
        logger: 'FineGrainedSlotManager',
        source: 'FineGrainedSlotManager#processResourceRequirements',
      },
    ],
    fact: (a) => ({
      kind: 'resourceRequirementsReceived',
      jobId: a.jobId ?? '',
      requirements: '[]',
    }),
    observes: "a job's requirements cleared (it needs no slots)",
  },
  {
    id: 'startingSlotAllocation',
    level: 'DEBUG',
    args: [
      ['slotId', 'slotId'],
      ['jobId', 'hex32'],
      ['profile', 'text'],
    ],
    variants: [
      {
        // The SlotID: the AllocationID is made only after this line.
        format: 'Starting allocation of slot {} for job {} with resource profile {}.',
        versions: versionsFrom('1.13', '1.18'),
        logger: 'DeclarativeSlotManager',
        source: 'DeclarativeSlotManager#allocateSlot',
      },
    ],
    fact: (a) => {
      const { resourceId, index } = splitSlotId(a.slotId ?? '_0');
      return {
        kind: 'slotAllocationStarted',
        allocationId: null,
        jobId: a.jobId ?? '',
        taskManager: plainResourceId(resourceId),
        slotIndex: index,
      };
    },
    observes: 'the ResourceManager sent requestSlot for a slot (DeclarativeSlotManager)',
  },
  {
    id: 'startingSlotAllocationFineGrained',
    level: 'INFO',
    args: [
      ['allocationId', 'hex32'],
      ['resourceId', 'resourceId'],
      ['jobId', 'hex32'],
      ['profile', 'text'],
    ],
    variants: [
      {
        format: 'Starting allocation of slot {} from {} for job {} with resource profile {}.',
        versions: versionsFrom('1.14'),
        logger: 'DefaultSlotStatusSyncer',
        source: 'DefaultSlotStatusSyncer#allocateSlot',
      },
    ],
    fact: (a) => ({
      kind: 'slotAllocationStarted',
      allocationId: a.allocationId ?? '',
      jobId: a.jobId ?? '',
      taskManager: plainResourceId(a.resourceId ?? ''),
      slotIndex: null,
    }),
    observes: 'the ResourceManager sent requestSlot to a TaskExecutor (FineGrainedSlotManager)',
  },
  {
    id: 'requestingNewWorker',
    level: 'INFO',
    args: [
      ['spec', 'text'],
      ['pending', 'number'],
    ],
    variants: [
      {
        format: 'Requesting new worker with resource spec {}, current pending count: {}.',
        versions: ALL,
        logger: 'ActiveResourceManager',
        source: 'ActiveResourceManager#requestNewWorker',
      },
    ],
    fact: (a) => ({ kind: 'workerRequested', spec: (a.spec ?? '').slice(0, 2000) }),
    observes: 'the active ResourceManager asked its resource provider for a worker',
  },
  {
    id: 'workerTerminated',
    level: 'INFO',
    args: [
      ['resourceId', 'resourceId'],
      ['diagnostics', 'text'],
    ],
    variants: [
      {
        format: 'Worker {} is terminated. Diagnostics: {}',
        versions: ALL,
        logger: 'ActiveResourceManager',
        source: 'ActiveResourceManager#onWorkerTerminated',
      },
    ],
    fact: (a) => ({ kind: 'workerStopped', taskManager: plainResourceId(a.resourceId ?? '') }),
    observes: 'a worker process ended (active deployment)',
  },
  {
    id: 'stoppingWorker',
    level: 'INFO',
    args: [['resourceId', 'resourceId']],
    variants: [
      {
        format: 'Stopping worker {}.',
        versions: ALL,
        logger: 'ActiveResourceManager',
        source: 'ActiveResourceManager#internalStopWorker',
      },
    ],
    fact: (a) => ({ kind: 'workerStopped', taskManager: plainResourceId(a.resourceId ?? '') }),
    observes: 'the active ResourceManager released a worker',
  },
];
