/**
 * The TaskManager's lines: TaskExecutor, TaskSlotTableImpl, DefaultJobLeaderService and
 * TaskManagerRunner (flink-runtime `org.apache.flink.runtime.taskexecutor`). Releases as read from
 * Flink's source at each release (flinklog/TEMPLATES.md says which commit).
 */
import type { LogFact } from '../logFact.js';
import { versionsFrom } from '../versions.js';
import { splitSlotId, plainResourceId, type LogTemplate } from './logTemplate.js';

const ALL = versionsFrom('1.13');

const state = (s: string): 'ALLOCATED' | 'ACTIVE' | 'RELEASING' | null =>
  s === 'ALLOCATED' || s === 'ACTIVE' || s === 'RELEASING' ? s : null;

export const TASK_EXECUTOR_TEMPLATES: readonly LogTemplate[] = [
  {
    id: 'taskManagerResourceId',
    level: 'INFO',
    args: [['resourceId', 'resourceId']],
    variants: [
      {
        format: 'Starting TaskManager with ResourceID: {}',
        versions: ALL,
        logger: 'TaskManagerRunner',
        source: 'TaskManagerRunner#startTaskManagerRunnerServices',
      },
    ],
    // Written with ResourceID#getStringWithMetadata: `container_…_000002(host:port)`.
    fact: (a) => ({
      kind: 'taskManagerResourceId',
      taskManager: plainResourceId(a.resourceId ?? ''),
    }),
    observes: "the TaskManager's own ResourceID",
  },
  {
    id: 'numberOfTaskSlots',
    level: 'INFO',
    args: [['slots', 'number']],
    variants: [
      {
        format: 'Loading configuration property: taskmanager.numberOfTaskSlots, {}',
        sourceFormat: 'Loading configuration property: {}, {}',
        versions: versionsFrom('1.13', '1.15'),
        logger: 'GlobalConfiguration',
        source: 'GlobalConfiguration#loadYAMLResource',
      },
    ],
    fact: (a) => ({ kind: 'taskManagerSlots', slots: Math.max(1, Number(a.slots)) }),
    observes: "a TaskManager's number of slots",
  },
  {
    // From 1.16 every property is logged in one place, the dynamic ones (`-D`, as the active
    // deployments start TaskManagers) as "Loading dynamic configuration property".
    id: 'numberOfTaskSlotsProperty',
    level: 'INFO',
    args: [
      ['prefix', 'text'],
      ['slots', 'number'],
    ],
    variants: [
      {
        format: '{} configuration property: taskmanager.numberOfTaskSlots, {}',
        sourceFormat: '{} configuration property: {}, {}',
        versions: versionsFrom('1.16'),
        logger: 'GlobalConfiguration',
        source: 'GlobalConfiguration#logConfiguration',
      },
    ],
    fact: (a) => ({ kind: 'taskManagerSlots', slots: Math.max(1, Number(a.slots)) }),
    observes: "a TaskManager's number of slots",
  },
  {
    id: 'registeredAtResourceManager',
    level: 'INFO',
    args: [
      ['address', 'text'],
      ['registrationId', 'text'],
    ],
    variants: [
      {
        format: 'Successful registration at resource manager {} under registration id {}.',
        versions: ALL,
        logger: 'TaskExecutor',
        // Logged with the TaskExecutor's logger.
        source: 'TaskExecutorToResourceManagerConnection#onRegistrationSuccess',
      },
    ],
    fact: () => ({ kind: 'registeredAtResourceManager' }),
    observes: 'the TaskExecutor registered at the ResourceManager',
  },
  {
    id: 'resourceManagerHeartbeatTimeout',
    level: 'INFO',
    args: [['resourceId', 'resourceId']],
    variants: [
      {
        format: 'The heartbeat of ResourceManager with id {} timed out.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor$ResourceManagerHeartbeatListener#notifyHeartbeatTimeout',
      },
    ],
    fact: () => ({ kind: 'resourceManagerLost' }),
    observes: 'the TaskExecutor lost the ResourceManager',
  },
  {
    id: 'closeResourceManagerConnection',
    level: 'INFO',
    args: [['resourceId', 'resourceId']],
    variants: [
      {
        format: 'Close ResourceManager connection {}.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor#closeResourceManagerConnection',
      },
    ],
    fact: () => ({ kind: 'resourceManagerLost' }),
    observes: 'the TaskExecutor closed its ResourceManager connection',
  },
  {
    id: 'receiveSlotRequest',
    level: 'INFO',
    args: [
      ['allocationId', 'hex32'],
      ['jobId', 'hex32'],
      ['leaderId', 'text'],
    ],
    variants: [
      {
        format: 'Receive slot request {} for job {} from resource manager with leader id {}.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor#requestSlot',
      },
    ],
    fact: (a) => ({
      kind: 'slotRequestReceived',
      allocationId: a.allocationId ?? '',
      jobId: a.jobId ?? '',
    }),
    observes: 'a requestSlot reached the TaskExecutor',
  },
  {
    id: 'allocatedSlot',
    level: 'INFO',
    args: [['allocationId', 'hex32']],
    variants: [
      {
        format: 'Allocated slot for {}.',
        versions: versionsFrom('1.13', '1.17'),
        logger: 'TaskExecutor',
        source: 'TaskExecutor#allocateSlot',
      },
    ],
    fact: (a) => ({ kind: 'slotAllocated', allocationId: a.allocationId ?? '' }),
    observes: 'a slot was allocated at the TaskExecutor (TaskSlotTable#allocateSlot)',
  },
  {
    id: 'allocatedSlotWithResources',
    level: 'INFO',
    args: [
      ['allocationId', 'hex32'],
      ['profile', 'text'],
    ],
    variants: [
      {
        format: 'Allocated slot for {} with resources {}.',
        versions: versionsFrom('1.18'),
        logger: 'TaskSlotTableImpl',
        source: 'TaskSlotTableImpl#allocateSlot',
      },
    ],
    fact: (a) => ({ kind: 'slotAllocated', allocationId: a.allocationId ?? '' }),
    observes: 'a slot was allocated at the TaskExecutor (TaskSlotTable#allocateSlot)',
  },
  {
    id: 'couldNotAllocateSlot',
    level: 'INFO',
    args: [['allocationId', 'hex32']],
    variants: [
      {
        format: 'Could not allocate slot for {}.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor#allocateSlot',
      },
    ],
    fact: (a) => ({
      kind: 'slotAllocationRefused',
      allocationId: a.allocationId ?? null,
      slotIndex: null,
    }),
    observes: 'a slot request the TaskSlotTable refused',
  },
  {
    id: 'slotAlreadyAllocated',
    level: 'INFO',
    args: [['slotId', 'slotId']],
    variants: [
      {
        format: 'The slot {} has already been allocated for a different job.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor#allocateSlot',
      },
    ],
    fact: (a): LogFact => ({
      kind: 'slotAllocationRefused',
      allocationId: null,
      slotIndex: splitSlotId(a.slotId ?? '_0').index,
    }),
    observes: 'a slot request for an occupied slot (SlotOccupiedException)',
  },
  {
    id: 'offerReservedSlots',
    level: 'INFO',
    args: [['jobId', 'hex32']],
    variants: [
      {
        format: 'Offer reserved slots to the leader of job {}.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor#offerSlotsToJobManager',
      },
    ],
    fact: (a) => ({ kind: 'slotsOffered', jobId: a.jobId ?? '' }),
    observes: "the TaskExecutor offered a job's allocated slots to its JobMaster",
  },
  {
    id: 'activateSlot',
    level: 'INFO',
    args: [['allocationId', 'hex32']],
    variants: [
      {
        format: 'Activate slot {}.',
        versions: ALL,
        logger: 'TaskSlotTableImpl',
        source: 'TaskSlotTableImpl#markSlotActive',
      },
    ],
    fact: (a) => ({ kind: 'slotActivated', allocationId: a.allocationId ?? '' }),
    observes: 'a slot became (or stayed) ACTIVE: accepted by the JobMaster, or a task arrived',
  },
  {
    id: 'freeSlot',
    level: 'INFO',
    args: [
      ['index', 'number'],
      ['state', 'word'],
      ['profile', 'text'],
      ['allocationId', 'hex32'],
      ['jobId', 'hex32'],
    ],
    variants: [
      {
        // "Free slot {}." with TaskSlot#toString written out.
        format:
          'Free slot TaskSlot(index:{}, state:{}, resource profile: {}, allocationId: {}, jobId: {}).',
        sourceFormat: 'Free slot {}.',
        versions: ALL,
        logger: 'TaskSlotTableImpl',
        source: 'TaskSlotTableImpl#freeSlotInternal',
      },
    ],
    fact: (a) => ({
      kind: 'slotFreed',
      allocationId: a.allocationId ?? '',
      jobId: a.jobId ?? null,
      slotIndex: Number(a.index),
      state: state(a.state ?? ''),
    }),
    observes: 'a slot was freed (or began releasing) at the TaskExecutor',
  },
  {
    id: 'receivedTask',
    level: 'INFO',
    args: [
      ['task', 'text'],
      ['attemptId', 'token'],
      ['allocationId', 'hex32'],
    ],
    variants: [
      {
        format: 'Received task {} ({}), deploy into slot with allocation id {}.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor#submitTask',
      },
    ],
    fact: (a) => ({ kind: 'taskReceived', task: a.task ?? '', allocationId: a.allocationId ?? '' }),
    observes: 'a task arrived for a slot (submitTask)',
  },
  {
    id: 'jobManagerHeartbeatTimeout',
    level: 'INFO',
    args: [['resourceId', 'resourceId']],
    variants: [
      {
        // Built with String.format; the ResourceID with its metadata.
        format: 'The heartbeat of JobManager with id {} timed out.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor$JobManagerHeartbeatListener#notifyHeartbeatTimeout',
      },
    ],
    fact: () => ({ kind: 'jobManagerLost' }),
    observes: "the TaskExecutor lost a JobMaster's heartbeat (the job's slots go inactive)",
  },
  {
    id: 'establishJobManagerConnection',
    level: 'INFO',
    args: [['jobId', 'hex32']],
    variants: [
      {
        format: 'Establish JobManager connection for job {}.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor#establishJobManagerConnection',
      },
    ],
    fact: (a) => ({ kind: 'jobManagerConnected', jobId: a.jobId ?? '' }),
    observes: "the TaskExecutor connected to a job's JobMaster",
  },
  {
    id: 'closeJobManagerConnection',
    level: 'INFO',
    args: [['jobId', 'hex32']],
    variants: [
      {
        format: 'Close JobManager connection for job {}.',
        versions: ALL,
        logger: 'TaskExecutor',
        source: 'TaskExecutor#closeJobManagerConnection',
      },
    ],
    fact: (a) => ({ kind: 'jobManagerDisconnected', jobId: a.jobId ?? '' }),
    observes: "the TaskExecutor disconnected from a job's JobMaster",
  },
];
