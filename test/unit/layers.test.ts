// Layers as Lambda merges them, on the process backend: Node and Python folder layouts, bin on PATH, lib on LD_LIBRARY_PATH,
// later layers overriding earlier ones, and zip layers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { zipDirectory } from '../../src/core/build/zipPackage';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { findBubblewrap } from '../../src/core/instances/process/sandbox';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';

const PYTHON_VERSION = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).toString().trim();

function write(file: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

const nodeModule = (value: string) => `module.exports = ${JSON.stringify(value)};\n`;

describe('layers on the process backend', () => {
  let dir: string;
  let service: LambdaService;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-layers-'));
    // Layer A, shipped as a zip: Node modules in both documented folders, a Python module in each layout, a tool and a lib.
    const a = join(dir, 'layer-a');
    write(join(a, 'nodejs', 'node_modules', 'shared', 'index.js'), nodeModule('from A'));
    write(join(a, 'nodejs', 'node_modules', 'only-a', 'index.js'), nodeModule('only A'));
    write(join(a, 'nodejs', 'node_modules', 'versioned', 'index.js'), nodeModule('unversioned folder'));
    write(join(a, 'nodejs', 'node20', 'node_modules', 'versioned', 'index.js'), nodeModule('node20 folder'));
    write(join(a, 'python', 'plain_mod.py'), 'VALUE = "python folder"\n');
    write(join(a, 'python', 'lib', `python${PYTHON_VERSION}`, 'site-packages', 'site_mod.py'), 'VALUE = "site-packages folder"\n');
    write(join(a, 'bin', 'layer-tool'), '#!/bin/sh\necho tool from A\n', 0o755);
    write(join(a, 'lib', 'marker.txt'), 'A\n');
    await zipDirectory(a, join(dir, 'layer-a.zip'));
    rmSync(a, { recursive: true });
    // Layer B, a folder, listed after A: what both provide comes from B.
    const b = join(dir, 'layer-b');
    write(join(b, 'nodejs', 'node_modules', 'shared', 'index.js'), nodeModule('from B'));
    write(join(b, 'bin', 'layer-tool'), '#!/bin/sh\necho tool from B\n', 0o755);

    write(join(dir, 'node', 'index.js'), `
exports.handler = async () => ({
  shared: require('shared'), onlyA: require('only-a'), versioned: require('versioned'),
  tool: require('node:child_process').execFileSync('layer-tool').toString().trim(),
  libraryPath: process.env.LD_LIBRARY_PATH,
});
`);
    write(join(dir, 'py', 'app.py'), `
import os, plain_mod, site_mod
def handler(event, context):
    return {"plain": plain_mod.VALUE, "site": site_mod.VALUE, "path": os.environ["PATH"]}
`);
    write(join(dir, 'template.yaml'), `
Transform: AWS::Serverless-2016-10-31
Resources:
  LayerA:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: layer-a.zip }
  LayerB:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: layer-b/ }
  NodeFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, CodeUri: node/, Layers: [!Ref LayerA, !Ref LayerB] }
  PythonFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python${PYTHON_VERSION}, Handler: app.handler, CodeUri: py/, Layers: [!Ref LayerA] }
`);
    const registry = await FunctionRegistry.fromTemplates([join(dir, 'template.yaml')]);
    service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir: join(dir, '.lambda-workbench') });
  });

  after(async () => {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const invoke = async (functionName: string) => {
    const result = await service.invoke({ functionName, payload: Buffer.from('{}') });
    assert.equal(result.functionError, undefined, result.payload.toString());
    return JSON.parse(result.payload.toString()) as Record<string, string>;
  };

  it('finds Node modules in nodejs/nodeNN/node_modules before nodejs/node_modules, the later layer winning', { timeout: 60_000 }, async () => {
    const result = await invoke('NodeFunction');
    assert.equal(result.shared, 'from B');
    assert.equal(result.onlyA, 'only A');
    assert.equal(result.versioned, 'node20 folder');
    assert.equal(result.tool, 'tool from B', 'bin of the later layer is found first on PATH');
    if (findBubblewrap()) {
      // Sandboxed, the layers are merged at /opt, as on Lambda.
      assert.equal(result.libraryPath, '/var/task:/var/task/lib:/opt/lib');
    } else {
      const libraries = result.libraryPath!.split(':');
      assert.ok(libraries.some((entry) => entry.endsWith('/lib') && entry.includes('unzipped')), `the zip layer's lib: ${result.libraryPath}`);
    }
  });

  it('finds Python modules in python/lib/pythonX.Y/site-packages and python, with bin on PATH', { timeout: 60_000 }, async () => {
    const result = await invoke('PythonFunction');
    assert.equal(result.plain, 'python folder');
    assert.equal(result.site, 'site-packages folder');
    assert.match(result.path!, findBubblewrap() ? /:\/opt\/bin$/ : /unzipped\/[0-9a-f]{64}\/bin$/);
  });
});
