// Ports of Flink's JobScopedResourceTrackerTest and ResourceProfile matching (flink-protocol.md §1.4,
// §6.4) onto the model's tracker.
import { describe, expect, it } from 'vitest';
import {
  createJobScopedResourceTracker,
  getAcquiredResources,
  getMissingResources,
  isTrackerEmpty,
  notifyAcquiredResource,
  notifyLostResource,
  notifyResourceRequirements,
} from './jobScopedResourceTracker.js';
import { isMatching, matchRequirement } from '../../resources/requirementMatcher.js';

const need = (resourceProfile: string, numberOfRequiredSlots: number) => ({
  resourceProfile,
  numberOfRequiredSlots,
});

describe('ResourceProfile#isMatching and DefaultRequirementMatcher', () => {
  it('ANY serves everything, a concrete profile serves itself and UNKNOWN, UNKNOWN only itself', () => {
    expect(isMatching('ANY', 'big')).toBe(true);
    expect(isMatching('default', 'default')).toBe(true);
    expect(isMatching('default', 'UNKNOWN')).toBe(true);
    expect(isMatching('default', 'big')).toBe(false);
    expect(isMatching('UNKNOWN', 'default')).toBe(false);
    expect(isMatching('UNKNOWN', 'UNKNOWN')).toBe(true);
  });

  it('prefers an exactly equal requirement with room, then the first matching one with room', () => {
    const requirements = { UNKNOWN: 1, default: 1 };
    expect(matchRequirement('default', requirements, () => 0)).toBe('default');
    expect(matchRequirement('default', requirements, (r) => (r === 'default' ? 1 : 0))).toBe(
      'UNKNOWN',
    );
    expect(matchRequirement('default', requirements, () => 1)).toBeUndefined();
  });
});

describe('JobScopedResourceTrackerTest', () => {
  it('testInitialBehavior: nothing required, nothing acquired', () => {
    const t = createJobScopedResourceTracker();
    expect(isTrackerEmpty(t)).toBe(true);
    expect(getMissingResources(t)).toEqual([]);
    expect(getAcquiredResources(t)).toEqual([]);
  });

  it('testLossOfUntrackedResourceThrowsException', () => {
    const t = createJobScopedResourceTracker();
    expect(() => notifyLostResource(t, 'default')).toThrow(
      /JobScopedResourceTracker#notifyLostResource: checkState failed/,
    );
  });

  it('testMissingResourcesAreComputedFromRequirementsAndAcquiredResources', () => {
    const t = createJobScopedResourceTracker();
    notifyResourceRequirements(t, [need('UNKNOWN', 3)]);
    notifyAcquiredResource(t, 'default');
    expect(getMissingResources(t)).toEqual([need('UNKNOWN', 2)]);
    expect(getAcquiredResources(t)).toEqual([need('default', 1)]);
  });

  it('testRequirementReductionRetainsExceedingResources: acquired resources beyond the new requirement become excess', () => {
    const t = createJobScopedResourceTracker();
    notifyResourceRequirements(t, [need('UNKNOWN', 2)]);
    notifyAcquiredResource(t, 'default');
    notifyAcquiredResource(t, 'default');
    notifyResourceRequirements(t, [need('UNKNOWN', 1)]);
    expect(t.excess).toEqual({ default: 1 });
    expect(getMissingResources(t)).toEqual([]);
    expect(getAcquiredResources(t)).toEqual([need('default', 2)]);
    notifyResourceRequirements(t, []);
    expect(t.excess).toEqual({ default: 2 });
    expect(isTrackerEmpty(t)).toBe(false);
  });

  it('testExcessResourcesAreAssignedOnRequirementIncrease', () => {
    const t = createJobScopedResourceTracker();
    notifyAcquiredResource(t, 'default');
    expect(t.excess).toEqual({ default: 1 });
    notifyResourceRequirements(t, [need('UNKNOWN', 1)]);
    expect(t.excess).toEqual({});
    expect(getMissingResources(t)).toEqual([]);
  });

  it('testExcessResourcesAreAssignedOnResourceLoss', () => {
    const t = createJobScopedResourceTracker();
    notifyResourceRequirements(t, [need('UNKNOWN', 1)]);
    notifyAcquiredResource(t, 'default');
    notifyAcquiredResource(t, 'default');
    expect(t.excess).toEqual({ default: 1 });
    notifyLostResource(t, 'default'); // the excess one goes first
    expect(t.excess).toEqual({});
    expect(getMissingResources(t)).toEqual([]);
    notifyLostResource(t, 'default');
    expect(getMissingResources(t)).toEqual([need('UNKNOWN', 1)]);
    expect(isTrackerEmpty(t)).toBe(false);
  });

  it('a resource that matches no requirement is excess even when other requirements are missing', () => {
    const t = createJobScopedResourceTracker();
    notifyResourceRequirements(t, [need('big', 1)]);
    notifyAcquiredResource(t, 'default');
    expect(t.excess).toEqual({ default: 1 });
    expect(getMissingResources(t)).toEqual([need('big', 1)]);
  });
});
