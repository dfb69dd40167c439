// `lambda-workbench package`: writes the zip Lambda would receive for a function and measures it against Lambda's package quotas.
import * as path from 'node:path';
import { writeDeploymentPackage } from '../../core/build/deploymentPackage';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { FUNCTION_SOURCE_FLAGS, TEMPLATE_FLAG, loadFunctionSource, requireFunction, PROJECT_ROOT_FLAG } from '../functionSource';

const PARAMETER_OVERRIDES_FLAG = FUNCTION_SOURCE_FLAGS.filter((flag) => flag.name === 'parameter-overrides');

export const packageCommand: CommandSpec = {
  name: 'package',
  summary: "Write a function's deployment package (.zip) and check it against Lambda's size limits.",
  positionals: [{ name: 'Function', description: 'Logical id or FunctionName in the template.', required: true }],
  flags: [
    TEMPLATE_FLAG,
    PROJECT_ROOT_FLAG,
    { name: 'output', kind: 'string', valueName: 'file.zip', description: 'Where to write the zip (default: .lambda-workbench/packages/<Function>.zip beside the template).' },
    ...PARAMETER_OVERRIDES_FLAG,
  ],
  details: [
    'esbuild functions are built first; a .zip CodeUri is the package as it is; other functions zip their CodeUri folder (file modes kept).',
    'Limits: 50 MB zipped for direct upload, 250 MB unzipped including layers; near or over one, the largest files and folders are listed.',
    'Exit status: 0 within the limits, 1 a limit is exceeded (the zip is written anyway), 2 bad usage or template.',
    '',
    'Example:',
    '  lambda-workbench package HelloFunction --template examples/hello/template.yaml --output hello.zip',
  ].join('\n'),

  async run(args, io) {
    const name = args.positionals[0];
    const source = await loadFunctionSource('package', args);
    const spec = requireFunction(source, name);
    const output = args.strings.get('output') ?? path.join(source.stateDir, 'packages', `${spec.functionName}.zip`);
    const written = await writeDeploymentPackage(spec, { stateDir: source.stateDir, output });
    const lines = [written.zipPath, `${written.fileCount} files`, ...written.limits.lines];
    await writeFully(io.stdout, `${lines.join('\n')}\n`);
    return written.limits.exceeded ? 1 : 0;
  },
};
