// `lambda-workbench init [BLUEPRINT]`: scaffolds a function blueprint or an application template (the extension's own code); no blueprint: the list.
import * as path from 'node:path';
import { listBlueprints, scaffoldBlueprint, type BlueprintInfo, type BlueprintLanguage } from '../../core/blueprints';
import { usage } from '../argParser';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';

const LANGUAGES: readonly BlueprintLanguage[] = ['javascript', 'typescript', 'python'];

export const initCommand: CommandSpec = {
  name: 'init',
  summary: 'Create a function from a blueprint or an application from a template (no blueprint: list them).',
  positionals: [{ name: 'Blueprint', description: 'Blueprint or application template id (see the list).', required: false }],
  flags: [
    {
      name: 'runtime',
      kind: 'string',
      valueName: 'runtime',
      description: 'javascript, typescript, python, or a runtime of one of them (nodejs22.x, python3.13); default: the first the blueprint offers.',
    },
    { name: 'name', kind: 'string', valueName: 'Function', description: "Logical id of the function (letters and digits; default: the blueprint's)." },
    { name: 'dir', kind: 'string', valueName: 'path', description: 'Directory to create it in (default: the current directory). Existing files are never overwritten.' },
  ],
  details: [
    'Examples:',
    '  lambda-workbench init',
    '  lambda-workbench init sqs-batch --runtime typescript --name OrderWorker --dir order-worker',
    '  lambda-workbench init hello --runtime python3.13 --dir hello-py && cd hello-py && lambda-workbench invoke HelloFunction',
  ].join('\n'),

  async run(args, io) {
    const id = args.positionals[0];
    if (id === undefined) {
      await writeFully(io.stdout, blueprintList(listBlueprints()));
      return 0;
    }
    const blueprint = listBlueprints().find((candidate) => candidate.id === id);
    if (!blueprint) throw usage('init', `unknown blueprint '${id}'. Blueprints: ${listBlueprints().map((b) => b.id).join(', ')}.`);
    const { language, runtime } = chooseLanguage(blueprint, args.strings.get('runtime'));
    const targetDir = path.resolve(args.strings.get('dir') ?? '.');
    const name = args.strings.get('name');
    const result = await scaffoldBlueprint(id, language, targetDir, {
      ...(name === undefined ? {} : { functionName: name }),
      ...(runtime === undefined ? {} : { runtime }),
    });
    const shown = (file: string) => path.relative(process.cwd(), file) || '.';
    const lines = [`${blueprint.title} (${language}) in ${shown(targetDir)}:`];
    lines.push(...result.created.map((file) => `  created  ${shown(file)}`));
    lines.push(...result.skipped.map((file) => `  kept     ${shown(file)} (already there, not overwritten)`));
    await writeFully(io.stdout, `${lines.join('\n')}\n`);
    return 0;
  },
};

/** `--runtime` names a language or a runtime of one; the blueprint must offer that language. */
function chooseLanguage(blueprint: BlueprintInfo, value: string | undefined): { language: BlueprintLanguage; runtime?: string } {
  let choice: { language: BlueprintLanguage; runtime?: string };
  if (value === undefined) choice = { language: blueprint.languages[0] };
  else if ((LANGUAGES as readonly string[]).includes(value)) choice = { language: value as BlueprintLanguage };
  else if (value.startsWith('nodejs')) choice = { language: 'javascript', runtime: value };
  else if (value.startsWith('python')) choice = { language: 'python', runtime: value };
  else throw usage('init', `--runtime must be javascript, typescript, python or a nodejs*/python* runtime, not '${value}'.`);
  if (!blueprint.languages.includes(choice.language)) {
    throw usage('init', `blueprint '${blueprint.id}' is not available in ${choice.language}; it offers ${blueprint.languages.join(', ')}.`);
  }
  return choice;
}

function blueprintList(blueprints: BlueprintInfo[]): string {
  const width = Math.max(...blueprints.map((b) => b.id.length));
  const section = (kind: BlueprintInfo['kind'], title: string) => [
    title,
    ...blueprints.filter((b) => b.kind === kind).map((b) => `  ${b.id.padEnd(width)}  ${b.title} (${b.languages.join(', ')})`),
  ];
  return [
    ...section('function', 'Function blueprints:'),
    ...section('application', 'Application templates:'),
    '',
    'Create one: lambda-workbench init BLUEPRINT [--runtime javascript|typescript|python|RUNTIME] [--name Function] [--dir DIR]',
    '',
  ].join('\n');
}
