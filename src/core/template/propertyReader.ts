// Typed access to one resource's resolved properties, with positions for errors and warnings for unresolved values.
import { WorkbenchError, type SourceEdit, type SourceLocation } from '../common/errors';
import { Unresolved } from './intrinsicResolver';
import { isRecord, type TemplateDocument } from './templateDocument';

/** A property name, or a path into it (list items by index). */
export type PropertyPath = string | readonly (string | number)[];

function segments(path: PropertyPath): readonly (string | number)[] {
  return typeof path === 'string' ? [path] : path;
}

export class PropertyReader {
  constructor(
    private readonly doc: TemplateDocument,
    readonly logicalId: string,
    private readonly values: Record<string, unknown>,
    private readonly warnings: string[],
  ) {}

  /** The resource's own position (its logical id). */
  get resourceLocation(): SourceLocation {
    return this.doc.locate(['Resources', this.logicalId]) ?? { file: this.doc.path };
  }

  /** Where a property is written: in the resource, else in Globals.Function, else the resource itself. */
  location(path: PropertyPath): SourceLocation {
    const parts = segments(path);
    return this.doc.locate(['Resources', this.logicalId, 'Properties', ...parts])
      ?? this.doc.locate(['Globals', 'Function', ...parts])
      ?? this.doc.locate(['Resources', this.logicalId, 'Properties', parts[0]])
      ?? this.resourceLocation;
  }

  /** Fails at the property; `fix`, when given, is the edit that resolves it (see replaceValue). */
  fail(path: PropertyPath, message: string, hint?: string, fix?: SourceEdit): never {
    throw new WorkbenchError('TEMPLATE_INVALID', message, { location: this.location(path), ...(hint ? { hint } : {}), ...(fix ? { fix } : {}) });
  }

  /** An edit of the property's plain value, where it is written (the resource, else Globals.Function). */
  replaceValue(path: PropertyPath, value: string | number): SourceEdit | undefined {
    const parts = segments(path);
    const title = `Change ${parts.join('.')} to ${value}`;
    return this.doc.replaceValue(['Resources', this.logicalId, 'Properties', ...parts], value, title)
      ?? this.doc.replaceValue(['Globals', 'Function', ...parts], value, title);
  }

  /** A warning, with the edit that resolves it (a quick fix in editors). */
  warnWithFix(message: string, fix: SourceEdit | undefined): void {
    this.warn(message);
    if (fix) this.doc.warningFixes.set(message, fix);
  }

  label(path: PropertyPath): string {
    return `${segments(path).join('.')} of ${this.logicalId}`;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** The raw resolved value (may be Unresolved). */
  get(path: PropertyPath): unknown {
    let value: unknown = this.values;
    for (const key of segments(path)) value = isRecord(value) ? value[key] : undefined;
    return value;
  }

  private known(path: PropertyPath): unknown {
    const value = this.get(path);
    if (value instanceof Unresolved) {
      this.warn(`${this.label(path)} is ignored: ${value.reason}.`);
      return undefined;
    }
    return value;
  }

  text(path: PropertyPath): string | undefined {
    const value = this.known(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.fail(path, `${this.label(path)} must be a string, got ${JSON.stringify(value)}.`);
  }

  integer(path: PropertyPath): number | undefined {
    const value = this.known(path);
    if (value === undefined || value === null) return undefined;
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isInteger(number)) return this.fail(path, `${this.label(path)} must be a whole number, got ${JSON.stringify(value)}.`);
    return number;
  }

  boolean(path: PropertyPath): boolean | undefined {
    const value = this.known(path);
    if (value === undefined || value === null) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    return this.fail(path, `${this.label(path)} must be true or false, got ${JSON.stringify(value)}.`);
  }

  record(path: PropertyPath): Record<string, unknown> | undefined {
    const value = this.known(path);
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) return this.fail(path, `${this.label(path)} must be a mapping, got ${JSON.stringify(value)}.`);
    return value;
  }

  textList(path: PropertyPath): string[] | undefined {
    const value = this.known(path);
    if (value === undefined || value === null) return undefined;
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => {
      if (item instanceof Unresolved) return this.fail([...segments(path), String(index)], `${this.label(path)}[${index}] cannot be resolved locally: ${item.reason}.`);
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
      return this.fail(path, `${this.label(path)} must be a list of strings, got ${JSON.stringify(value)}.`);
    });
  }

  /** A value with unresolved leaves removed (each one reported as a warning). */
  plain(path: PropertyPath): unknown {
    const strip = (value: unknown, where: string): unknown => {
      if (value instanceof Unresolved) {
        this.warn(`${where} of ${this.logicalId} is left out: ${value.reason}.`);
        return undefined;
      }
      if (Array.isArray(value)) return value.map((item, index) => strip(item, `${where}[${index}]`)).filter((item) => item !== undefined);
      if (isRecord(value)) {
        const result: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) {
          const kept = strip(item, `${where}.${key}`);
          if (kept !== undefined) result[key] = kept;
        }
        return result;
      }
      return value;
    };
    return strip(this.get(path), segments(path).join('.'));
  }
}
