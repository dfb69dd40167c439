// Workspaces for the saved-events-as-tests suites: a template of Node.js functions, their handlers, events and expectations.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A SAM template of nodejs20.x functions with their code in src/: each entry is a logical id and its Properties lines. */
export function nodeFunctionsTemplate(functions: Record<string, string[]>): string {
  return [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    '  Function:',
    '    Runtime: nodejs20.x',
    '    CodeUri: src/',
    'Resources:',
    ...Object.entries(functions).flatMap(([logicalId, properties]) => [
      `  ${logicalId}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      ...properties.map((line) => `      ${line}`),
    ]),
    '',
  ].join('\n');
}

/** A handler that fails as a validation would: ValidationError "refusing <event.name>". */
export const REFUSE_HANDLER = `
exports.refuse = async (event) => {
  const error = new Error('refusing ' + event.name);
  error.name = 'ValidationError';
  throw error;
};
`;

/** Writes `value` as indented JSON (a saved event or an expectation), creating its folder. */
export function writeJson(file: string, value: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A new temporary folder (`prefix`) with template.yaml and src/app.js; the caller removes it. */
export function eventTestWorkspace(prefix: string, template: string, handlers: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'template.yaml'), template);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.js'), handlers);
  return dir;
}

/** The TAP result lines (`ok N - ...` / `not ok N - ...`) of `lambda-workbench test`'s output. */
export function tapLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^(not )?ok \d+ - /.test(line));
}
