// Generated paths against the project-root checks: template CodeUris, Lambda API S3Keys (real SDK over HTTP) and event file names,
// each judged by a model of the folder tree (its own resolution of '..', '.' and symbolic links), not by the code under test.
import { CreateFunctionCommand, DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startInvokeApi, type InvokeApi } from '../../src/core/api/invokeApi';
import { localCodeRoots } from '../../src/core/api/lambda/localCodePaths';
import { isWorkbenchError } from '../../src/core/common/errors';
import { newEventFile } from '../../src/core/events/savedEvents';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';
import { loadTemplate } from '../../src/core/template';
import { recordReliabilityFigures } from '../support/reliabilityReport';
import { lambdaClient } from '../support/startedEndpoint';

const RUNS = 150;

/**
 * base/repo (the project root, with .git), base/repo/app (the template's folder) holding link-out -> base/outside and
 * link-in -> base/repo/shared, base/repo/shared, base/outside.
 */
const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'lwb-traversal-fuzz-')));
const repo = path.join(base, 'repo');
const appDir = path.join(repo, 'app');
const LINKS: Record<string, string> = { [path.join(appDir, 'link-out')]: path.join(base, 'outside'), [path.join(appDir, 'link-in')]: path.join(repo, 'shared') };

/** The model: where a path really leads, walking its segments and following the two links (nothing else is a link). */
function modelRealPath(absolute: string): string {
  let current = '/';
  for (const segment of absolute.split('/')) {
    if (segment === '' || segment === '.') continue;
    current = segment === '..' ? path.dirname(current) : `${current === '/' ? '' : current}/${segment}`;
    const target = LINKS[current];
    if (target !== undefined) current = target;
  }
  return current;
}

function modelInside(absolute: string, roots: readonly string[]): boolean {
  const real = modelRealPath(absolute);
  return roots.some((root) => real === root || real.startsWith(`${root}/`));
}

/** A relative or absolute path of the layout's names, '..' and '.' (a trailing slash sometimes). */
const layoutPath = fc.tuple(
  fc.boolean(),
  fc.array(fc.constantFrom('..', '.', 'app', 'shared', 'link-out', 'link-in', 'outside', 'repo', 'code'), { minLength: 1, maxLength: 7 }),
  fc.boolean(),
).map(([absolute, segments, slash]) => `${absolute ? `${base}/` : ''}${segments.join('/')}${slash ? '/' : ''}`);

const figures = { templatePaths: 0, templateRefused: 0, apiPaths: 0, apiRefused: 0, eventNames: 0, eventNamesRefused: 0, acceptedOutside: 0 };

describe('path traversal: generated paths against the project root', () => {
  let stateDir: string;
  let service: LambdaService;
  let api: InvokeApi;

  before(async () => {
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(path.join(repo, 'shared'), { recursive: true });
    mkdirSync(path.join(appDir), { recursive: true });
    mkdirSync(path.join(base, 'outside'), { recursive: true });
    for (const [link, target] of Object.entries(LINKS)) symlinkSync(target, link);
    stateDir = path.join(repo, '.lambda-workbench');
    service = new LambdaService(FunctionRegistry.fromSpecs([]), { backend: new ProcessBackend(), stateDir });
    api = await startInvokeApi(service, { port: 0, localCodeRoots: localCodeRoots([repo], stateDir) });
  });

  after(async () => {
    await api.close();
    await service.dispose();
    rmSync(base, { recursive: true, force: true });
    if (figures.acceptedOutside === 0) {
      recordReliabilityFigures({
        key: 'traversal',
        title: 'Path traversal (test/fuzz/pathTraversalFuzz.test.ts)',
        rows: [
          ['template CodeUri paths tried (../, ., absolute, symbolic links in and out)', figures.templatePaths],
          ['template CodeUri paths refused at their line (outside the project root)', figures.templateRefused],
          ['Lambda API S3Key paths tried (CreateFunction through the AWS SDK)', figures.apiPaths],
          ['Lambda API S3Key paths refused (InvalidParameterValueException)', figures.apiRefused],
          ['event file names tried', figures.eventNames],
          ['event file names refused (not a plain file name)', figures.eventNamesRefused],
          ['paths accepted that lead outside the project root', figures.acceptedOutside],
        ],
      });
    }
  });

  it('a template CodeUri loads exactly when it leads inside the project root, else fails at its line', async () => {
    const templatePath = path.join(appDir, 'template.yaml');
    await fc.assert(fc.asyncProperty(layoutPath, async (codeUri) => {
      figures.templatePaths += 1;
      writeFileSync(templatePath, `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      CodeUri: '${codeUri}'\n`);
      // Resolved against the template's folder ('..' and '.' as text), then links followed.
      const inside = modelInside(path.resolve(appDir, codeUri), [repo]);
      const loaded = await loadTemplate(templatePath, { projectRoot: repo }).then(() => undefined, (error: unknown) => error);
      if (loaded === undefined) {
        if (!inside) figures.acceptedOutside += 1;
        assert.ok(inside, `${codeUri} leads to ${modelRealPath(path.resolve(appDir, codeUri))}, outside ${repo}, but loaded`);
        return;
      }
      figures.templateRefused += 1;
      assert.ok(!inside, `${codeUri} is inside, but: ${String(loaded)}`);
      assert.ok(isWorkbenchError(loaded, 'TEMPLATE_INVALID') && loaded.options.location?.line === 7 && /outside the project root/.test(loaded.message), String(loaded));
    }), { numRuns: RUNS });
  });

  it('a Lambda API S3Key is refused exactly when it leads outside the project root and the state directory', async () => {
    const client = lambdaClient(api.url);
    try {
      await fc.assert(fc.asyncProperty(layoutPath, async (written) => {
        figures.apiPaths += 1;
        // As written: '..' and '.' are the endpoint's to resolve.
        const key = written.startsWith('/') ? written : `${appDir}/${written}`;
        // The endpoint normalises the key ('..' and '.' as text), then follows links: the code used is the code checked.
        const inside = modelInside(path.resolve(key), [repo, stateDir]);
        const created = await client.send(new CreateFunctionCommand({
          FunctionName: 'fuzzed', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/r', Code: { S3Bucket: 'hot-reload', S3Key: key },
        })).then(() => undefined, (error: Error) => error);
        const refused = created?.name === 'InvalidParameterValueException' && /outside the folders local code may come from/.test(created.message);
        if (created === undefined) await client.send(new DeleteFunctionCommand({ FunctionName: 'fuzzed' }));
        if (refused) figures.apiRefused += 1;
        else if (!inside) figures.acceptedOutside += 1;
        assert.equal(refused, !inside, `${key}: ${created?.message ?? 'created'}`);
      }), { numRuns: RUNS });
    } finally {
      client.destroy();
    }
  });

  it('an event file name is accepted only when the file lands directly in its folder', () => {
    const folder = path.join(appDir, 'events');
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 12 }), layoutPath, fc.stringMatching(/^[A-Za-z0-9._\-/\\]{0,12}$/)), (name) => {
      figures.eventNames += 1;
      let file: string;
      try {
        file = newEventFile(folder, name, repo);
      } catch (error) {
        figures.eventNamesRefused += 1;
        assert.ok(isWorkbenchError(error, 'EVENT_INVALID'), String(error));
        return;
      }
      if (path.dirname(file) !== folder) figures.acceptedOutside += 1;
      assert.equal(path.dirname(file), folder, name);
      assert.equal(path.basename(file), `${name}.json`);
    }), { numRuns: RUNS * 3 });
  });
});
