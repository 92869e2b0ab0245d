/**
 * Deliberately broken variants of the components: canaries that prove the property suite catches
 * what it claims to (and, later, the bug zoo of historical Flink defects). Every component config
 * carries a list of them, empty by default; the cluster's configuration schema has no field for
 * them, so neither a config file nor the command line can switch one on — only a test harness
 * that builds the cluster with `flinkCluster(config, mutants)`.
 */
export const MUTANTS = {
  'canary:taskExecutorAcceptsOccupiedSlot':
    'TaskExecutor#requestSlot allocates a slot index that another AllocationID holds, instead of answering SlotOccupiedException',
  'canary:taskExecutorIgnoresResourceManagerId':
    'TaskExecutor#requestSlot serves a ResourceManager it is not connected to (no isConnectedToResourceManager check)',
  'canary:slotPoolAcceptsSurplusOffers':
    'DeclarativeSlotPoolBridge#offerSlots registers every offered slot, as if the job were always restarting, beyond its requirements',
} as const;

export type Mutant = keyof typeof MUTANTS;

export const MUTANT_NAMES = Object.keys(MUTANTS) as Mutant[];

/** Whether a component built with `mutants` runs the broken variant `mutant`. */
export function hasMutant(mutants: readonly Mutant[] | undefined, mutant: Mutant): boolean {
  return mutants !== undefined && mutants.includes(mutant);
}
