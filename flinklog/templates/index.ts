/**
 * The catalogue of Flink log templates the converter reads (and the renderer writes), by
 * component. TEMPLATES.md lists them with the releases that emit each.
 */
import { JOB_MASTER_TEMPLATES } from './jobMaster.js';
import { compileVariant, type CompiledVariant, type LogTemplate } from './logTemplate.js';
import { RESOURCE_MANAGER_TEMPLATES } from './resourceManager.js';
import { TASK_EXECUTOR_TEMPLATES } from './taskExecutor.js';

export const TEMPLATES: readonly LogTemplate[] = [
  ...TASK_EXECUTOR_TEMPLATES,
  ...RESOURCE_MANAGER_TEMPLATES,
  ...JOB_MASTER_TEMPLATES,
];

export function templateById(id: string): LogTemplate {
  const template = TEMPLATES.find((t) => t.id === id);
  if (template === undefined) throw new Error(`no log template ${id}`);
  return template;
}

/**
 * A line logged by `ResourceManager` (or `Dispatcher`) is written under the concrete class's
 * logger (StandaloneResourceManager, ActiveResourceManager, StandaloneDispatcher, MiniDispatcher):
 * the catalogue's name matches any class whose name ends in it.
 */
const SUBCLASSED = ['ResourceManager', 'Dispatcher'];

/** The compiled variants a line of this logger class may be, in catalogue order. */
export class TemplateIndex {
  private readonly byLogger = new Map<string, CompiledVariant[]>();

  constructor(templates: readonly LogTemplate[] = TEMPLATES) {
    for (const template of templates)
      for (const variant of template.variants) {
        const list = this.byLogger.get(variant.logger) ?? [];
        list.push(compileVariant(template, variant));
        this.byLogger.set(variant.logger, list);
      }
  }

  candidates(loggerClass: string): readonly CompiledVariant[] {
    const own = this.byLogger.get(loggerClass) ?? [];
    const inherited = SUBCLASSED.filter(
      (c) => c !== loggerClass && loggerClass.endsWith(c),
    ).flatMap((c) => this.byLogger.get(c) ?? []);
    return inherited.length === 0 ? own : [...own, ...inherited];
  }

  /** Whether the catalogue has any template for this logger class. */
  knows(loggerClass: string): boolean {
    return this.candidates(loggerClass).length > 0;
  }
}
