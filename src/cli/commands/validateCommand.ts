// `lambda-workbench validate`: every problem the loader finds in a template, as file:line:col lines (or JSON) for editors and CI.
import { formatDiagnostic, validateTemplate } from '../../core/template/validateTemplate';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { FUNCTION_SOURCE_FLAGS, parameterOverrides, projectRootOf, TEMPLATE_FLAG, templatePathArg, PROJECT_ROOT_FLAG } from '../functionSource';

const PARAMETER_OVERRIDES_FLAG = FUNCTION_SOURCE_FLAGS.filter((flag) => flag.name === 'parameter-overrides');

export const validateCommand: CommandSpec = {
  name: 'validate',
  summary: 'Check a template as the loader reads it: syntax, Lambda limits, runtimes, handlers, references, event sources.',
  positionals: [],
  flags: [TEMPLATE_FLAG, PROJECT_ROOT_FLAG, ...PARAMETER_OVERRIDES_FLAG, { name: 'format', kind: 'string', description: 'Output format (default: text).', choices: ['text', 'json'] }],
  details: [
    'Each problem is one line, `file:line:col: error|warning: message`, the format editors and CI systems annotate.',
    'Exit status: 0 no errors (warnings allowed), 1 the template has errors, 2 bad usage or no template.',
    '',
    'Examples:',
    '  lambda-workbench validate',
    '  lambda-workbench validate --template infra/template.yaml --format json',
  ].join('\n'),

  async run(args, io) {
    const templatePath = templatePathArg('validate', args);
    const diagnostics = await validateTemplate(templatePath, {
      parameterOverrides: parameterOverrides('validate', args.lists.get('parameter-overrides')) ?? {},
      projectRoot: projectRootOf(args, templatePath),
    });
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    if (args.strings.get('format') === 'json') {
      await writeFully(io.stdout, `${JSON.stringify({ template: templatePath, valid: errors === 0, diagnostics }, null, 2)}\n`);
    } else {
      const lines = diagnostics.map(formatDiagnostic);
      const warnings = diagnostics.length - errors;
      lines.push(errors === 0 ? `${templatePath} is valid${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.` : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
      await writeFully(io.stdout, `${lines.join('\n')}\n`);
    }
    return errors > 0 ? 1 : 0;
  },
};
