// Path traversal in templates, event files and launch configurations: real folders, real symbolic links, the real CLI.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveDebugTarget } from '../../src/adapter/debugTarget';
import { isWorkbenchError } from '../../src/core/common/errors';
import { defaultProjectRoot } from '../../src/core/common/projectRoot';
import { newEventFile } from '../../src/core/events/savedEvents';
import { readRouteTable } from '../../src/core/gateway/routeTable';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { findFunction, loadTemplate } from '../../src/core/template';
import { validateTemplate } from '../../src/core/template/validateTemplate';
import { runCli } from '../support/cliRun';

/** A SAM template of nodejs20.x functions: logical id -> CodeUri; `extra` lines are appended under Resources. */
function template(functions: Record<string, string>, extra: string[] = []): string {
  return [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    ...Object.entries(functions).flatMap(([id, codeUri]) => [
      `  ${id}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs20.x',
      '      Handler: index.handler',
      `      CodeUri: ${codeUri}`,
    ]),
    ...extra,
    '',
  ].join('\n');
}

/** A handler that answers which folder it came from (the sandbox runs every function's code at /var/task). */
function writeCode(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), `exports.handler = async () => ({ from: ${JSON.stringify(basename(dir))} });\n`);
}

/** The line of `text` in the template file (1-based), to check that errors point at it. */
function lineOf(file: string, text: string, content: string): { file: string; line: number } {
  return { file, line: content.split('\n').findIndex((line) => line.includes(text)) + 1 };
}

/**
 * A repository (with .git) holding services/api/template.yaml and shared/ beside it, and a folder outside the
 * repository with code in it (what a hostile template would reach for).
 */
function workspace(): { base: string; repo: string; serviceDir: string; outside: string } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'lwb-traversal-')));
  const repo = join(base, 'repo');
  const serviceDir = join(repo, 'services', 'api');
  const outside = join(base, 'outside');
  mkdirSync(join(repo, '.git'), { recursive: true });
  writeCode(join(serviceDir, 'src'));
  writeCode(join(repo, 'shared'));
  writeCode(outside);
  return { base, repo, serviceDir, outside };
}

describe('Path traversal in templates', () => {
  const ws = workspace();
  after(() => rmSync(ws.base, { recursive: true, force: true }));

  it('finds the project root: the nearest .git, else the working directory holding the template, else the template folder', () => {
    assert.equal(defaultProjectRoot(join(ws.serviceDir, 'template.yaml')), ws.repo);
    const loose = join(ws.base, 'loose', 'app');
    mkdirSync(loose, { recursive: true });
    assert.equal(defaultProjectRoot(join(loose, 'template.yaml')), loose);
    assert.equal(defaultProjectRoot(join(loose, 'template.yaml'), join(ws.base, 'loose')), join(ws.base, 'loose'));
    assert.equal(defaultProjectRoot(join(loose, 'template.yaml'), ws.repo), loose, 'a working directory that does not hold the template is no root');
  });

  it('loads a monorepo template whose CodeUri is ../../shared inside the repository', async () => {
    const file = join(ws.serviceDir, 'template.yaml');
    writeFileSync(file, template({ Own: 'src/', Shared: '../../shared' }));
    const model = await loadTemplate(file);
    assert.equal(findFunction(model, 'Shared').codeDir, join(ws.repo, 'shared'));
    assert.equal(findFunction(model, 'Own').codeDir, join(ws.serviceDir, 'src'));
  });

  for (const [what, codeUri, resolvedTo] of [
    ['a ../ path out of the repository', '../../../outside', () => ws.outside],
    ['an absolute path outside', '__OUTSIDE__', () => ws.outside],
  ] as const) {
    it(`refuses ${what} at the CodeUri line, naming the resolved path, the root and the fix`, async () => {
      const file = join(ws.serviceDir, 'template.yaml');
      const written = codeUri === '__OUTSIDE__' ? ws.outside : codeUri;
      const content = template({ Own: 'src/', Escaping: written });
      writeFileSync(file, content);
      await assert.rejects(loadTemplate(file), (error: unknown) => {
        assert.ok(isWorkbenchError(error, 'TEMPLATE_INVALID'), String(error));
        assert.deepEqual({ file: error.options.location?.file, line: error.options.location?.line }, lineOf(file, `CodeUri: ${written}`, content));
        assert.equal(error.message, `CodeUri of Escaping is ${written}, which resolves to ${resolvedTo()}, outside the project root ${ws.repo}: Lambda Workbench reads no code from outside the project.`);
        assert.match(error.options.hint ?? '', new RegExp(`^Move the code inside ${ws.repo}, or set the project root .*--project-root \\(CLI\\), the lambdaWorkbench\\.projectRoot setting`));
        return true;
      });
    });
  }

  it('refuses a symbolic link inside the project that leads outside, and a layer ContentUri that does', async () => {
    const file = join(ws.serviceDir, 'template.yaml');
    symlinkSync(ws.outside, join(ws.serviceDir, 'linked'));
    writeFileSync(file, template({ Linked: 'linked' }));
    await assert.rejects(loadTemplate(file), (error: unknown) => {
      assert.ok(isWorkbenchError(error, 'TEMPLATE_INVALID'));
      assert.match(error.message, new RegExp(`^CodeUri of Linked is linked, which resolves to ${join(ws.serviceDir, 'linked')} \\(which leads to ${ws.outside} through a symbolic link\\), outside the project root`));
      return true;
    });
    const layer = ['  Deps:', '    Type: AWS::Serverless::LayerVersion', '    Properties:', '      ContentUri: linked/'];
    const content = template({ Own: 'src/' }, layer);
    writeFileSync(file, content);
    await assert.rejects(loadTemplate(file), (error: unknown) => {
      assert.ok(isWorkbenchError(error, 'TEMPLATE_INVALID'));
      assert.equal(error.options.location?.line, lineOf(file, 'ContentUri: linked/', content).line);
      assert.match(error.message, /^ContentUri of Deps is linked\/, which resolves to .*through a symbolic link\), outside the project root/);
      return true;
    });
  });

  it('lets a project root that holds the code allow it, and validate reports each escaping function at its line', async () => {
    const file = join(ws.serviceDir, 'template.yaml');
    const content = template({ Own: 'src/', Escaping: '../../../outside', AlsoEscaping: ws.outside });
    writeFileSync(file, content);
    const model = await loadTemplate(file, { projectRoot: ws.base });
    assert.equal(findFunction(model, 'Escaping').codeDir, ws.outside);
    const problems = await validateTemplate(file);
    assert.deepEqual(problems.filter((p) => p.severity === 'error').map((p) => [p.line, /outside the project root/.test(p.message)]), [
      [lineOf(file, 'CodeUri: ../../../outside', content).line, true],
      [lineOf(file, `CodeUri: ${ws.outside}`, content).line, true],
    ]);
  });

  it('refuses esbuild EntryPoints and an API DefinitionUri that lead outside the project root', async () => {
    const file = join(ws.serviceDir, 'template.yaml');
    writeFileSync(join(ws.outside, 'openapi.yaml'), 'openapi: 3.0.1\npaths: {}\n');
    const built = ['  Built:', '    Type: AWS::Serverless::Function', '    Properties: { Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/ }',
      '    Metadata:', '      BuildMethod: esbuild', '      BuildProperties:', '        EntryPoints: [../../../../outside/index.js]'];
    const content = template({}, built);
    writeFileSync(file, content);
    await assert.rejects(loadTemplate(file), (error: unknown) => {
      assert.ok(isWorkbenchError(error, 'TEMPLATE_INVALID'));
      assert.equal(error.options.location?.line, lineOf(file, 'EntryPoints:', content).line);
      assert.match(error.message, new RegExp(`^BuildProperties\\.EntryPoints of Built has \\.\\./\\.\\./\\.\\./\\.\\./outside/index\\.js, which resolves to ${ws.outside}/index\\.js, outside the project root ${ws.repo}`));
      return true;
    });
    const api = ['  Api:', '    Type: AWS::Serverless::Api', '    Properties: { StageName: dev, DefinitionUri: ../../../outside/openapi.yaml }'];
    const withApi = template({ Own: 'src/' }, api);
    writeFileSync(file, withApi);
    const registry = await FunctionRegistry.fromTemplates([file]);
    await assert.rejects(readRouteTable(registry), (error: unknown) => {
      assert.ok(isWorkbenchError(error, 'TEMPLATE_INVALID'), String(error));
      assert.equal(error.options.location?.line, lineOf(file, 'DefinitionUri', withApi).line);
      assert.match(error.message, new RegExp(`DefinitionUri \\.\\./\\.\\./\\.\\./outside/openapi\\.yaml resolves to ${ws.outside}/openapi\\.yaml, outside the project root ${ws.repo}\\.$`));
      return true;
    });
  });

  it('refuses logical ids and FunctionNames that are not Lambda names (they name folders of the state directory)', async () => {
    const file = join(ws.serviceDir, 'template.yaml');
    writeFileSync(file, template({ Own: 'src/' }, ['  "../../Evil":', '    Type: AWS::Serverless::Function', '    Properties: { Runtime: nodejs20.x, Handler: index.handler, CodeUri: src/ }']));
    await assert.rejects(loadTemplate(file), /The logical id '\.\.\/\.\.\/Evil' is not alphanumeric/);
    writeFileSync(file, template({ Own: 'src/' }, ['  Named:', '    Type: AWS::Serverless::Function', '    Properties: { Runtime: nodejs20.x, Handler: index.handler, CodeUri: src/, FunctionName: ../../../x }']));
    await assert.rejects(loadTemplate(file), /FunctionName of Named is '\.\.\/\.\.\/\.\.\/x', but Lambda function names are 1 to 64 letters, digits, hyphens and underscores/);
  });
});

describe('Path traversal through the CLI and the debug adapter', () => {
  const ws = workspace();
  after(() => rmSync(ws.base, { recursive: true, force: true }));
  const file = join(ws.serviceDir, 'template.yaml');
  const content = template({ Own: 'src/', Shared: '../../shared', Escaping: '../../../outside' });
  writeFileSync(file, content);

  it('validate names the escaping CodeUri at file:line; invoke refuses it and runs nothing; --project-root allows it', { timeout: 60_000 }, async () => {
    const validated = await runCli(['validate', '--template', file], { cwd: ws.serviceDir });
    assert.equal(validated.code, 1, validated.stdout);
    assert.match(validated.stdout, new RegExp(`^${file}:${lineOf(file, 'CodeUri: ../../../outside', content).line}:\\d+: error: CodeUri of Escaping is \\.\\./\\.\\./\\.\\./outside, which resolves to ${ws.outside}, outside the project root ${ws.repo}`, 'm'));

    const refused = await runCli(['invoke', 'Shared', '--template', file, '--event', '-'], { cwd: ws.serviceDir, stdin: '{}' });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /CodeUri of Escaping is \.\.\/\.\.\/\.\.\/outside, which resolves to .* outside the project root/);
    assert.equal(refused.stdout, '', 'no function ran');

    const allowed = await runCli(['invoke', 'Escaping', '--template', file, '--project-root', ws.base, '--event', '-'], { cwd: ws.serviceDir, stdin: '{}' });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.deepEqual(JSON.parse(allowed.stdout), { from: 'outside' });
  });

  it('takes the working directory as the root when no .git is above the template and it holds the template', { timeout: 60_000 }, async () => {
    const loose = join(ws.base, 'loose');
    writeCode(join(loose, 'shared'));
    const looseTemplate = join(loose, 'app', 'template.yaml');
    mkdirSync(join(loose, 'app'), { recursive: true });
    writeFileSync(looseTemplate, template({ Shared: '../shared' }));
    const fromParent = await runCli(['invoke', 'Shared', '--template', looseTemplate, '--event', '-'], { cwd: loose, stdin: '{}' });
    assert.equal(fromParent.code, 0, fromParent.stderr);
    assert.deepEqual(JSON.parse(fromParent.stdout), { from: 'shared' });
    const fromTemplateFolder = await runCli(['list', '--template', looseTemplate], { cwd: join(loose, 'app') });
    assert.equal(fromTemplateFolder.code, 2);
    assert.match(fromTemplateFolder.stderr, new RegExp(`outside the project root ${join(loose, 'app')}`));
  });

  it('the debug adapter refuses the template, unless the launch configuration sets projectRoot', async () => {
    await assert.rejects(resolveDebugTarget({ function: 'Shared', template: file }), /CodeUri of Escaping is .*outside the project root/);
    const target = await resolveDebugTarget({ function: 'Escaping', template: file, projectRoot: ws.base });
    assert.equal(target.spec.codeDir, ws.outside);
  });
});

describe('Path traversal in new event files', () => {
  const ws = workspace();
  after(() => rmSync(ws.base, { recursive: true, force: true }));

  it('refuses names that are not plain file names, and events folders that lead outside the project', () => {
    const events = join(ws.serviceDir, 'events');
    assert.equal(newEventFile(events, 'order-created.v2', ws.repo), join(events, 'order-created.v2.json'));
    for (const name of ['../escape', '..', '.hidden', 'a/b', '/etc/passwd', '']) {
      assert.throws(() => newEventFile(events, name, ws.repo), (error: unknown) => isWorkbenchError(error, 'EVENT_INVALID') && /cannot name an event file/.test(error.message), name);
    }
    symlinkSync(ws.outside, events);
    assert.throws(() => newEventFile(events, 'event', ws.repo), (error: unknown) =>
      isWorkbenchError(error, 'EVENT_INVALID') && error.message === `The event file ${join(events, 'event.json')} (which leads to ${join(ws.outside, 'event.json')} through a symbolic link) would be outside the project root ${ws.repo}.`);
  });
});
