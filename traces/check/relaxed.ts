/**
 * What a partial trace lets the checker judge. The machines of an observed component need every
 * event it took part in, which its own view has; a JobMaster's also need its observed state. An
 * invariant over TaskExecutors, JobMasters or the ResourceManager holds for each instance on its
 * own, so it is judged on the observed instances; one over the whole cluster is not judged.
 */
import type { ClusterRouting, ClusterTopology } from '../../impl/cluster/clusterProcesses.js';
import { RM_ENDPOINT, jobMasterEndpoint } from '../../impl/cluster/clusterProcesses.js';
import type { EndpointId } from '../../impl/sim/world.js';
import type { InvariantScope } from '../../properties/invariant.js';
import { ALL_INVARIANTS } from '../../properties/invariants/index.js';

export function scopeCheckable(
  scope: InvariantScope,
  keep: ReadonlySet<EndpointId>,
  routing: ClusterRouting,
): boolean {
  const kept = [...keep];
  switch (scope) {
    case 'taskExecutors':
      return kept.some((e) => routing.isTaskExecutor(e));
    case 'jobMasters':
      return kept.some((e) => routing.isJobMaster(e));
    case 'resourceManager':
      return keep.has(RM_ENDPOINT);
    case 'receiver':
      return kept.some((e) => routing.isReal(e));
    case 'cluster':
      return false;
  }
}

/** The sentences a relaxed check prints under "not checked". */
export function uncheckedInRelaxedMode(
  keep: ReadonlySet<EndpointId>,
  routing: ClusterRouting,
  monitored: ClusterTopology,
): string[] {
  const notes: string[] = [];
  const unobserved = routing.endpoints.filter((e) => !keep.has(e));
  if (unobserved.length > 0) notes.push(`the machines of ${unobserved.join(', ')}: not observed`);
  for (const c of routing.topology.jobMasters) {
    const endpoint = jobMasterEndpoint(c.jobId);
    if (keep.has(endpoint) && !monitored.jobMasters.includes(c))
      notes.push(
        `the machines of ${endpoint}: the trace carries no state of it (its slot pool's reservations are read from it)`,
      );
  }
  const skipped = ALL_INVARIANTS.filter(
    (inv) => inv.kind === 'eventually' || !scopeCheckable(inv.scope, keep, routing),
  );
  if (skipped.length > 0)
    notes.push(
      `the invariants ${skipped.map((i) => i.name).join(', ')}: they read components (or the whole cluster at rest) the trace did not observe`,
    );
  notes.push(
    'that every message was sent before it arrived, for messages from components the trace did not observe',
  );
  return notes;
}
