// Reads a template's EventBridge rules and buses: SAM EventBridgeRule / CloudWatchEvent events, AWS::Events::Rule and AWS::Events::EventBus.
import { WorkbenchError } from '../../common/errors';
import { IntrinsicResolver } from '../../template/intrinsicResolver';
import type { FunctionSpec } from '../../template/functionSpec';
import { isRecord, readTemplateDocument } from '../../template/templateDocument';
import { parameterValues } from '../../template/templateParameters';
import { ResourceValues } from '../eventSources/templateResources';
import { EventPatternError, parseEventPattern } from './eventPattern';
import { busName, DEFAULT_BUS, type RuleDefinition, type RuleTarget, type TemplateEventRules } from './localEventBuses';

export interface TemplateRulesOptions {
  parameterOverrides?: Record<string, string>;
  region?: string;
  accountId?: string;
}

/** The rules and buses of the functions' templates; TEMPLATE_INVALID for a pattern EventBridge refuses. */
export async function readTemplateEventRules(specs: readonly FunctionSpec[], warnings: string[], options: TemplateRulesOptions = {}): Promise<TemplateEventRules> {
  const result: TemplateEventRules = { buses: [], rules: [] };
  for (const spec of specs) result.rules.push(...functionRules(spec, options));
  const templates = [...new Set(specs.flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
  for (const templatePath of templates) {
    const doc = await readTemplateDocument(templatePath);
    const resolver = IntrinsicResolver.forDocument(doc, parameterValues(doc, options.parameterOverrides ?? {}, warnings));
    for (const [id, resource] of Object.entries(doc.resources)) {
      if (resource.type === 'AWS::Events::EventBus') result.buses.push(resolver.physicalName(id));
      if (resource.type !== 'AWS::Events::Rule') continue;
      const read = new ResourceValues(id, resource, resolver, warnings);
      const pattern = read.value('EventPattern');
      const schedule = read.value('ScheduleExpression');
      const description = read.value('Description');
      const targets = read.value('Targets');
      result.rules.push({
        name: resolver.physicalName(id),
        eventBusName: busName(stringOr(read.value('EventBusName'), DEFAULT_BUS)),
        ...(pattern !== undefined ? { eventPattern: checkedPattern(pattern, `${id}.EventPattern`) } : {}),
        ...(typeof schedule === 'string' ? { scheduleExpression: schedule } : {}),
        state: read.value('State') === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        ...(typeof description === 'string' ? { description } : {}),
        targets: Array.isArray(targets) ? targets.filter((target): target is RuleTarget => isRecord(target) && typeof target.Id === 'string' && typeof target.Arn === 'string') : [],
        origin: 'template',
      });
    }
  }
  return result;
}

/** The rule SAM makes for each EventBridgeRule / CloudWatchEvent event, targeting the function (its alias with AutoPublishAlias). */
function functionRules(spec: FunctionSpec, options: TemplateRulesOptions): RuleDefinition[] {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const qualifier = spec.autoPublishAlias ? `:${spec.autoPublishAlias}` : '';
  return spec.events.filter((event) => event.type === 'EventBridgeRule' || event.type === 'CloudWatchEvent').map((event) => {
    const p = event.properties;
    const where = `${spec.logicalId}.Events.${event.id}`;
    if (p.Pattern === undefined) throw new WorkbenchError('TEMPLATE_INVALID', `${where}: Pattern is required (an event pattern such as { source: [my.app] }).`);
    const target: RuleTarget = {
      Id: isRecord(p.Target) && typeof p.Target.Id === 'string' ? p.Target.Id : `${spec.logicalId}${event.id}LambdaTarget`,
      Arn: `arn:aws:lambda:${region}:${accountId}:function:${spec.functionName}${qualifier}`,
      ...(typeof p.Input === 'string' ? { Input: p.Input } : {}),
      ...(typeof p.InputPath === 'string' ? { InputPath: p.InputPath } : {}),
      ...(isRecord(p.InputTransformer) && typeof p.InputTransformer.InputTemplate === 'string' ? { InputTransformer: p.InputTransformer as unknown as RuleTarget['InputTransformer'] } : {}),
    };
    const disabled = p.State === 'DISABLED' || p.Enabled === false || p.Enabled === 'false';
    return {
      name: typeof p.RuleName === 'string' ? p.RuleName : `${spec.logicalId}${event.id}`,
      eventBusName: busName(typeof p.EventBusName === 'string' ? p.EventBusName : DEFAULT_BUS),
      eventPattern: checkedPattern(p.Pattern, `${where}.Pattern`),
      state: disabled ? 'DISABLED' : 'ENABLED',
      targets: [target],
      origin: 'template',
    };
  });
}

/** A pattern (an object, or CloudFormation's JSON string form) as the JSON text PutRule takes, checked as EventBridge checks it. */
function checkedPattern(pattern: unknown, where: string): string {
  const text = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  try {
    parseEventPattern(text);
  } catch (error) {
    if (error instanceof EventPatternError) throw new WorkbenchError('TEMPLATE_INVALID', `${where}: ${error.message}`);
    throw error;
  }
  return text;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
