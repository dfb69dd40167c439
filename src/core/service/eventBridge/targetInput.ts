// What a rule's target receives: the event, or its Input, InputPath or InputTransformer, as EventBridge makes it.

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

/** The parts of a Target (PutTargets' shape) that shape the delivered text. */
export interface TargetInputSettings {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

export interface RuleContext {
  ruleArn: string;
  ruleName: string;
  ingestionTime: string;
}

/** The text delivered to the target (a Lambda payload, an SQS message body). */
export function targetInput(target: TargetInputSettings, event: Record<string, unknown>, rule: RuleContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(jsonPath(event, target.InputPath) ?? null);
  if (target.InputTransformer) return transform(target.InputTransformer, event, rule);
  return JSON.stringify(event);
}

/** A JSON path in dot notation ($, $.detail, $.detail.items[0].name), or undefined when the event has nothing there. */
export function jsonPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$.')) return undefined;
  let current: unknown = value;
  for (const step of path.slice(2).split('.')) {
    const [, key, indexes = ''] = /^([^[\]]*)((?:\[\d+\])*)$/.exec(step) ?? [];
    if (key === undefined) return undefined;
    current = key === '' ? current : typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>)[key] : undefined;
    for (const [, index] of indexes.matchAll(/\[(\d+)\]/g)) current = Array.isArray(current) ? current[Number(index)] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * InputTemplate with each <name> replaced: inside a JSON string, by the value's text (a string without its quotes); elsewhere
 * in a JSON template, by the value as JSON; in a plain text template, by the value's text. Predefined names: aws.events.*.
 */
function transform(transformer: InputTransformer, event: Record<string, unknown>, rule: RuleContext): string {
  const values = new Map<string, unknown>([
    ['aws.events.rule-arn', rule.ruleArn],
    ['aws.events.rule-name', rule.ruleName],
    ['aws.events.event.ingestion-time', rule.ingestionTime],
    ['aws.events.event', event],
    ['aws.events.event.json', event],
  ]);
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, jsonPath(event, path));
  const template = transformer.InputTemplate;
  const json = /^\s*[[{]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template[i] as string;
    if (char === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (values.has(name)) {
        out += placeholder(values.get(name), name, json, inString);
        i = end;
        continue;
      }
    }
    if (char === '"' && !escaped(template, i)) inString = !inString;
    out += char;
  }
  return out;
}

function placeholder(value: unknown, name: string, json: boolean, inString: boolean): string {
  // <aws.events.event> is the event's JSON text, <aws.events.event.json> the event as a JSON value.
  if (name === 'aws.events.event') return inString ? JSON.stringify(JSON.stringify(value)).slice(1, -1) : JSON.stringify(value);
  if (value === undefined) return inString || !json ? '' : 'null';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (inString) return JSON.stringify(text).slice(1, -1);
  return json ? JSON.stringify(value) : text;
}

function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}
