/**
 * Deliberately broken variants of the components. Canaries are defects made up to prove that the
 * property suite catches what it claims to; the bug zoo (zoo/bugs.ts documents each one) puts back
 * defects that Flink once had and fixed, named by their FLINK issue. Every component config
 * carries a list of them, empty by default; the cluster's configuration schema has no field for
 * them, so neither a config file nor the command line can switch one on — only a harness that
 * builds the cluster with `flinkCluster(config, mutants)` (the tests, `flink-slot-model mutants`).
 */
const CANARIES = {
  'canary:taskExecutorAcceptsOccupiedSlot':
    'TaskExecutor#requestSlot allocates a slot index that another AllocationID holds, instead of answering SlotOccupiedException',
  'canary:taskExecutorIgnoresResourceManagerId':
    'TaskExecutor#requestSlot serves a ResourceManager it is not connected to (no isConnectedToResourceManager check)',
  'canary:slotPoolAcceptsSurplusOffers':
    'DeclarativeSlotPoolBridge#offerSlots registers every offered slot, as if the job were always restarting, beyond its requirements',
} as const;

/** Historical Flink defects, each put back where Flink fixed it (zoo/bugs.ts: the details). */
const ZOO = {
  'FLINK-8505:reportedSlotStaysFree':
    'DefaultSlotTracker keeps a FREE slot in its free index when a slot report shows it allocated (FLINK-8505, fixed in 1.5.0)',
  'FLINK-20605:lateAllocationAnswerApplied':
    'DeclarativeSlotManager applies a requestSlot answer whether or not the slot still waits for it (FLINK-20605, fixed in 1.13.0)',
  'FLINK-21874:allocationAnswerMatchedBySlot':
    'DeclarativeSlotManager takes a requestSlot answer for any pending allocation of the slot, not only the one it answers (FLINK-21874, fixed in 1.13.0)',
  'FLINK-9884:occupiedSlotCountedFree':
    'The slot manager treats SlotOccupiedException like any failure: the slot is freed and the request stays open, though the TaskExecutor holds the slot for the job (FLINK-9884, fixed in 1.5.5/1.6.2)',
  'FLINK-21859:staleOfferAnswerApplied':
    'TaskExecutor#handleAcceptedSlotOffers applies the answer to an older offer of the job, not only to the newest (FLINK-21859, fixed in 1.14.0)',
  'FLINK-18012:submittedSlotKeepsTimeout':
    'TaskSlotTable#tryMarkSlotActive (a task submitted before the offer was answered) activates the slot but leaves its timeout armed (FLINK-18012, fixed in 1.10.2/1.11.0)',
  'FLINK-9932:slotActivatedOnOffer':
    'TaskExecutor#offerSlotsToJobManager marks the slots ACTIVE when it offers them, so an offer that times out is never repeated (FLINK-9932, fixed in 1.5.5/1.6.2)',
  'FLINK-6160:taskExecutorForgetsLostResourceManager':
    'TaskExecutor closes the ResourceManager connection on a heartbeat timeout without registering again (FLINK-6160, fixed in 1.5.0)',
  'FLINK-20694:freedSlotRematched':
    'DefaultDeclarativeSlotPool#freeReservedSlot matches the freed slot against the outstanding requirements again, counting it twice (FLINK-20694, fixed before 1.13.0)',
  'FLINK-9408:jobMasterForgetsDisconnectedResourceManager':
    'JobMaster#disconnectResourceManager closes the connection without registering again (FLINK-9408, fixed in 1.5.0)',
  'FLINK-8504:jobKeptWithoutSlots':
    'TaskExecutor keeps a job registered (leader retrieval, JobMaster connection) after its last slot is freed (FLINK-8504, fixed in 1.5.0)',
} as const;

export const MUTANTS = { ...CANARIES, ...ZOO };

export type Canary = keyof typeof CANARIES;
export type ZooMutant = keyof typeof ZOO;
export type Mutant = Canary | ZooMutant;

export const CANARY_NAMES = Object.keys(CANARIES) as Canary[];
export const ZOO_NAMES = Object.keys(ZOO) as ZooMutant[];
export const MUTANT_NAMES: readonly Mutant[] = [...CANARY_NAMES, ...ZOO_NAMES];

/** Whether a component built with `mutants` runs the broken variant `mutant`. */
export function hasMutant(mutants: readonly Mutant[] | undefined, mutant: Mutant): boolean {
  return mutants !== undefined && mutants.includes(mutant);
}
