// `lambda-workbench state reset`: forgets the workspace's API-made functions, versions, aliases, layers and settings.
import { WorkbenchError } from '../../core/common/errors';
import { resetState } from '../../core/state/stateStore';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { TEMPLATE_FLAG, templateStateDir } from '../functionSource';

export const stateCommand: CommandSpec = {
  name: 'state',
  summary: 'Manage the state the Lambda API keeps beside the template (reset: forget it).',
  positionals: [{ name: 'action', required: true, description: 'reset' }],
  flags: [TEMPLATE_FLAG],
  details: [
    'The state (functions created through the API, published versions with their code, aliases, layers, settings, the items',
    'of the local DynamoDB tables and the objects of the local S3 buckets) lives in .lambda-workbench/state beside the template.',
    'Template functions, tables and buckets are read from the template again at every start.',
    '',
    'Example:',
    '  lambda-workbench state reset --template examples/hello/template.yaml',
  ].join('\n'),

  async run(args, io) {
    const action = args.positionals[0];
    if (action !== 'reset') {
      throw new WorkbenchError('USAGE', `Unknown state action '${action}'.`, { hint: "Run 'lambda-workbench state reset' (the only action)." });
    }
    const removed = await resetState(templateStateDir('state', args));
    await writeFully(io.stdout, `State reset: removed ${removed}\n`);
    return 0;
  },
};
