/**
 * What one job requires and what it has acquired, at the ResourceManager (Flink's
 * `JobScopedResourceTracker` with its `BiDirectionalResourceToRequirementMapping`): acquired
 * resources count towards a matching requirement, never beyond it; the rest is excess, and excess
 * is re-assigned when requirements grow or a counted resource is lost.
 */
import type { ResourceProfile, ResourceRequirement } from '../../../protocol/values.js';
import { checkState } from '../../assertions.js';
import { add, countOf, isEmpty, type ResourceCounter } from '../../resources/resourceCounter.js';
import { matchRequirement } from '../../resources/requirementMatcher.js';

export interface JobScopedResourceTracker {
  /** The latest declaration, per requirement profile. */
  requirements: ResourceCounter;
  /** requirement profile → (acquired resource profile → count) counted towards it. */
  fulfilling: Record<ResourceProfile, ResourceCounter>;
  /** Acquired resources that count towards no requirement. */
  excess: ResourceCounter;
}

export function createJobScopedResourceTracker(): JobScopedResourceTracker {
  return { requirements: {}, fulfilling: {}, excess: {} };
}

function numFulfilling(tracker: JobScopedResourceTracker, requirement: ResourceProfile): number {
  const resources = tracker.fulfilling[requirement];
  return resources === undefined ? 0 : Object.values(resources).reduce((sum, n) => sum + n, 0);
}

function increment(
  tracker: JobScopedResourceTracker,
  requirement: ResourceProfile,
  resource: ResourceProfile,
  n: number,
): void {
  const resources = (tracker.fulfilling[requirement] ??= {});
  add(resources, resource, n);
  if (isEmpty(resources)) delete tracker.fulfilling[requirement];
}

function findMatchingRequirement(
  tracker: JobScopedResourceTracker,
  resource: ResourceProfile,
): ResourceProfile | undefined {
  return matchRequirement(resource, tracker.requirements, (r) => numFulfilling(tracker, r));
}

/** `notifyResourceRequirements`: the declaration replaces the previous one. */
export function notifyResourceRequirements(
  tracker: JobScopedResourceTracker,
  requirements: readonly ResourceRequirement[],
): void {
  tracker.requirements = {};
  for (const r of requirements)
    if (r.numberOfRequiredSlots > 0)
      add(tracker.requirements, r.resourceProfile, r.numberOfRequiredSlots);
  findExcessSlots(tracker);
  tryAssigningExcessSlots(tracker);
}

/** `notifyAcquiredResource`: counted towards a matching requirement, or as excess. */
export function notifyAcquiredResource(
  tracker: JobScopedResourceTracker,
  resource: ResourceProfile,
): void {
  const requirement = findMatchingRequirement(tracker, resource);
  if (requirement !== undefined) increment(tracker, requirement, resource, 1);
  else add(tracker.excess, resource, 1);
}

/**
 * `notifyLostResource`: excess goes first; otherwise the requirement it counted towards loses it
 * and excess is re-assigned. Losing a resource never acquired is a bug (IllegalStateException).
 */
export function notifyLostResource(
  tracker: JobScopedResourceTracker,
  resource: ResourceProfile,
): void {
  if (countOf(tracker.excess, resource) > 0) {
    add(tracker.excess, resource, -1);
    return;
  }
  const requirement = Object.keys(tracker.fulfilling).find(
    (r) => countOf(tracker.fulfilling[r] ?? {}, resource) > 0,
  );
  checkState(
    requirement !== undefined,
    'JobScopedResourceTracker#notifyLostResource',
    `a lost ${resource} resource was tracked`,
  );
  increment(tracker, requirement, resource, -1);
  tryAssigningExcessSlots(tracker);
}

/** `getMissingResources`: per requirement profile, required − counted towards it. */
export function getMissingResources(tracker: JobScopedResourceTracker): ResourceRequirement[] {
  return Object.entries(tracker.requirements)
    .map(([resourceProfile, required]) => ({
      resourceProfile,
      numberOfRequiredSlots: required - numFulfilling(tracker, resourceProfile),
    }))
    .filter((r) => r.numberOfRequiredSlots > 0);
}

/** `getAcquiredResources`: per acquired resource profile, counted plus excess. */
export function getAcquiredResources(tracker: JobScopedResourceTracker): ResourceRequirement[] {
  const acquired: ResourceCounter = {};
  for (const resources of Object.values(tracker.fulfilling))
    for (const [p, n] of Object.entries(resources)) add(acquired, p, n);
  for (const [p, n] of Object.entries(tracker.excess)) add(acquired, p, n);
  return Object.entries(acquired).map(([resourceProfile, numberOfRequiredSlots]) => ({
    resourceProfile,
    numberOfRequiredSlots,
  }));
}

export function isTrackerEmpty(tracker: JobScopedResourceTracker): boolean {
  return isEmpty(tracker.requirements) && isEmpty(tracker.excess);
}

/** `findExcessSlots`: resources counted beyond a lowered requirement become excess. */
function findExcessSlots(tracker: JobScopedResourceTracker): void {
  for (const requirement of Object.keys(tracker.fulfilling)) {
    let surplus = numFulfilling(tracker, requirement) - countOf(tracker.requirements, requirement);
    for (const [resource, n] of Object.entries(tracker.fulfilling[requirement] ?? {})) {
      if (surplus <= 0) break;
      const moved = Math.min(n, surplus);
      increment(tracker, requirement, resource, -moved);
      add(tracker.excess, resource, moved);
      surplus -= moved;
    }
  }
}

/** `tryAssigningExcessSlots`: excess resources count towards requirements with room. */
function tryAssigningExcessSlots(tracker: JobScopedResourceTracker): void {
  const assigned: ResourceCounter = {};
  for (const [resource, n] of Object.entries(tracker.excess)) {
    for (let i = 0; i < n; i++) {
      const requirement = findMatchingRequirement(tracker, resource);
      if (requirement === undefined) break;
      increment(tracker, requirement, resource, 1);
      add(assigned, resource, 1);
    }
  }
  for (const [resource, n] of Object.entries(assigned)) add(tracker.excess, resource, -n);
}
