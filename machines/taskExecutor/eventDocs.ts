/**
 * One line per event the TaskExecutor's machines take. The record is typed by the event unions,
 * so an event without a doc (or a doc of an event that does not exist) does not compile.
 */
import type {
  JobManagerConnectionEvent,
  ResourceManagerConnectionEvent,
  TaskSlotEvent,
} from './events.js';

type EventType =
  | ResourceManagerConnectionEvent['type']
  | JobManagerConnectionEvent['type']
  | TaskSlotEvent['type'];

export const TASK_EXECUTOR_EVENT_DOCS: Readonly<Record<EventType, string>> = {
  notifyLeaderAddress: 'Leader retrieval announced a leader (or none) for the RM or for a job.',
  'out.registerTaskExecutor': 'The TE sent a registration attempt to the RM leader.',
  'registerTaskExecutor.succeeded': 'The RM registered the TE (TaskExecutorRegistrationSuccess).',
  'registerTaskExecutor.rejected':
    'The RM rejected the TE for good (TaskExecutorRegistrationRejection).',
  'registerTaskExecutor.declined': 'The RM declined the attempt (RegistrationResponse.Failure).',
  'registerTaskExecutor.failed': 'The registration ask failed with an exception.',
  'registerTaskExecutor.timedOut': 'The registration ask timed out at the TE.',
  'registration.retry': "A registration loop's retry delay elapsed.",
  registrationTimeout: 'taskmanager.registration.timeout elapsed without an RM registration.',
  'sendSlotReport.acked': 'The RM took the initial slot report.',
  'sendSlotReport.failed': 'The initial slot report failed with an exception.',
  'sendSlotReport.timedOut': 'The initial slot report timed out.',
  disconnectResourceManager: 'The RM closed its connection to the TE.',
  'heartbeat.timedOut': 'A heartbeat monitor (of the RM or of a JM) timed out.',
  'heartbeat.delivered': 'A heartbeat answer from the TE went through.',
  'heartbeat.unreachable': 'A heartbeat answer from the TE failed: the recipient is unreachable.',
  'out.startLeaderRetrieval':
    'The TE added a job to its JobTable and started its leader retrieval.',
  'out.stopLeaderRetrieval': 'The TE released a job and stopped its leader retrieval.',
  'out.registerTaskManager': "The TE sent a registration attempt to the job's leader.",
  'registerTaskManager.succeeded': 'The JM registered the TE (JMTMRegistrationSuccess).',
  'registerTaskManager.rejected': 'The JM rejected the TE (JMTMRegistrationRejection).',
  'registerTaskManager.declined': 'The JM declined the attempt (RegistrationResponse.Failure).',
  'registerTaskManager.failed': 'The JM registration ask failed with an exception.',
  'registerTaskManager.timedOut': 'The JM registration ask timed out at the TE.',
  'out.offerSlots': "The TE offered the job's ALLOCATED slots to the connected leader.",
  disconnectJobManager: 'The JM dropped the TE from the job.',
  requestSlot: 'The RM asks the TE to allocate this slot to a job.',
  freeSlot: 'The JM asks the TE to free the slot of an allocation.',
  freeInactiveSlots: "The RM cleared the job: free the job's ALLOCATED slots.",
  slotTimeout: "The slot's timeout fired (taskmanager.slot.timeout).",
  'offerSlots.accepted': 'The answer to the newest offer: this slot accepted or not.',
  'offerSlots.failed': 'The newest offer failed with an exception.',
  submitTask: 'The JM deploys a task into this slot.',
  heartbeatFromJobManager: "The connected JM's heartbeat, listing (or not) this slot's allocation.",
  jobDisconnected: "The job's JobMaster connection was closed.",
  jobReleased: 'The job was released because its JobMaster rejected the TE.',
  taskTerminated: 'A task in this slot ended.',
};
