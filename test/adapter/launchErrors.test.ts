// The built adapter answers invalid launch configurations with DAP error responses that say what to fix.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdapterHarness, fixturesDir } from './adapterHarness';

const template = path.join(fixturesDir, 'typescript-function', 'template.yaml');
const scratch = mkdtempSync(path.join(tmpdir(), 'lwb-launch-errors-'));
const brokenEvent = path.join(scratch, 'broken.json');
writeFileSync(brokenEvent, '{\n  "name": "Ada",\n  "age": \n}\n');
const missingTemplate = path.join(scratch, 'missing', 'template.yaml');

const cases: { name: string; args: Record<string, unknown>; expected: RegExp }[] = [
  { name: 'nothing to debug', args: {}, expected: /no function to debug.*Set `function`/ },
  { name: 'function without template', args: { function: 'GreetFunction' }, expected: /without `template`.*Set `template`/ },
  { name: 'handler without runtime', args: { handler: 'app.handler' }, expected: /without `runtime`.*Set `runtime`/ },
  { name: 'unknown backend', args: { template, function: 'GreetFunction', backend: 'vm' }, expected: /`backend` must be one of "auto", "process", "container", not "vm"/ },
  { name: 'timeout out of range', args: { template, function: 'GreetFunction', timeout: 0 }, expected: /`timeout` must be between 1 and 900/ },
  { name: 'env value not a string', args: { template, function: 'GreetFunction', env: { DEBUG: 1 } }, expected: /`env.DEBUG` must be a string/ },
  { name: 'unknown attribute', args: { template, function: 'GreetFunction', evnt: {} }, expected: /unknown attribute `evnt`/ },
  { name: 'function not in template', args: { template, function: 'Nope' }, expected: /"Nope" is not declared.*GreetFunction/ },
  { name: 'missing event file', args: { template, function: 'GreetFunction', eventFile: path.join(fixturesDir, 'missing.json') }, expected: /event file .*missing\.json cannot be read/ },
  {
    name: 'event file with bad JSON',
    args: { template, function: 'GreetFunction', eventFile: brokenEvent },
    expected: /broken\.json:4:1: The event file \(`eventFile`\) is not valid JSON: Expected a value but found '\}'.*Fix the JSON/,
  },
  { name: 'missing template', args: { template: missingTemplate, function: 'GreetFunction' }, expected: /`template` names no template file: Template not found: .*missing.template\.yaml.*Set `template`/ },
  { name: 'template is a directory', args: { template: scratch, function: 'GreetFunction' }, expected: /`template` names no template file: Template path is a directory.*Set `template`/ },
  { name: 'function of the wrong type', args: { template, function: 42 }, expected: /`function` must be string, not number/ },
  { name: 'empty function', args: { template, function: '' }, expected: /`function` is empty.*Set `function`/ },
  { name: 'hotReload of the wrong type', args: { template, function: 'GreetFunction', hotReload: 'yes' }, expected: /`hotReload` must be boolean, not string/ },
  { name: 'unknown runtime', args: { handler: 'app.handler', runtime: 'nodejs99.x' }, expected: /`runtime` "nodejs99\.x" is not a Lambda runtime.*nodejs20\.x/ },
  { name: 'codeDir that is not a directory', args: { handler: 'app.handler', runtime: 'nodejs20.x', codeDir: path.join(scratch, 'nope') }, expected: /`codeDir` .*nope is not a directory.*Set `codeDir`/ },
];

describe('launch with invalid arguments', () => {
  let harness: AdapterHarness;
  before(async () => {
    harness = await AdapterHarness.start();
  });
  after(async () => {
    await harness.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  for (const { name, args, expected } of cases) {
    it(`rejects: ${name}`, async () => {
      await assert.rejects(harness.client.launchRequest(args as never), (error: Error) => {
        assert.match(error.message, expected);
        return true;
      });
    });
  }
});
