// package.json `contributes.debuggers` must be what src/shared/launchConfig.ts generates (npm run generate:debuggers).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { debuggerContribution } from '../../src/shared/launchConfig';
import { repoRoot } from './adapterHarness';

it('package.json declares the debugger generated from the launch configuration type', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.deepEqual(
    manifest.contributes?.debuggers,
    JSON.parse(JSON.stringify(debuggerContribution())),
    'package.json is out of date: run `npm run generate:debuggers`',
  );
});
