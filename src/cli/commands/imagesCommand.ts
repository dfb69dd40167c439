// `lambda-workbench images build <runtime>`: a local runtime image for the container backend, made with no registry.
import { WorkbenchError } from '../../core/common/errors';
import { buildRuntimeImage } from '../../core/images/runtimeImageBuilder';
import { connectDockerEngine } from '../../core/instances/container/dockerEngine';
import { writeFully } from '../cliIo';
import type { CommandSpec } from '../commandSpec';

export const imagesCommand: CommandSpec = {
  name: 'images',
  summary: 'Build local runtime images for the container backend (no registry needed).',
  positionals: [
    { name: 'action', description: 'build', required: true },
    { name: 'runtime', description: 'A nodejs*, python* or provided* runtime, e.g. nodejs20.x, python3.12 or provided.al2023.', required: true },
  ],
  flags: [{ name: 'force', kind: 'boolean', description: 'Rebuild even when an image from the same inputs exists.' }],
  details:
    'The image holds this machine\'s node (or python3) and Lambda Workbench\'s runtime client, and is named\n' +
    'lambda-workbench/runtime:<runtime>. The container backend uses it when the official AWS base image is not present.\n' +
    'A provided* image holds a minimal system (bash, curl, libc) whose entry point runs the function\'s bootstrap.\n\n' +
    'Example:\n  lambda-workbench images build nodejs20.x',

  async run(args, io) {
    const [action, runtime] = args.positionals as [string, string];
    if (action !== 'build') {
      throw new WorkbenchError('USAGE', `Unknown images action '${action}'.`, { hint: 'Use: lambda-workbench images build <runtime>.' });
    }
    const engine = await connectDockerEngine();
    await writeFully(io.stderr, `Building lambda-workbench/runtime:${runtime} on ${engine.endpoint.label}...\n`);
    const result = await buildRuntimeImage(engine.docker, runtime, { force: args.booleans.has('force') });
    await writeFully(io.stdout, `${result.image}${result.built ? '' : ' (up to date)'}\n`);
    return 0;
  },
};
