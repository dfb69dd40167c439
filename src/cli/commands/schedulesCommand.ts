// `lambda-workbench schedules list|run NAME`: the template's Schedule / ScheduleV2 events and the scheduled EventBridge rules; run fires one now.
import { WorkbenchError } from '../../core/common/errors';
import type { RuleDefinition } from '../../core/service/eventBridge/localEventBuses';
import type { InvokeResult } from '../../core/service/invocation';
import type { LambdaService } from '../../core/service/lambdaService';
import { findSchedule, readSchedules, scheduledEvent, type ScheduleDefinition } from '../../core/service/schedules/localSchedules';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { FUNCTION_SOURCE_FLAGS, loadFunctionSource, parameterOverrides } from '../functionSource';
import { useTemplateRules, withLocalEndpoint } from '../localEndpoint';
import { BACKEND_FLAG, INTERPRETER_FLAG, withService } from '../serviceSession';
import { EXIT_FUNCTION_ERROR, EXIT_OK } from '../exitCodes';
import { waitForTerminationSignal } from '../signals';

export const schedulesCommand: CommandSpec = {
  name: 'schedules',
  summary: "List the template's schedules and scheduled EventBridge rules, or run one now (its functions get the event EventBridge would send).",
  positionals: [
    { name: 'action', required: true, description: 'list | run' },
    { name: 'NAME', required: false, description: "For run: <Function>.<EventId>, the event id, the schedule's Name, or a scheduled rule's name." },
  ],
  flags: [BACKEND_FLAG, INTERPRETER_FLAG, ...FUNCTION_SOURCE_FLAGS],
  details: [
    '`start` fires the enabled schedules on time (scaled by --time-scale); `schedules run` fires one at once, enabled or not,',
    'and waits for the functions: their responses on stdout, their logs on stderr (exit 1 when one fails).',
    "Scheduled rules are the template's AWS::Events::Rule resources with a ScheduleExpression (as CDK writes them) and the",
    "rules PutRule made on `start`'s endpoint; a rule's queue, topic, stream and bus targets get the event too.",
    '',
    'Examples:',
    '  lambda-workbench schedules list --template template.yaml',
    '  lambda-workbench schedules run NightlyFunction.Nightly --template template.yaml',
  ].join('\n'),

  async run(args, io) {
    const [action, name] = args.positionals;
    if (action !== 'list' && action !== 'run') {
      throw new WorkbenchError('USAGE', `Unknown schedules action '${action}'.`, { hint: "Run 'lambda-workbench schedules list' or 'lambda-workbench schedules run NAME'." });
    }
    if (action === 'run' && !name) throw new WorkbenchError('USAGE', 'schedules run needs the schedule NAME.', { hint: "Run 'lambda-workbench schedules list' to see them." });
    const source = await loadFunctionSource('schedules', args);
    const schedules = readSchedules(source.registry.list());
    const signal = waitForTerminationSignal();
    try {
      return await withService(source, args, io.stderr, async (service) => {
        const warn = (warning: string): void => void io.stderr.write(`Warning: ${warning}\n`);
        const overrides = parameterOverrides('schedules', args.lists.get('parameter-overrides')) ?? {};
        if (action === 'list') {
          await useTemplateRules(service, source, overrides, warn);
          await service.eventBuses.ready();
          const lines = [...schedules.map(scheduleLine), ...service.eventBuses.scheduledRules().map(ruleLine)];
          await writeFully(io.stdout, `${lines.length ? lines.join('\n') : '(no Schedule or ScheduleV2 events, no scheduled EventBridge rules)'}\n`);
          return EXIT_OK;
        }
        // The endpoint applies the template's rules (and topics) for the run, beside those PutRule made.
        return withLocalEndpoint(service, source, overrides, warn, async () => {
          await service.eventBuses.ready();
          const { results, unreached } = await signal.orInterrupted(runNamed(service, schedules, service.eventBuses.scheduledRules(), name as string), "the functions'");
          await writeFully(io.stdout, Buffer.concat(results.flatMap((result, index) => (index > 0 ? [Buffer.from('\n'), result.payload] : [result.payload]))));
          return unreached > 0 || results.some((result) => result.functionError) ? EXIT_FUNCTION_ERROR : EXIT_OK;
        });
      });
    } finally {
      signal.dispose();
    }
  },
};

function scheduleLine(schedule: ScheduleDefinition): string {
  return `${schedule.name}  ${schedule.expression.text}${schedule.timezone ? ` (${schedule.timezone})` : ''}  ${schedule.enabled ? 'enabled' : 'disabled'}  ${schedule.kind}`;
}

function ruleLine(rule: RuleDefinition): string {
  const targets = rule.targets.map((target) => /:function:(.+)$/.exec(target.Arn)?.[1] ?? target.Arn.split(/[:/]/).pop() ?? target.Arn);
  const bus = rule.eventBusName === 'default' ? '' : `${rule.eventBusName}/`;
  return `${bus}${rule.name}  ${rule.scheduleExpression ?? ''}  ${rule.state === 'ENABLED' ? 'enabled' : 'disabled'}  EventBridge rule -> ${targets.join(', ') || '(no targets)'}`;
}

/**
 * Fires the schedule or rule NAME names and waits for the functions it reaches, invoked synchronously so that the
 * command ends when they do (EventBridge itself invokes asynchronously).
 */
async function runNamed(
  service: LambdaService,
  schedules: ScheduleDefinition[],
  rules: RuleDefinition[],
  name: string,
): Promise<{ results: InvokeResult[]; unreached: number }> {
  const rule = rules.find((candidate) => candidate.name === name || `${candidate.eventBusName}/${candidate.name}` === name);
  if (!rule) {
    const schedule = findScheduleOrExplain(schedules, rules, name);
    return { results: [await service.invoke({ functionName: schedule.functionName, payload: Buffer.from(scheduledEvent(schedule, Date.now(), 'us-east-1', '123456789012')) })], unreached: 0 };
  }
  const results: InvokeResult[] = [];
  let unreached = 0;
  // A function that cannot be invoked (not declared, not startable) is said on stderr by the rule's delivery.
  await service.eventBuses.runScheduledRule(rule, async (functionName, input) => {
    try {
      results.push(await service.invoke({ functionName, payload: Buffer.from(input) }));
    } catch (error) {
      unreached++;
      throw error;
    }
  });
  return { results, unreached };
}

function findScheduleOrExplain(schedules: ScheduleDefinition[], rules: RuleDefinition[], name: string): ScheduleDefinition {
  try {
    return findSchedule(schedules, name);
  } catch (error) {
    if (rules.length === 0) throw error;
    const names = [...schedules.map((schedule) => schedule.name), ...rules.map((rule) => rule.name)];
    throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `No schedule or scheduled rule named '${name}'. Schedules: ${names.join(', ')}.`);
  }
}
