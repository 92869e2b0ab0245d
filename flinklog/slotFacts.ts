/**
 * What the lines say of each allocation at its TaskManager, read from the whole log trace before
 * it is followed (an allocation keeps its slot index and job for its life): by
 * `taskManager/allocationId`, its TaskSlot index (`Free slot TaskSlot(index:…)` names it), its job
 * (the slot request or the Free slot line), and whether a second Free slot line (state RELEASING)
 * comes for it; and each TaskManager's configured number of slots, where its log names it.
 */
import type { LogEvent } from './logTrace.js';

export interface SlotFacts {
  readonly indexOf: ReadonlyMap<string, number>;
  readonly jobOf: ReadonlyMap<string, string>;
  readonly releasedLater: ReadonlySet<string>;
  readonly configuredSlots: ReadonlyMap<string, number>;
}

export const allocationKey = (taskManager: string, allocationId: string) =>
  `${taskManager}/${allocationId}`;

export function slotFacts(events: readonly LogEvent[]): SlotFacts {
  const indexOf = new Map<string, number>();
  const jobOf = new Map<string, string>();
  const releasedLater = new Set<string>();
  const configuredSlots = new Map<string, number>();
  for (const e of events) {
    const f = e.fact;
    if (e.taskManager === null) continue;
    if (f.kind === 'taskManagerSlots') configuredSlots.set(e.taskManager, f.slots);
    if (f.kind === 'slotFreed') {
      const key = allocationKey(e.taskManager, f.allocationId);
      if (f.slotIndex !== null) indexOf.set(key, f.slotIndex);
      if (f.jobId !== null) jobOf.set(key, f.jobId);
      if (f.state === 'RELEASING') releasedLater.add(key);
    }
    if (f.kind === 'slotRequestReceived')
      jobOf.set(allocationKey(e.taskManager, f.allocationId), f.jobId);
  }
  return { indexOf, jobOf, releasedLater, configuredSlots };
}
