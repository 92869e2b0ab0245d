// Stories of the JobMaster's connection to the ResourceManager in a whole simulated cluster
// (flink-protocol.md §2.5.2, §2.4, §4.5): leader changes, registrations declined, timed out or
// failed, answers to superseded attempts, disconnects from either side, lost heartbeats. Faults are
// injected as steps (crash, partition, drop); the JobMaster's monitor checks every step.
import { describe, expect, it } from 'vitest';
import { stateName } from '../machineStepper.js';
import {
  announceJobLeader,
  cluster,
  heal,
  JM,
  partition,
  partitionBoth,
  queueResourceManagerLeader,
  RM,
  rmConnection,
  waitingToRetry,
} from './jobMasterCluster.js';

const connection = (s: ReturnType<typeof cluster>) => stateName(rmConnection(s).snapshot);

describe('JobMaster ↔ ResourceManager (§2.5.2)', () => {
  it('§4.5: a new RM leader: the old one hears disconnectJobManager, the new one gets the registration and the requirements', () => {
    const s = cluster();
    s.announceResourceManager(RM, 'rm-leader-2');
    expect(connection(s)).toBe('connected');
    expect(s.jmLeader().establishedResourceManagerConnection?.target.resourceManagerId).toBe(
      'rm-leader-2',
    );
    s.advance(1_000);
    expect(s.rmLeader().jobManagerRegistrations.map((r) => r.jobMasterId)).toEqual(['jm-leader-1']);
  });

  it('no RM leader: the JobMaster closes its connection and waits; a leader again: it registers', () => {
    const s = cluster();
    s.announceResourceManager(null, null);
    expect(connection(s)).toBe('noResourceManager');
    s.announceResourceManager(RM, 'rm-leader-2');
    expect(connection(s)).toBe('connected');
  });

  it('a JobMaster stopped before any RM was known, or while registering, closes its connection', () => {
    const noRm = cluster({ withResourceManager: false });
    expect(connection(noRm)).toBe('noResourceManager');
    announceJobLeader(noRm, null);
    expect(connection(noRm)).toBe('closed');
    const registering = cluster({ withResourceManager: false });
    partition(registering, JM, RM);
    registering.announceResourceManager();
    expect(connection(registering)).toBe('registering');
    announceJobLeader(registering, null);
    expect(connection(registering)).toBe('closed');
  });

  it('a crashed RM: its heartbeat times out, registrations fail until a restarted RM leads', () => {
    const s = cluster();
    s.take({ kind: 'crash', endpoint: RM });
    s.advance(50_000);
    expect(connection(s)).toBe('registering');
    expect(waitingToRetry(s)).toBe(true); // the attempt found the RM unreachable
    s.advance(10_000); // the error delay: another attempt, another failure
    expect(waitingToRetry(s)).toBe(true);
    s.take({ kind: 'restart', endpoint: RM });
    s.announceResourceManager(RM, 'rm-leader-2');
    expect(connection(s)).toBe('connected');
  });

  it("the RM still names the job's old leader: the registration is declined and retried after the refused-registration delay", () => {
    const s = cluster();
    partition(s, 'ha', RM); // the RM does not hear of the new job leader yet
    announceJobLeader(s, 'jm-leader-2');
    expect(connection(s)).toBe('registering');
    expect(waitingToRetry(s)).toBe(true);
    heal(s, 'ha', RM);
    s.advance(30_000);
    expect(connection(s)).toBe('connected');
  });

  it('attempts held by a partition time out and are repeated at once; the attempt of a superseded notification is ignored', () => {
    const s = cluster({ withResourceManager: false });
    partition(s, JM, RM);
    queueResourceManagerLeader(s, 'rm-leader-1');
    queueResourceManagerLeader(s, 'rm-leader-1');
    s.settle();
    expect(connection(s)).toBe('registering');
    s.advance(100); // both attempts time out; only the second one's loop goes on
    expect(s.jm().leader?.resourceManagerConnection?.registration.timeoutMs).toBe(200);
    heal(s, JM, RM);
    s.advance(1_000);
    expect(connection(s)).toBe('connected');
  });

  it('answers to the attempt of a superseded notification are ignored: success from the same leader, failure from an old one', () => {
    const same = cluster({ withResourceManager: false });
    queueResourceManagerLeader(same, 'rm-leader-1');
    queueResourceManagerLeader(same, 'rm-leader-1');
    same.settle();
    expect(connection(same)).toBe('connected');
    const changed = cluster({ withResourceManager: false });
    queueResourceManagerLeader(changed, 'rm-leader-1');
    queueResourceManagerLeader(changed, 'rm-leader-2');
    changed.settle();
    expect(connection(changed)).toBe('connected');
    expect(changed.jmLeader().establishedResourceManagerConnection?.target.resourceManagerId).toBe(
      'rm-leader-2',
    );
  });

  it('a decline that arrives after the JobMaster registered again is ignored', () => {
    const s = cluster();
    partition(s, 'ha', RM);
    partition(s, RM, JM); // the decline is held
    announceJobLeader(s, 'jm-leader-2'); // registers; declined (the decline is held)
    s.announceResourceManager(); // the JobMaster registers again; declined again (held)
    heal(s, RM, JM); // the first decline is outdated, the second one counts
    expect(connection(s)).toBe('registering');
    expect(waitingToRetry(s)).toBe(true);
    heal(s, 'ha', RM);
    s.advance(30_000);
    expect(connection(s)).toBe('connected');
  });

  it('the RM loses the JobMaster heartbeat and disconnects it: the JobMaster registers again', () => {
    const s = cluster();
    partition(s, JM, RM);
    s.advance(50_000);
    expect(connection(s)).toBe('registering');
    heal(s, JM, RM);
    s.advance(1_000);
    expect(connection(s)).toBe('connected');
  });

  it('a disconnect from an RM the JobMaster no longer follows is ignored', () => {
    const s = cluster();
    partitionBoth(s, JM, RM);
    s.advance(60_000); // both sides lose each other's heartbeat
    expect(connection(s)).toBe('registering');
    s.announceResourceManager(null, null);
    heal(s, JM, RM); // the RM's disconnect arrives now
    expect(connection(s)).toBe('noResourceManager');
    s.announceResourceManager(RM, 'rm-leader-2');
    expect(connection(s)).toBe('connected');
  });

  it('heartbeat answers that find the RM gone: two unreachable answers make the JobMaster reconnect', () => {
    const s = cluster();
    partition(s, RM, JM); // the RM's heartbeat requests are held
    s.advance(30_000);
    s.take({ kind: 'crash', endpoint: RM });
    heal(s, RM, JM); // the JobMaster answers each held request; each answer finds the RM down
    expect(connection(s)).toBe('registering');
  });
});
