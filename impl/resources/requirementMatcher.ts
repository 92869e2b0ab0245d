/**
 * Matching resources to requirements (flink-protocol.md §1.4): `ResourceProfile#isMatching` and
 * `DefaultRequirementMatcher#match`.
 */
import { ANY_PROFILE, UNKNOWN_PROFILE, type ResourceProfile } from '../../protocol/values.js';
import { countOf, type ResourceCounter } from './resourceCounter.js';

/**
 * `ResourceProfile#isMatching(required)`: a resource of profile `resource` can serve `required`.
 * ANY serves everything; equal profiles match; an UNKNOWN resource serves nothing else; any
 * concrete resource serves an UNKNOWN requirement.
 */
export function isMatching(resource: ResourceProfile, required: ResourceProfile): boolean {
  if (resource === ANY_PROFILE || resource === required) return true;
  if (resource === UNKNOWN_PROFILE) return false;
  return required === UNKNOWN_PROFILE;
}

/**
 * `DefaultRequirementMatcher#match`: the requirement a resource of this profile should count
 * towards: an exactly equal requirement with room first, else the first matching one with room.
 */
export function matchRequirement(
  resource: ResourceProfile,
  requirements: ResourceCounter,
  assigned: (requirement: ResourceProfile) => number,
): ResourceProfile | undefined {
  if (countOf(requirements, resource) > assigned(resource)) return resource;
  for (const [requirement, required] of Object.entries(requirements)) {
    if (isMatching(resource, requirement) && required > assigned(requirement)) return requirement;
  }
  return undefined;
}
