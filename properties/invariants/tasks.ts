/**
 * Always-invariant of task deployment (flink-protocol.md §5.1): a task joins only a slot that is
 * ACTIVE for its job, submitted by the JobMaster leader the job is connected to.
 */
import { findJob } from '../../impl/taskexecutor/taskExecutorState.js';
import { stepInvariant, type StepInvariant } from '../invariant.js';

/** Each running TaskExecutor's session and the tasks it runs, as `<AllocationID>/<task>`. */
type TaskDigest = Record<string, { session: string; tasks: readonly string[] }>;

export const tasksOnlyInActiveSlots: StepInvariant = stepInvariant<TaskDigest>({
  name: 'tasksOnlyInActiveSlots',
  scope: 'taskExecutors',
  kind: 'always',
  guarantee:
    'TaskExecutor#submitTask deploys a task only into a slot ACTIVE for its job, from the JobMasterId the job is connected to',
  before: (state) => {
    const digest: TaskDigest = {};
    for (const [te, process] of Object.entries(state.taskExecutors))
      if (process !== null)
        digest[te] = {
          session: process.sessionId,
          tasks: process.taskSlotTable.slots.flatMap((s) =>
            s.tasks.map((t) => `${s.allocationId}/${t}`),
          ),
        };
    return digest;
  },
  check: (before, record, after) => {
    const problems: string[] = [];
    const delivered =
      record.outcome.kind === 'delivered' && 'msg' in record.outcome.envelope
        ? record.outcome.envelope.msg
        : null;
    for (const [te, process] of Object.entries(after.taskExecutors)) {
      if (process === null) continue;
      const was = before[te];
      const known = was !== undefined && was.session === process.sessionId ? was.tasks : [];
      for (const slot of process.taskSlotTable.slots) {
        for (const task of slot.tasks) {
          if (known.includes(`${slot.allocationId}/${task}`)) continue;
          const where = `${te}#${slot.index}`;
          if (slot.state !== 'ACTIVE')
            problems.push(`task ${task} joined ${where}, which is ${slot.state}`);
          if (delivered?.type !== 'submitTask' || delivered.tdd.executionAttemptId !== task) {
            problems.push(`task ${task} joined ${where} without a submitTask for it`);
            continue;
          }
          if (delivered.tdd.allocationId !== slot.allocationId)
            problems.push(
              `task ${task} for ${delivered.tdd.allocationId} joined ${where}, which is ${slot.allocationId}`,
            );
          if (delivered.tdd.jobId !== slot.jobId)
            problems.push(
              `task ${task} of ${delivered.tdd.jobId} joined ${where}, which is allocated to ${slot.jobId}`,
            );
          const connected = findJob(process, slot.jobId)?.connection?.target.leaderId ?? null;
          if (connected !== delivered.jobMasterId)
            problems.push(
              `task ${task} joined ${where} from JobMaster ${delivered.jobMasterId}, but ${slot.jobId} is connected to ${connected ?? 'no JobMaster'}`,
            );
        }
      }
    }
    return problems;
  },
});
