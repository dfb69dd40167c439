// What the gateway's template readers share: the document, the intrinsic resolver, the functions, and file:line errors.
import { WorkbenchError, type SourceLocation } from '../common/errors';
import { findUnresolved, intrinsicName, type IntrinsicResolver } from '../template/intrinsicResolver';
import type { FunctionSpec } from '../template/functionSpec';
import { isRecord, type TemplateDocument, type TemplatePath } from '../template/templateDocument';

/** The function a route or authorizer invokes. */
export interface FunctionTarget {
  functionName: string;
  functionId: string;
}

export class GatewayReadContext {
  constructor(
    readonly doc: TemplateDocument,
    /** The folder files the template names (DefinitionUri) must stay inside. */
    readonly projectRoot: string,
    readonly resolver: IntrinsicResolver,
    private readonly functions: (name: string) => FunctionSpec | undefined,
    readonly warnings: string[],
  ) {}

  locate(path: TemplatePath): SourceLocation {
    for (let length = path.length; length > 0; length--) {
      const found = this.doc.locate(path.slice(0, length));
      if (found) return found;
    }
    return { file: this.doc.path };
  }

  fail(path: TemplatePath, message: string, hint?: string): never {
    throw new WorkbenchError('TEMPLATE_INVALID', message, { location: this.locate(path), ...(hint ? { hint } : {}) });
  }

  /** A resolved value with no unresolved part, else undefined (with a warning naming `label`). */
  value(raw: unknown, label: string): unknown {
    if (raw === undefined) return undefined;
    const resolved = this.resolver.resolve(raw);
    const unresolved = findUnresolved(resolved);
    if (!unresolved) return resolved;
    this.warnings.push(`${label} is ignored: ${unresolved.reason}.`);
    return undefined;
  }

  text(raw: unknown, label: string): string | undefined {
    const value = this.value(raw, label);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  }

  textList(raw: unknown, label: string): string[] {
    const value = this.value(raw, label);
    if (value === undefined || value === null) return [];
    return (Array.isArray(value) ? value : [value]).filter((item) => ['string', 'number', 'boolean'].includes(typeof item)).map(String);
  }

  /** The logical id a `Ref: X` (or `!GetAtt X.attr`) names, or the resolved text. */
  referencedId(raw: unknown): string | undefined {
    if (isRecord(raw) && intrinsicName(raw) === 'Ref' && typeof raw.Ref === 'string') return raw.Ref;
    if (isRecord(raw) && intrinsicName(raw) === 'Fn::GetAtt') {
      const args = raw['Fn::GetAtt'];
      const id = Array.isArray(args) ? args[0] : typeof args === 'string' ? args.split('.')[0] : undefined;
      if (typeof id === 'string') return id;
    }
    const value = this.resolver.resolve(raw);
    return typeof value === 'string' ? value : undefined;
  }

  /** A SAM event's function: SAM points the integration at the AutoPublishAlias when there is one. */
  eventFunction(spec: FunctionSpec): FunctionTarget {
    return { functionName: spec.autoPublishAlias ? `${spec.functionName}:${spec.autoPublishAlias}` : spec.functionName, functionId: spec.logicalId };
  }

  /**
   * The local function an integration URI, a function ARN or a name points at. A reference to a function that is not
   * in the template is a load error at `path`.
   */
  functionTarget(raw: unknown, path: TemplatePath, what: string): FunctionTarget {
    const resolved = this.resolver.resolve(raw);
    const unresolved = findUnresolved(resolved);
    if (unresolved || typeof resolved !== 'string') {
      return this.fail(path, `${what} does not point at a function of this template: ${unresolved?.reason ?? `got ${JSON.stringify(resolved)}`}.`,
        'Point it at a function of the template, e.g. !GetAtt MyFunction.Arn.');
    }
    // arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS]/invocations
    const arn = /function:([^:/]+)(?::([^/]+))?/.exec(resolved);
    const name = arn ? arn[1] : resolved;
    const spec = this.functions(name);
    if (!spec) {
      return this.fail(path, `${what} points at function '${name}', which is not a function of this template.`,
        'Add the function to the template, or point the integration at one that exists.');
    }
    const alias = arn?.[2];
    return { functionName: alias ? `${spec.functionName}:${alias}` : spec.functionName, functionId: spec.logicalId };
  }
}
