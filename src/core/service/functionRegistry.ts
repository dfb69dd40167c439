// The functions the service can run, by name: loaded from templates or given directly, changed through the Lambda API.
import { loadTemplate } from '../template';
import type { FunctionSpec } from '../template/functionSpec';

export class FunctionRegistry {
  private readonly byName = new Map<string, FunctionSpec>();

  /**
   * What the templates deserve a word about, said once at load by each front end: duplicate keys, code folders that do not
   * exist, properties that are not emulated, values that could not be resolved.
   */
  readonly warnings: readonly string[];

  private constructor(specs: FunctionSpec[], warnings: readonly string[] = []) {
    for (const spec of specs) this.put(spec);
    this.warnings = warnings;
  }

  static fromSpecs(specs: FunctionSpec[], warnings: readonly string[] = []): FunctionRegistry {
    return new FunctionRegistry(specs, warnings);
  }

  /** `projectRoot`: the folder the templates' local paths must stay inside (by default each template's defaultProjectRoot). */
  static async fromTemplates(paths: string[], parameterOverrides?: Record<string, string>, projectRoot?: string): Promise<FunctionRegistry> {
    const models = await Promise.all(paths.map((p) => loadTemplate(p, { parameterOverrides, ...(projectRoot !== undefined ? { projectRoot } : {}) })));
    return new FunctionRegistry(models.flatMap((m) => m.functions), models.flatMap((m) => m.warnings));
  }

  /** By FunctionName or logical id. */
  get(name: string): FunctionSpec | undefined {
    return this.byName.get(name);
  }

  /** Adds a function, or replaces its $LATEST configuration (same FunctionName). */
  put(spec: FunctionSpec): void {
    const previous = this.byName.get(spec.functionName);
    for (const [key, value] of this.byName) if (value === previous) this.byName.set(key, spec);
    this.byName.set(spec.functionName, spec);
    if (!this.byName.has(spec.logicalId)) this.byName.set(spec.logicalId, spec);
  }

  remove(functionName: string): void {
    const spec = this.byName.get(functionName);
    for (const [key, value] of this.byName) if (value === spec) this.byName.delete(key);
  }

  list(): FunctionSpec[] {
    return [...new Set(this.byName.values())];
  }
}
