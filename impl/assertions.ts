/**
 * Preconditions and postconditions of the reference implementation, in Flink's terms
 * (`Preconditions.checkState` / `checkArgument`). A failed one is a bug in the model's
 * implementation, never a protocol outcome: it stops the run with the Flink method and the
 * condition in the message.
 */
export function checkState(condition: boolean, where: string, what: string): asserts condition {
  if (!condition) throw new Error(`${where}: checkState failed: ${what}`);
}
