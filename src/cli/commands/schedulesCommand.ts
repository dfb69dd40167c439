// `lambda-workbench schedules list|run NAME`: the template's Schedule / ScheduleV2 events; run fires one now with the event EventBridge sends.
import { WorkbenchError } from '../../core/common/errors';
import { findSchedule, readSchedules, scheduledEvent } from '../../core/service/schedules/localSchedules';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { FUNCTION_SOURCE_FLAGS, loadFunctionSource } from '../functionSource';
import { BACKEND_FLAG, INTERPRETER_FLAG, withService } from '../serviceSession';
import { EXIT_FUNCTION_ERROR, EXIT_OK } from '../exitCodes';
import { waitForTerminationSignal } from '../signals';

export const schedulesCommand: CommandSpec = {
  name: 'schedules',
  summary: "List the template's schedules, or run one now (its function gets the event EventBridge would send).",
  positionals: [
    { name: 'action', required: true, description: 'list | run' },
    { name: 'NAME', required: false, description: 'For run: <Function>.<EventId>, the event id, or the schedule\'s Name.' },
  ],
  flags: [BACKEND_FLAG, INTERPRETER_FLAG, ...FUNCTION_SOURCE_FLAGS],
  details: [
    '`start` fires the enabled schedules on time (scaled by --time-scale); `schedules run` fires one at once, enabled or not,',
    'and waits for the function: its response on stdout, its logs on stderr (exit 1 when the function fails).',
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
    const source = await loadFunctionSource('schedules', args);
    const schedules = readSchedules(source.registry.list());
    if (action === 'list') {
      const lines = schedules.map((s) => `${s.name}  ${s.expression.text}${s.timezone ? ` (${s.timezone})` : ''}  ${s.enabled ? 'enabled' : 'disabled'}  ${s.kind}`);
      await writeFully(io.stdout, `${lines.length ? lines.join('\n') : '(no Schedule or ScheduleV2 events)'}\n`);
      return EXIT_OK;
    }
    if (!name) throw new WorkbenchError('USAGE', 'schedules run needs the schedule NAME.', { hint: "Run 'lambda-workbench schedules list' to see them." });
    const schedule = findSchedule(schedules, name);
    const signal = waitForTerminationSignal();
    try {
      // Synchronously, so that the command ends when the function does (EventBridge itself invokes asynchronously).
      const result = await withService(source, args, io.stderr, async (service) => signal.orInterrupted(
        service.invoke({ functionName: schedule.functionName, payload: Buffer.from(scheduledEvent(schedule, Date.now(), 'us-east-1', '123456789012')) }),
        "the function's",
      ));
      await writeFully(io.stdout, result.payload);
      return result.functionError ? EXIT_FUNCTION_ERROR : EXIT_OK;
    } finally {
      signal.dispose();
    }
  },
};
