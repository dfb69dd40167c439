// `lambda-workbench list`: the functions of a template with their runtime and handler.
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { FUNCTION_SOURCE_FLAGS, TEMPLATE_FLAG, loadFunctionSource, PROJECT_ROOT_FLAG } from '../functionSource';

const PARAMETER_OVERRIDES_FLAG = FUNCTION_SOURCE_FLAGS.filter((flag) => flag.name === 'parameter-overrides');

export const listCommand: CommandSpec = {
  name: 'list',
  summary: 'List the functions of a template with their runtime and handler.',
  positionals: [],
  flags: [TEMPLATE_FLAG, PROJECT_ROOT_FLAG, ...PARAMETER_OVERRIDES_FLAG],

  async run(args, io) {
    const source = await loadFunctionSource('list', args);
    for (const warning of source.registry.warnings) await writeFully(io.stderr, `Warning: ${warning}\n`);
    const rows = source.registry.list().map((spec) => [
      spec.logicalId,
      spec.packageType === 'Image' ? 'image' : spec.runtime ?? '',
      spec.packageType === 'Image' ? spec.imageUri ?? '' : spec.handler ?? '',
    ]);
    const table = [['FUNCTION', 'RUNTIME', 'HANDLER'], ...rows];
    const widths = [0, 1].map((col) => Math.max(...table.map((row) => row[col].length)));
    const lines = table.map(([name, runtime, handler]) => `${name.padEnd(widths[0])}  ${runtime.padEnd(widths[1])}  ${handler}`.trimEnd());
    await writeFully(io.stdout, `${lines.join('\n')}\n`);
    return 0;
  },
};
