// Values for Ref to parameters: pseudo parameters (SAM local defaults), template Defaults, and caller overrides.
import { WorkbenchError } from '../common/errors';
import { isRecord, readTemplateDocument, type TemplateDocument } from './templateDocument';

/** Pseudo parameter values for local runs; a caller may override any of them. */
export const PSEUDO_PARAMETER_DEFAULTS: Readonly<Record<string, string>> = {
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'us-east-1',
  'AWS::StackName': 'local',
  'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/local/51af3dc0-da77-11e4-872e-1234567db123',
};

export const NO_VALUE_PARAMETER = 'AWS::NoValue';

export interface ParameterValues {
  /** Resolved values by name: strings, or string lists for List and CommaDelimitedList parameters. */
  values: Map<string, string | string[]>;
  /** Declared parameters that have neither a Default nor an override. */
  missing: Set<string>;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function isListType(type: unknown): boolean {
  return type === 'CommaDelimitedList' || (typeof type === 'string' && type.startsWith('List<'));
}

function scalarText(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Computes every parameter's value; an override outside AllowedValues is a TEMPLATE_INVALID error. */
export function parameterValues(doc: TemplateDocument, overrides: Record<string, string>, warnings: string[]): ParameterValues {
  const values = new Map<string, string | string[]>(Object.entries(PSEUDO_PARAMETER_DEFAULTS));
  const region = overrides['AWS::Region'] ?? PSEUDO_PARAMETER_DEFAULTS['AWS::Region'];
  values.set('AWS::Region', region);
  values.set('AWS::Partition', partitionOf(region));
  values.set('AWS::URLSuffix', region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');
  values.set('AWS::NotificationARNs', []);
  for (const [name, value] of Object.entries(overrides)) {
    if (name.startsWith('AWS::')) values.set(name, value);
  }

  const declared = isRecord(doc.root.Parameters) ? doc.root.Parameters : {};
  const missing = new Set<string>();
  for (const [name, definition] of Object.entries(declared)) {
    const spec = isRecord(definition) ? definition : {};
    const given = overrides[name];
    const raw = given ?? spec.Default;
    if (raw === undefined || raw === null) {
      missing.add(name);
      continue;
    }
    const allowed = Array.isArray(spec.AllowedValues) ? spec.AllowedValues.map(String) : undefined;
    if (given !== undefined && allowed && !allowed.includes(given)) {
      throw new WorkbenchError('TEMPLATE_INVALID',
        `Parameter '${name}' cannot be '${given}': it must be one of ${allowed.join(', ')}.`,
        { location: doc.locate(['Parameters', name]) ?? { file: doc.path } });
    }
    values.set(name, isListType(spec.Type) ? scalarText(raw).split(',').map((item) => item.trim()) : scalarText(raw));
  }
  for (const name of Object.keys(overrides)) {
    if (!name.startsWith('AWS::') && !(name in declared)) {
      warnings.push(`Parameter override '${name}' matches no parameter of ${doc.path}.`);
    }
  }
  return { values, missing };
}

/** A declared parameter that needs a value from the user: it has no Default and no override. */
export interface MissingParameter {
  name: string;
  description?: string;
  /** The only values CloudFormation accepts for it. */
  allowedValues?: string[];
  type?: string;
}

/** The template's parameters that have neither a Default nor one of `overrides`, with what helps to ask for them. */
export async function readMissingParameters(templatePath: string, overrides: Record<string, string>): Promise<MissingParameter[]> {
  const doc = await readTemplateDocument(templatePath);
  const declared = isRecord(doc.root.Parameters) ? doc.root.Parameters : {};
  return Object.entries(declared).flatMap(([name, definition]): MissingParameter[] => {
    const spec = isRecord(definition) ? definition : {};
    if (overrides[name] !== undefined || (spec.Default !== undefined && spec.Default !== null)) return [];
    return [{
      name,
      ...(typeof spec.Description === 'string' ? { description: spec.Description } : {}),
      ...(Array.isArray(spec.AllowedValues) ? { allowedValues: spec.AllowedValues.map(String) } : {}),
      ...(typeof spec.Type === 'string' ? { type: spec.Type } : {}),
    }];
  });
}
