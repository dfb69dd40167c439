// `lambda-workbench invoke`: one invocation; the response payload bytes on stdout, CloudWatch lines on stderr as they happen.
import { WorkbenchError } from '../../core/common/errors';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { readEvent } from '../eventInput';
import { FUNCTION_SOURCE_FLAGS, loadFunctionSource, requireFunction } from '../functionSource';
import { DEBUG_PORT_FLAG, enableDebugPorts, parseDebugPort } from '../debugPort';
import { BACKEND_FLAG, INTERPRETER_FLAG, withService } from '../serviceSession';
import { waitForTerminationSignal } from '../signals';
import { TIME_SCALE_FLAG } from '../timeScale';

export const invokeCommand: CommandSpec = {
  name: 'invoke',
  summary: 'Invoke a function once and print its response.',
  positionals: [{ name: 'Function', description: 'Logical id or FunctionName in the template (or the name for --handler).', required: true }],
  flags: [
    { name: 'event', kind: 'string', valueName: 'file|-', description: 'JSON event file, or - for stdin (default: {}).' },
    BACKEND_FLAG,
    INTERPRETER_FLAG,
    DEBUG_PORT_FLAG,
    TIME_SCALE_FLAG,
    ...FUNCTION_SOURCE_FLAGS,
  ],
  details: [
    'The response payload is written to stdout exactly as Lambda returns it; logs go to stderr.',
    'Exit status: 0 success, 1 the function returned an error (the error object is on stdout), 2 bad usage, template or event.',
    '',
    'Examples:',
    '  lambda-workbench invoke HelloFunction --template examples/hello/template.yaml --event examples/hello/events/hello.json',
    '  echo \'{"n": 1}\' | lambda-workbench invoke app --handler src/app.handler --runtime nodejs20.x --event -',
  ].join('\n'),

  async run(args, io) {
    const name = args.positionals[0];
    const source = await loadFunctionSource('invoke', args, name);
    const spec = requireFunction(source, name);
    const payload = await readEvent(args.strings.get('event'), io.stdin);
    const debugPort = parseDebugPort('invoke', args, 1);
    const signal = waitForTerminationSignal();
    try {
      const result = await withService(source, args, io.stderr, async (service) => {
        if (debugPort !== undefined) await enableDebugPorts(service, [spec], debugPort, io.stderr);
        return Promise.race([
          service.invoke({ functionName: spec.functionName, payload }),
          signal.received.then((received) => {
            throw new WorkbenchError('CANCELLED', `Interrupted by ${received}; the function's instances were stopped.`);
          }),
        ]);
      });
      await writeFully(io.stdout, result.payload);
      return result.functionError ? 1 : 0;
    } finally {
      signal.dispose();
    }
  },
};
