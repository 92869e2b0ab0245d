/**
 * A component's view of a full trace: only the steps that reached or were taken by the chosen
 * endpoints (a message delivered to one, its timers, its crash and restart, a client acting on
 * it), with only their own effects and states. This is what a log of those components shows, and
 * what `check --only` checks in relaxed mode; the sample partial traces are made with it.
 */
import type { EndpointId } from '../../impl/sim/world.js';
import type { StartLine, StepLine, TraceHeader } from '../format.js';

/** The endpoint a step happens at, if it happens at one. */
export function stepEndpoint(line: StepLine): EndpointId | null {
  const { step, outcome } = line;
  switch (outcome.kind) {
    case 'delivered':
    case 'discarded':
    case 'lateReply':
      return outcome.envelope.to;
    case 'timerFired':
      return outcome.timer.endpoint;
    case 'askTimedOut':
      return outcome.ask.caller;
    case 'crashed':
    case 'restarted':
    case 'clientActed':
      return outcome.endpoint;
    case 'dropped':
    case 'duplicated':
    case 'delayed':
    case 'partitioned':
    case 'healed':
      return step.kind === 'client' ? step.endpoint : null;
  }
}

type Effect = StepLine['effects'][number];

function effectEndpoint(effect: Effect): EndpointId {
  return effect.kind === 'sent' ? effect.envelope.from : effect.endpoint;
}

function ownStates(states: StepLine['states'], keep: ReadonlySet<EndpointId>): StepLine['states'] {
  if (states === undefined) return undefined;
  const own = Object.entries(states).filter(([endpoint]) => keep.has(endpoint));
  return own.length === 0 ? undefined : Object.fromEntries(own);
}

export function projectHeader(header: TraceHeader, keep: readonly EndpointId[]): TraceHeader {
  return { ...header, observed: [...keep] };
}

export function projectStart(line: StartLine, keep: ReadonlySet<EndpointId>): StartLine {
  const states = ownStates(line.states, keep);
  return {
    kind: 'start',
    effects: line.effects.filter((e) => keep.has(effectEndpoint(e))),
    ...(states === undefined ? {} : { states }),
  };
}

/** The step as the kept endpoints saw it, or null when none of them took part. */
export function projectStep(line: StepLine, keep: ReadonlySet<EndpointId>): StepLine | null {
  const at = stepEndpoint(line);
  const effects = line.effects.filter((e) => keep.has(effectEndpoint(e)));
  if ((at === null || !keep.has(at)) && effects.length === 0) return null;
  const states = ownStates(line.states, keep);
  return { ...line, effects, ...(states === undefined ? { states: undefined } : { states }) };
}
