/**
 * The identifiers of Flink's slot protocol (flink-protocol.md §1.2), as branded types so that an
 * AllocationID can never be passed where a JobID is expected.
 *
 * Every id schema carries `idKind` metadata (set before `.brand()`: zod's `.meta()` would drop the
 * brand from the static type if called after it). The catalogue derives the list of ids a message
 * carries from its schema through that metadata, so the list is never written twice.
 *
 * Simplification: Flink's ids are random UUIDs (or AbstractIDs). Ours are readable strings minted
 * by counters in the simulator (`alloc-3`), which keeps runs deterministic and traces legible.
 * Uniqueness is what the protocol relies on, and counters give it.
 */
import { z } from 'zod';

/** The kinds of id the protocol carries. */
export const ID_KINDS = [
  'ResourceID',
  'InstanceID',
  'SlotID',
  'AllocationID',
  'JobID',
  'JobMasterId',
  'ResourceManagerId',
  'TaskManagerSessionId',
  'ExecutionAttemptID',
] as const;
export type IdKind = (typeof ID_KINDS)[number];

export interface IdMeta {
  readonly idKind: IdKind;
  readonly doc: string;
}

function stringId<K extends IdKind>(idKind: K, doc: string) {
  return z.string().min(1).meta({ idKind, doc }).brand<K>();
}

export const ResourceID = stringId(
  'ResourceID',
  'Process identity of a TaskExecutor, JobMaster or ResourceManager (survives a TaskExecutor restart).',
);
export type ResourceID = z.infer<typeof ResourceID>;

export const InstanceID = stringId(
  'InstanceID',
  'One TaskExecutor-to-ResourceManager registration; fresh for every successful registration.',
);
export type InstanceID = z.infer<typeof InstanceID>;

export const AllocationID = stringId(
  'AllocationID',
  'One slot lease (slot to job); minted by the SlotManager per allocation attempt.',
);
export type AllocationID = z.infer<typeof AllocationID>;

export const JobID = stringId('JobID', 'The job, chosen by the client.');
export type JobID = z.infer<typeof JobID>;

export const JobMasterId = stringId(
  'JobMasterId',
  'One JobMaster leadership session; the fencing token of the JobMaster endpoint.',
);
export type JobMasterId = z.infer<typeof JobMasterId>;

export const ResourceManagerId = stringId(
  'ResourceManagerId',
  'One ResourceManager leadership session; the fencing token of the ResourceManager endpoint.',
);
export type ResourceManagerId = z.infer<typeof ResourceManagerId>;

export const TaskManagerSessionId = stringId(
  'TaskManagerSessionId',
  'One TaskExecutor process incarnation; lets the JobMaster tell a duplicate registration from a restart.',
);
export type TaskManagerSessionId = z.infer<typeof TaskManagerSessionId>;

export const ExecutionAttemptID = stringId(
  'ExecutionAttemptID',
  'One attempt to run one task; carried by task deployment.',
);
export type ExecutionAttemptID = z.infer<typeof ExecutionAttemptID>;

/**
 * A physical slot index on a TaskExecutor. `slotNumber` is -1 for the dynamic slot id the
 * FineGrainedSlotManager sends (flink-protocol.md §0.1); the DeclarativeSlotManager always
 * names a static index.
 */
export const SlotID = z
  .strictObject({ resourceId: ResourceID, slotNumber: z.number().int().min(-1) })
  .meta({
    idKind: 'SlotID',
    doc: 'A physical slot index on a TaskExecutor: (ResourceID, slot number).',
  })
  .brand<'SlotID'>();
export type SlotID = z.infer<typeof SlotID>;

/** The schema of each id kind, for tools that list or document them. */
export const ID_SCHEMAS: Readonly<Record<IdKind, z.ZodType>> = {
  ResourceID,
  InstanceID,
  SlotID,
  AllocationID,
  JobID,
  JobMasterId,
  ResourceManagerId,
  TaskManagerSessionId,
  ExecutionAttemptID,
};

/** The id metadata of a schema, if it is an id schema. */
export function idMetaOf(schema: z.ZodType): IdMeta | undefined {
  const meta = z.globalRegistry.get(schema);
  if (meta === undefined || typeof meta['idKind'] !== 'string') return undefined;
  return meta as unknown as IdMeta;
}
