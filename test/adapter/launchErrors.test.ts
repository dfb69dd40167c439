// The built adapter answers invalid launch configurations with DAP error responses that say what to fix.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdapterHarness, fixturesDir } from './adapterHarness';

const template = path.join(fixturesDir, 'typescript-function', 'template.yaml');

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
];

describe('launch with invalid arguments', () => {
  let harness: AdapterHarness;
  before(async () => {
    harness = await AdapterHarness.start();
  });
  after(async () => {
    await harness.stop();
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
