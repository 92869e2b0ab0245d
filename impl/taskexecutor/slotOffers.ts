/**
 * Slot offering (flink-protocol.md §2.1.6, `offerSlotsToJobManager`,
 * `internalOfferSlotsToJobManager`, `handleAcceptedSlotOffers`): every ALLOCATED slot of a job is
 * offered to its connected JobMaster under a new per-job offer id; only the answer to the newest
 * offer counts.
 */
import { hasMutant } from '../mutants.js';
import type { AllocationID, JobID, JobMasterId } from '../../protocol/ids.js';
import type { SlotOffer } from '../../protocol/values.js';
import { freeSlotInternal } from './slots.js';
import { askWith, type TaskExecutorContext } from './taskExecutorContext.js';
import { findJob } from './taskExecutorState.js';
import { generateSlotOffer } from './taskSlot.js';
import { allocatedSlotsOfJob, markSlotActive } from './taskSlotTable.js';

/** `offerSlotsToJobManager` → `internalOfferSlotsToJobManager`: nothing to offer, nothing sent. */
export function offerSlotsToJobManager(te: TaskExecutorContext, jobId: JobID): void {
  const job = findJob(te.state, jobId);
  const connection = job?.connection ?? null;
  if (job === undefined || connection === null) return;
  const slots = allocatedSlotsOfJob(te.state.taskSlotTable, jobId);
  if (slots.length === 0) return;
  const offers = slots.map(generateSlotOffer);
  const offerId = te.state.nextId++;
  job.currentSlotOffer = offerId;
  askWith(
    te,
    connection.target.address,
    {
      type: 'offerSlots',
      fencingToken: connection.target.leaderId,
      resourceId: te.config.resourceId,
      offers,
    },
    {
      kind: 'offer',
      jobId,
      offerId,
      jobMasterId: connection.target.leaderId,
      offered: offers.map((o) => o.allocationId),
    },
  );
  // FLINK-9932 (bug zoo): before 1.5.5/1.6.2 the slots were activated as they were offered, so a
  // timed-out offer found nothing ALLOCATED to offer again.
  if (hasMutant(te.config.mutants, 'FLINK-9932:slotActivatedOnOffer'))
    for (const offer of offers) markSlotActive(te.state.taskSlotTable, offer.allocationId, te.out);
}

/** How an offer ended. */
export type OfferAnswer =
  | { readonly kind: 'accepted'; readonly offers: readonly SlotOffer[] }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * `handleAcceptedSlotOffers`: an answer to an older offer is discarded whatever it says; a
 * timeout re-offers; any other failure frees every offered slot; a success on a connection that
 * still has the same JobMasterId activates the accepted slots (or fails them back to the JM when
 * they are gone or releasing) and frees the rest.
 */
export function onOfferAnswer(
  te: TaskExecutorContext,
  jobId: JobID,
  offerId: number,
  jobMasterId: JobMasterId,
  offered: readonly AllocationID[],
  answer: OfferAnswer,
): void {
  const job = findJob(te.state, jobId);
  if (job === undefined) return;
  // FLINK-21859 (bug zoo): before 1.14.0 there was no offer id, so any answer counted.
  if (
    job.currentSlotOffer !== offerId &&
    !hasMutant(te.config.mutants, 'FLINK-21859:staleOfferAnswerApplied')
  )
    return;
  switch (answer.kind) {
    case 'timeout':
      offerSlotsToJobManager(te, jobId);
      return;
    case 'failed':
      for (const allocationId of offered) freeSlotInternal(te, allocationId, answer.reason);
      return;
    case 'accepted':
      break;
  }
  const connection = job.connection;
  if (connection === null || connection.target.leaderId !== jobMasterId) return;
  const accepted = new Set<string>();
  for (const { allocationId } of answer.offers) {
    accepted.add(allocationId);
    const activated = markSlotActive(te.state.taskSlotTable, allocationId, te.out);
    if (!activated.found || !activated.value) {
      // The slot was freed (e.g. it timed out) or is releasing: tell the JM it cannot have it.
      te.out.tell(connection.target.address, {
        type: 'failSlot',
        fencingToken: connection.target.leaderId,
        resourceId: te.config.resourceId,
        allocationId,
        cause: 'Could not mark slot active.',
      });
    }
  }
  for (const allocationId of offered) {
    if (!accepted.has(allocationId))
      freeSlotInternal(te, allocationId, 'The slot was rejected by the JobManager.');
  }
}
