/**
 * A log template: one log statement of Flink's source, as its SLF4J format string (`{}` for each
 * argument), the class whose logger writes it, the level, the releases that emit it, and the fact
 * the line states. The same format string reads a line (`matchTemplate`) and writes one
 * (`renderTemplate`, for logs made from the simulator's traces), so the two cannot drift apart.
 */
import type { LogFact } from '../logFact.js';
import type { FlinkVersion } from '../versions.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * What an argument is, which says what it may look like: Flink's ids are 32 hex digits; a
 * ResourceID has no spaces; a TaskManagerLocation is `<ResourceID> @ <host> (dataPort=<n>)`; a
 * SlotID is `<ResourceID>_<index>`; an attempt or vertex id is a token without spaces; a state is
 * an upper-case word; anything else is text.
 */
export type ArgKind =
  'hex32' | 'resourceId' | 'token' | 'word' | 'location' | 'slotId' | 'number' | 'text';

const ARG_PATTERN: Record<ArgKind, string> = {
  hex32: '[0-9a-f]{32}',
  resourceId: String.raw`\S+`,
  token: String.raw`\S+`,
  word: '[A-Z_]+',
  location: String.raw`\S+ @ .*?`,
  slotId: String.raw`\S+_\d+`,
  number: String.raw`\d+`,
  text: '.*?',
};

export interface TemplateVariant {
  /** The format string exactly as Flink's source has it. */
  readonly format: string;
  readonly versions: readonly FlinkVersion[];
  /** The class whose logger writes it (simple name); the line's logger must end with it. */
  readonly logger: string;
  /** Where in Flink's source, `Class#method`. */
  readonly source: string;
  /** Where the line's level changed between releases: this variant's (else the template's). */
  readonly level?: LogLevel;
  /**
   * The format string as the source has it, where `format` writes out what the source fills in
   * (a TaskSlot's toString, a configuration key).
   */
  readonly sourceFormat?: string;
}

export interface LogTemplate {
  readonly id: string;
  readonly level: LogLevel;
  /** Names of the arguments, in order, with their kinds. */
  readonly args: readonly (readonly [name: string, kind: ArgKind])[];
  readonly variants: readonly TemplateVariant[];
  /** The fact a matching line states, from its arguments (null: the line states none we follow). */
  readonly fact: (args: Readonly<Record<string, string>>) => LogFact | null;
  /** What the fact observes, for the report of what a log level hides. */
  readonly observes: string;
}

/** The level a variant's line is written at. */
export function variantLevel(template: LogTemplate, variant: TemplateVariant): LogLevel {
  return variant.level ?? template.level;
}

export interface CompiledVariant {
  readonly template: LogTemplate;
  readonly variant: TemplateVariant;
  readonly pattern: RegExp;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileVariant(template: LogTemplate, variant: TemplateVariant): CompiledVariant {
  const parts = variant.format.split('{}');
  if (parts.length - 1 !== template.args.length)
    throw new Error(
      `template ${template.id}: "${variant.format}" has ${parts.length - 1} placeholders for ${template.args.length} arguments`,
    );
  let source = '^' + escape(parts[0] ?? '');
  template.args.forEach(([, kind], i) => {
    const last = i === template.args.length - 1 && (parts[i + 1] ?? '') === '';
    source +=
      `(${kind === 'text' && last ? '.*' : ARG_PATTERN[kind]})` + escape(parts[i + 1] ?? '');
  });
  // Flink's messages sometimes end in a stray space; a line may carry a trailing one too.
  return { template, variant, pattern: new RegExp(source + String.raw`\s*$`) };
}

/** The arguments a line gives the variant, by name, or null when it is not this variant's line. */
export function matchVariant(
  compiled: CompiledVariant,
  message: string,
): Readonly<Record<string, string>> | null {
  const m = compiled.pattern.exec(message);
  if (m === null) return null;
  const args: Record<string, string> = {};
  compiled.template.args.forEach(([name], i) => {
    args[name] = m[i + 1] ?? '';
  });
  return args;
}

/** The line Flink writes for these arguments (SLF4J's substitution, in order). */
export function renderTemplate(
  variant: TemplateVariant,
  values: readonly (string | number)[],
): string {
  const parts = variant.format.split('{}');
  return parts.reduce(
    (out, part, i) => out + (i === 0 ? '' : String(values[i - 1] ?? '{}')) + part,
    '',
  );
}

/**
 * A ResourceID as the lines name it: some write it with its metadata
 * (ResourceID#getStringWithMetadata, `container_…_000002(host:34772)`), others without.
 */
export function plainResourceId(text: string): string {
  return text.replace(/\([^()]*\)$/, '');
}

/** `<ResourceID> @ <host> (dataPort=<n>)` → the ResourceID. */
export function locationResourceId(location: string): string {
  const at = location.indexOf(' @ ');
  return at < 0 ? location : location.slice(0, at);
}

/** `<ResourceID>_<index>` → both parts. */
export function splitSlotId(slotId: string): { resourceId: string; index: number } {
  const at = slotId.lastIndexOf('_');
  return { resourceId: slotId.slice(0, at), index: Number(slotId.slice(at + 1)) };
}
