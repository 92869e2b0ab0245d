/**
 * The main job's timeline: what happened to the slots of the cluster, in Flink's words, one line
 * per event: slot state changes at the TaskExecutors (diffed from their slot tables), the protocol
 * messages that move slots and leadership, expired timeouts, and every injected fault.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type { ClusterAction } from '../impl/cluster/flinkCluster.js';
import type { StepRecord } from '../impl/sim/record.js';
import type { Envelope } from '../impl/sim/world.js';
import { taskExecutorSlots, type TaskExecutorSlotView } from '../properties/clusterViews.js';
import type { ClusterProcesses } from '../impl/cluster/clusterProcesses.js';

function at(ms: number): string {
  return `${(ms / 1000).toFixed(3).padStart(9)} s`;
}

/** A delivered protocol message worth a line, or null. */
function describeMessage(envelope: Envelope<ClusterMessage>): string | null {
  if (!('msg' in envelope)) return null;
  const msg = envelope.msg;
  const route = `${envelope.from} → ${envelope.to}`;
  switch (msg.type) {
    case 'grantLeadership':
      return `${envelope.to} becomes leader (${msg.leaderSessionId})`;
    case 'revokeLeadership':
      return `${envelope.to} loses its leadership`;
    case 'requestSlot':
      return `${route}: requestSlot ${msg.slotId.resourceId}#${msg.slotId.slotNumber} for ${msg.jobId} as ${msg.allocationId}`;
    case 'requestSlot.occupied':
      return `${route}: slot occupied by ${msg.allocationId} of ${msg.jobId}`;
    case 'offerSlots':
      return `${route}: offerSlots ${msg.offers.map((o) => o.allocationId).join(', ')}`;
    case 'offerSlots.accepted':
      return `${route}: accepted ${msg.offers.length === 0 ? 'none' : msg.offers.map((o) => o.allocationId).join(', ')}`;
    case 'freeSlot':
      return `${route}: freeSlot ${msg.allocationId} (${msg.cause})`;
    case 'notifySlotAvailable':
      return `${route}: notifySlotAvailable ${msg.slotId.resourceId}#${msg.slotId.slotNumber} (${msg.allocationId})`;
    case 'failSlot':
      return `${route}: failSlot ${msg.allocationId}`;
    case 'freeInactiveSlots':
      return `${route}: freeInactiveSlots of ${msg.jobId}`;
    case 'submitTask':
      return `${route}: submitTask ${msg.tdd.executionAttemptId} into ${msg.tdd.allocationId}`;
    case 'declareRequiredResources':
      return `${route}: declareRequiredResources ${msg.resourceRequirements.jobId} ${msg.resourceRequirements.resourceRequirements.map((r) => `${r.resourceProfile}×${r.numberOfRequiredSlots}`).join(', ') || 'none'}`;
    case 'notifyNotEnoughResourcesAvailable':
      return `${route}: notifyNotEnoughResourcesAvailable`;
    case 'registerTaskExecutor.succeeded':
      return `${route}: TaskExecutor registered as ${msg.instanceId}`;
    case 'registerJobMaster.succeeded':
      return `${route}: JobMaster registered`;
    case 'registerTaskManager.succeeded':
      return `${route}: TaskExecutor registered at the JobMaster`;
    case 'disconnectTaskManager':
    case 'disconnectJobManager':
    case 'disconnectResourceManager':
      return `${route}: ${msg.type} (${msg.cause})`;
    default:
      return null;
  }
}

function slotKey(s: TaskExecutorSlotView): string {
  return `${s.taskExecutor}#${s.index}`;
}

/** Turns step records into timeline lines, remembering the slot tables between steps. */
export class Timeline {
  private slots = new Map<string, TaskExecutorSlotView>();
  /** Events by kind, for the verdict. */
  readonly counts = { allocated: 0, activated: 0, freed: 0 };

