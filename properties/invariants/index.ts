/**
 * Every invariant of the suite, by kind (DESIGN.md "Properties"). The checked run checks the
 * always-invariants after every step and the eventual ones after healing; docs and the README's
 * table list them from here.
 */
import type { StateInvariant, StepInvariant } from '../invariant.js';
import { noLeakedSlot, noNeedlessWorkers, requirementsSettle, viewsAgree } from './eventual.js';
import { staleMessagesChangeNothing } from './fencing.js';
import {
  freeIndexHoldsFreeSlots,
  slotManagerAllocatesOnlyWhatIsMissing,
  slotManagerAssignmentsConsistent,
} from './slotManager.js';
import { poolHoldsEachSlotOnce, poolTakesSlotsOnlyForRequirements } from './slotPool.js';
import { tasksOnlyInActiveSlots } from './tasks.js';
import {
  allocationAtOneTaskExecutor,
  jobsOnlyWithSlots,
  slotFreedBeforeReallocated,
  slotIndexHoldsOneAllocation,
} from './taskExecutorSlots.js';

/** Checked after every step, on the state alone. */
export const ALWAYS_STATE: readonly StateInvariant[] = [
  slotIndexHoldsOneAllocation,
  allocationAtOneTaskExecutor,
  jobsOnlyWithSlots,
  slotManagerAssignmentsConsistent,
  freeIndexHoldsFreeSlots,
  poolHoldsEachSlotOnce,
];

/** Checked after every step, against a digest of the state before it. */
export const ALWAYS_STEP: readonly StepInvariant[] = [
  slotFreedBeforeReallocated,
  slotManagerAllocatesOnlyWhatIsMissing,
  poolTakesSlotsOnlyForRequirements,
  tasksOnlyInActiveSlots,
  staleMessagesChangeNothing,
];

/** Checked once, after healing, in this order. */
export const EVENTUAL: readonly StateInvariant[] = [
  viewsAgree,
  noLeakedSlot,
  requirementsSettle,
  noNeedlessWorkers,
];

/** Every invariant, for docs and lookups by name. */
export const ALL_INVARIANTS: readonly (StateInvariant | StepInvariant)[] = [
  ...ALWAYS_STATE,
  ...ALWAYS_STEP,
  ...EVENTUAL,
];
