// `lambda-workbench start`: serves the Invoke API on 127.0.0.1 until SIGINT/SIGTERM, then stops every instance and exits 0.
import { startInvokeApi } from '../../core/api/invokeApi';
import { WorkbenchError } from '../../core/common/errors';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { FUNCTION_SOURCE_FLAGS, loadFunctionSource } from '../functionSource';
import { BACKEND_FLAG, withService } from '../serviceSession';
import { waitForTerminationSignal } from '../signals';

const DEFAULT_PORT = 3001;

export const startCommand: CommandSpec = {
  name: 'start',
  summary: 'Serve the Lambda Invoke API on 127.0.0.1 for the AWS SDK and AWS CLI.',
  positionals: [],
  flags: [
    { name: 'port', kind: 'string', valueName: 'n', description: `Port on 127.0.0.1 (default: ${DEFAULT_PORT}; 0 picks a free one).` },
    BACKEND_FLAG,
    ...FUNCTION_SOURCE_FLAGS,
  ],
  details: [
    'Stops with Ctrl+C (SIGINT) or SIGTERM; every instance is stopped before the process exits.',
    '',
    'Example:',
    '  lambda-workbench start --template examples/hello/template.yaml --port 3001',
    '  aws lambda invoke --endpoint-url http://127.0.0.1:3001 --function-name HelloFunction out.json',
  ].join('\n'),

  async run(args, io) {
    const port = parsePort(args.strings.get('port'));
    const source = await loadFunctionSource('start', args);
    const signal = waitForTerminationSignal();
    try {
      await withService(source, args, io.stderr, async (service) => {
        const api = await startInvokeApi(service, { port });
        try {
          const functions = source.registry.list().map((spec) => `  ${spec.functionName}  ${spec.runtime ?? spec.imageUri ?? ''}  ${api.url}/2015-03-31/functions/${spec.functionName}/invocations`);
          await writeFully(io.stdout, [`Invoke API listening on ${api.url}`, 'Functions:', ...functions, ''].join('\n'));
          await signal.received;
        } finally {
          await api.close();
        }
      });
      return 0;
    } finally {
      signal.dispose();
    }
  },
};

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new WorkbenchError('USAGE', `--port must be a number from 0 to 65535, not '${value}'.`, {
      hint: "Run 'lambda-workbench start --help' for usage.",
    });
  }
  return port;
}
