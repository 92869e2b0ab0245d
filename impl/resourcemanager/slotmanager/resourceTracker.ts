/**
 * Requirements and acquired resources of every job at the ResourceManager (Flink's
 * `DefaultResourceTracker`): one job-scoped tracker per job, dropped when it has neither
 * requirements nor excess. Jobs are kept in the order they first appeared, so the slot manager
 * serves them in a deterministic order (Flink iterates a hash map).
 */
import type { JobID } from '../../../protocol/ids.js';
import type { ResourceProfile, ResourceRequirement } from '../../../protocol/values.js';
import {
  createJobScopedResourceTracker,
  getAcquiredResources as acquiredOf,
  getMissingResources as missingOf,
  isTrackerEmpty,
  notifyAcquiredResource as acquire,
  notifyLostResource as lose,
  notifyResourceRequirements as require,
  type JobScopedResourceTracker,
} from './jobScopedResourceTracker.js';

export type ResourceTracker = Record<JobID, JobScopedResourceTracker>;

function trackerOf(tracker: ResourceTracker, jobId: JobID): JobScopedResourceTracker {
  return (tracker[jobId] ??= createJobScopedResourceTracker());
}

function dropIfEmpty(tracker: ResourceTracker, jobId: JobID): void {
  const job = tracker[jobId];
  if (job !== undefined && isTrackerEmpty(job)) delete tracker[jobId];
}

export function notifyResourceRequirements(
  tracker: ResourceTracker,
  jobId: JobID,
  requirements: readonly ResourceRequirement[],
): void {
  require(trackerOf(tracker, jobId), requirements);
  if (requirements.length === 0) dropIfEmpty(tracker, jobId);
}

export function notifyAcquiredResource(
  tracker: ResourceTracker,
  jobId: JobID,
  profile: ResourceProfile,
): void {
  acquire(trackerOf(tracker, jobId), profile);
}

/** A lost resource of a job that is not tracked is only logged in Flink. */
export function notifyLostResource(
  tracker: ResourceTracker,
  jobId: JobID,
  profile: ResourceProfile,
): void {
  const job = tracker[jobId];
  if (job === undefined) return;
  lose(job, profile);
  dropIfEmpty(tracker, jobId);
}

/** Jobs with missing resources, in the order the jobs were first tracked. */
export function getMissingResources(
  tracker: ResourceTracker,
): { jobId: JobID; missing: ResourceRequirement[] }[] {
  return Object.entries(tracker)
    .map(([jobId, job]) => ({ jobId: jobId as JobID, missing: missingOf(job) }))
    .filter((j) => j.missing.length > 0);
}

export function getAcquiredResources(
  tracker: ResourceTracker,
  jobId: JobID,
): ResourceRequirement[] {
  const job = tracker[jobId];
  return job === undefined ? [] : acquiredOf(job);
}

export function isRequirementEmpty(tracker: ResourceTracker, jobId: JobID): boolean {
  const job = tracker[jobId];
  return job === undefined || Object.keys(job.requirements).length === 0;
}