  lines(record: StepRecord<ClusterMessage, ClusterAction>, processes: ClusterProcesses): string[] {
    const lines: string[] = [];
    const when = at(record.time);
    const { outcome, step } = record;
    switch (outcome.kind) {
      case 'delivered': {
        const line = describeMessage(outcome.envelope);
        if (line !== null) lines.push(line);
        break;
      }
      case 'dropped':
      case 'duplicated':
      case 'delayed':
        lines.push(`FAULT ${outcome.kind} ${describeEnvelope(outcome.envelope)}`);
        break;
      case 'crashed':
        lines.push(`FAULT ${outcome.endpoint} crashes`);
        break;
      case 'restarted':
        lines.push(`${outcome.endpoint} restarts (incarnation ${outcome.incarnation})`);
        break;
      case 'partitioned':
        lines.push(`FAULT network partition ${outcome.links.join(', ')}`);
        break;
      case 'healed':
        lines.push(`partition healed ${outcome.links.join(', ')}`);
        break;
      case 'askTimedOut':
        lines.push(
          `${outcome.ask.caller}: ${outcome.ask.request.type as string} to ${outcome.ask.callee} timed out`,
        );
        break;
      case 'timerFired':
        if (/timeout/i.test(outcome.timer.name) && !outcome.timer.name.includes('Check'))
          lines.push(`${outcome.timer.endpoint}: ${outcome.timer.name} fired`);
        break;
      case 'clientActed':
        if (step.kind === 'client')
          lines.push(`client at ${step.endpoint}: ${describeAction(step.action)}`);
        break;
      default:
        break;
    }
    if (step.kind === 'reorder' && outcome.kind === 'delivered')
      lines.unshift(
        `FAULT reordered: ${describeEnvelope(outcome.envelope)} overtakes older messages`,
      );
    for (const effect of record.effects)
      if (effect.kind === 'terminated') lines.push(`${effect.endpoint} exits: ${effect.reason}`);
    lines.push(...this.slotChanges(processes));
    return lines.map((line) => `${when}  ${line}`);
  }

  private slotChanges(processes: ClusterProcesses): string[] {
    const now = new Map(taskExecutorSlots(processes).map((s) => [slotKey(s), s]));
    const lines: string[] = [];
    for (const [key, slot] of now) {
      const before = this.slots.get(key);
      if (before?.allocationId === slot.allocationId && before.state === slot.state) continue;
      if (before === undefined || before.allocationId !== slot.allocationId) {
        if (before !== undefined) {
          this.counts.freed += 1;
          lines.push(`slot ${key}: ${before.state} → FREE (${before.allocationId})`);
        }
        this.counts.allocated += 1;
      }
      if (slot.state === 'ACTIVE') this.counts.activated += 1;
      lines.push(
        `slot ${key}: ${before?.allocationId === slot.allocationId ? before.state : 'FREE'} → ${slot.state} for ${slot.jobId} (${slot.allocationId})`,
      );
    }
    for (const [key, before] of this.slots) {
      if (now.has(key)) continue;
      const te = processes.taskExecutors[before.taskExecutor] ?? null;
      if (te === null) {
        lines.push(`slot ${key}: lost with its TaskExecutor (${before.allocationId})`);
      } else {
        this.counts.freed += 1;
        lines.push(`slot ${key}: ${before.state} → FREE (${before.allocationId})`);
      }
    }
    this.slots = now;
    return lines;
  }
}

export function describeEnvelope(envelope: Envelope<ClusterMessage>): string {
  const type = 'msg' in envelope ? envelope.msg.type : 'reply';
  return `${type} ${envelope.from} → ${envelope.to}`;
}

export function describeAction(action: ClusterAction): string {
  if (action.kind === 'job') {
    const a = action.action;
    return a.kind === 'changeParallelism'
      ? `${action.jobId}: change parallelism to ${a.parallelism}`
      : `${action.jobId}: ${a.kind === 'finishJob' ? 'finish' : 'cancel'}`;
  }
  if (action.kind === 'submitJob') return `submit ${action.service}`;
  return `HA: ${action.kind === 'changeLeader' ? 'leader change' : action.kind} of ${action.service}`;
}
