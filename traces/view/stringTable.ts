/**
 * The view data's string table: each distinct string (a message type, an AllocationID, a label)
 * is embedded once and referred to by its index, so 100 000 `requestSlot` arrows cost one string.
 */
export class StringTable {
  private readonly index = new Map<string, number>();
  readonly strings: string[] = [];

  intern(text: string): number {
    const found = this.index.get(text);
    if (found !== undefined) return found;
    const at = this.strings.length;
    this.strings.push(text);
    this.index.set(text, at);
    return at;
  }
}
