// The functions the service can run, by name: loaded from templates or given directly.
import { loadTemplate } from '../template';
import type { FunctionSpec } from '../template/functionSpec';

export class FunctionRegistry {
  private readonly byName = new Map<string, FunctionSpec>();

  private constructor(specs: FunctionSpec[]) {
    for (const spec of specs) {
      this.byName.set(spec.functionName, spec);
      if (!this.byName.has(spec.logicalId)) this.byName.set(spec.logicalId, spec);
    }
  }

  static fromSpecs(specs: FunctionSpec[]): FunctionRegistry {
    return new FunctionRegistry(specs);
  }

  static async fromTemplates(paths: string[], parameterOverrides?: Record<string, string>): Promise<FunctionRegistry> {
    const models = await Promise.all(paths.map((p) => loadTemplate(p, { parameterOverrides })));
    return new FunctionRegistry(models.flatMap((m) => m.functions));
  }

  /** By FunctionName or logical id. */
  get(name: string): FunctionSpec | undefined {
    return this.byName.get(name);
  }

  list(): FunctionSpec[] {
    return [...new Set(this.byName.values())];
  }
}
