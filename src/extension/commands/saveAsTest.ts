// "Lambda: Save as Test" on a response editor: the invocation's event and its result become a saved event with NAME.expected.json.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import { listSavedEvents } from '../../core/events/savedEvents';
import { saveEventTest, savedEventLike, testEventFolder, testNameProblem } from '../../core/testing/saveEventTest';
import { type CommandContext } from './commandContext';
import { projectRootFor } from '../platform/projectRoots';

/** The first free name of the form <base>-<n>. */
function freeName(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Asks for the test's name (the saved event's own when the event is one, which then only gains its expectation) and
 * writes the files where `lambda-workbench test` and the Test Explorer find them. Resolves with the expectation file.
 */
export async function saveAsTest(ctx: CommandContext, uri?: vscode.Uri, givenName?: unknown): Promise<string | undefined> {
  const shown = uri ?? vscode.window.activeTextEditor?.document.uri;
  const invocation = shown && ctx.results.invocationOf(shown);
  if (!invocation) {
    throw new WorkbenchError('USAGE', 'Save as Test works on a function\'s response editor.', {
      hint: 'Invoke or debug the function first, then run Save as Test from its response editor.',
    });
  }
  await ctx.catalog.ready();
  const spec = ctx.catalog.find(invocation.functionName);
  if (!spec?.templatePath) {
    throw new WorkbenchError('FUNCTION_NOT_FOUND', `${invocation.functionName} is not declared in a template of the workspace, so its tests have no events folder.`);
  }
  const saved = await listSavedEvents(spec);
  const same = await savedEventLike(spec, invocation.event);
  // Menus pass more arguments (the editor group): only a string names the test.
  const name = typeof givenName === 'string' ? givenName : await vscode.window.showInputBox({
    title: `Save as Test: ${spec.functionName}`,
    prompt: same ? `The event is ${path.basename(same.file)}: keep its name to add its expectation, or name a new test.` : 'Name of the test (its event file is NAME.json).',
    value: same?.name ?? freeName(spec.logicalId.toLowerCase(), new Set(saved.map((event) => event.name))),
    validateInput: (value) => testNameProblem(value, saved, same),
  });
  if (name === undefined) return undefined;
  const problem = testNameProblem(name, saved, same);
  if (problem) throw new WorkbenchError('USAGE', problem);

  const existing = same?.name === name ? same : undefined;
  const soleFunction = ctx.catalog.functions().filter((candidate) => candidate.templatePath === spec.templatePath).length === 1;
  const test = await saveEventTest({ folder: testEventFolder(spec, soleFunction), name, event: invocation.event, invocation: {
    response: invocation.response.toString('utf8'),
    failed: invocation.failed,
  }, projectRoot: projectRootFor(spec.templatePath), ...(invocation.qualifier !== undefined ? { qualifier: invocation.qualifier } : {}), ...(existing ? { existing } : {}) });
  const runs = invocation.qualifier !== undefined ? ` (runs ${spec.functionName}:${invocation.qualifier})` : '';
  ctx.logs.note(`Saved test ${spec.logicalId}/${name}${runs}: ${existing ? '' : `event ${test.eventFile}, `}expectation ${test.expectationFile}`);
  await ctx.eventTests.refresh();
  void vscode.window.showInformationMessage(`Saved test ${name} of ${spec.functionName}.`, 'Open Expectation').then(async (choice) => {
    if (choice) await vscode.window.showTextDocument(vscode.Uri.file(test.expectationFile));
  });
  return test.expectationFile;
}
