// `lambda-workbench invoke`: one invocation; the response payload bytes on stdout, CloudWatch lines on stderr as they happen.
import { hasQualifier, unknownQualifier } from '../../core/functions/qualifiers';
import { usage } from '../argParser';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { readEvent } from '../eventInput';
import { FUNCTION_SOURCE_FLAGS, loadFunctionSource, parameterOverrides, requireFunction } from '../functionSource';
import { DEBUG_PORT_FLAG, enableDebugPorts, parseDebugPort } from '../debugPort';
import { withLocalEndpoint } from '../localEndpoint';
import { BACKEND_FLAG, INTERPRETER_FLAG, withService } from '../serviceSession';
import { EXIT_FUNCTION_ERROR, EXIT_OK } from '../exitCodes';
import { waitForTerminationSignal } from '../signals';
import { TIME_SCALE_FLAG } from '../timeScale';

export const invokeCommand: CommandSpec = {
  name: 'invoke',
  summary: 'Invoke a function once and print its response.',
  positionals: [{
    name: 'Function',
    description: 'Logical id or FunctionName (or the name for --handler), optionally :QUALIFIER (a version or an alias).',
    required: true,
  }],
  flags: [
    { name: 'event', kind: 'string', valueName: 'file|-', description: 'JSON event file, or - for stdin (default: {}).' },
    { name: 'qualifier', kind: 'string', valueName: 'version|alias', description: 'Version or alias to invoke (default: $LATEST).' },
    BACKEND_FLAG,
    INTERPRETER_FLAG,
    DEBUG_PORT_FLAG,
    TIME_SCALE_FLAG,
    ...FUNCTION_SOURCE_FLAGS,
  ],
  details: [
    'The response payload is written to stdout exactly as Lambda returns it; logs go to stderr.',
    "The function's AWS SDK calls reach local services, as under `start`: the template's (and the state directory's) SQS",
    'queues, SNS topics, EventBridge buses, DynamoDB tables and S3 buckets.',
    'Exit status: 0 success, 1 the function returned an error (the error object is on stdout), 2 bad usage, template or event.',
    '',
    'Examples:',
    '  lambda-workbench invoke HelloFunction --template examples/hello/template.yaml --event examples/hello/events/hello.json',
    '  lambda-workbench invoke HelloFunction:live      # the version the alias points at (weighted aliases pick one per invocation)',
    '  lambda-workbench invoke HelloFunction --qualifier 2',
    '  echo \'{"n": 1}\' | lambda-workbench invoke app --handler src/app.handler --runtime nodejs20.x --event -',
  ].join('\n'),

  async run(args, io) {
    const { name, qualifier } = invokeTarget(args.positionals[0] as string, args.strings.get('qualifier'));
    const source = await loadFunctionSource('invoke', args, name);
    const payload = await readEvent(args.strings.get('event'), io.stdin);
    const debugPort = parseDebugPort('invoke', args, 1);
    const signal = waitForTerminationSignal();
    try {
      const result = await withService(source, args, io.stderr, async (service) => {
        // Functions made through `start`'s Lambda API, and the versions and aliases, are in the saved state.
        await service.ready();
        const record = service.functions.get(name);
        if (!record) requireFunction(source, name);
        const spec = service.functions.spec(record?.name ?? name);
        if (record && qualifier !== undefined && !hasQualifier(record, qualifier)) throw unknownQualifier(record, qualifier);
        if (debugPort !== undefined) await enableDebugPorts(service, [spec], debugPort, io.stderr);
        return withLocalEndpoint(service, source, parameterOverrides('invoke', args.lists.get('parameter-overrides')) ?? {}, (warning) => void io.stderr.write(`Warning: ${warning}\n`), () =>
          signal.orInterrupted(service.invoke({ functionName: spec.functionName, payload, ...(qualifier !== undefined ? { qualifier } : {}) }), "the function's"));
      });
      await writeFully(io.stdout, result.payload);
      return result.functionError ? EXIT_FUNCTION_ERROR : EXIT_OK;
    } finally {
      signal.dispose();
    }
  },
};

/** FUNCTION[:QUALIFIER] and --qualifier, which must agree when both are given. */
function invokeTarget(argument: string, flag: string | undefined): { name: string; qualifier?: string } {
  const colon = argument.indexOf(':');
  const name = colon < 0 ? argument : argument.slice(0, colon);
  const inline = colon < 0 ? undefined : argument.slice(colon + 1);
  if (name === '' || inline === '' || flag === '') throw usage('invoke', `'${argument}' is not FUNCTION or FUNCTION:QUALIFIER.`);
  if (inline !== undefined && flag !== undefined && inline !== flag) {
    throw usage('invoke', `the qualifier in '${argument}' and --qualifier ${flag} differ; give one of them.`);
  }
  const qualifier = inline ?? flag;
  return { name, ...(qualifier !== undefined ? { qualifier } : {}) };
}
