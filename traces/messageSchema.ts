/**
 * The schema of a message inside a trace line, derived from the protocol catalogue: every gateway
 * message, every reply of every ask, and the leader election and retrieval notifications. A message
 * is looked up by its `type` and must match one of the declarations of that type (six method names
 * exist on two gateways, so a type may have two). Whether the receiver takes that message is
 * checked later, once the trace's cluster is known.
 */
import { z } from 'zod';
import { ALL_SPECS, isAsk } from '../protocol/catalogue.js';
import { LeaderRetrievalMessage } from '../protocol/leaderRetrieval.js';

const byType = new Map<string, z.ZodType[]>();
function declare(type: string, schema: z.ZodType): void {
  const known = byType.get(type) ?? [];
  known.push(schema);
  byType.set(type, known);
}
for (const spec of ALL_SPECS) {
  declare(spec.name, spec.schema);
  if (isAsk(spec))
    for (const [suffix, schema] of Object.entries(spec.replySchemas as Record<string, z.ZodType>))
      declare(`${spec.name}.${suffix}`, schema);
}
for (const option of LeaderRetrievalMessage.options) declare(option.shape.type.value, option);

/** Every message type a trace may carry. */
export const MESSAGE_TYPES: readonly string[] = [...byType.keys()].sort();

export const ProtocolMessageSchema = z.unknown().superRefine((value, ctx) => {
  const type =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)['type']
      : undefined;
  if (typeof type !== 'string') {
    ctx.addIssue({ code: 'custom', message: 'a message needs a string field "type"' });
    return;
  }
  const schemas = byType.get(type);
  if (schemas === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${type.slice(0, 80)}" is no message of the protocol catalogue`,
    });
    return;
  }
  let first: z.core.$ZodIssue | undefined;
  for (const schema of schemas) {
    const parsed = schema.safeParse(value);
    if (parsed.success) return;
    first ??= parsed.error.issues[0];
  }
  if (first !== undefined)
    ctx.addIssue({
      code: 'custom',
      message: `${type}: ${first.path.length > 0 ? `${first.path.join('.')}: ` : ''}${first.message}`,
    });
});
