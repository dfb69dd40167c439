// Unit tests (plain node): finding a function's handler source file and the line of its exported handler.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultFunctionSpec, type FunctionSpec } from '../../src/core/template/functionSpec';
import { findHandlerLine, locateHandler, resolveHandlerSource } from '../../src/extension/functions/handlerSource';

let root: string;

function spec(overrides: Partial<FunctionSpec>): FunctionSpec {
  return defaultFunctionSpec('Fn', 'Zip', { codeDir: root, ...overrides });
}

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lwb-handler-'));
  await mkdir(path.join(root, 'src'), { recursive: true });
  await mkdir(path.join(root, 'pkg', 'sub'), { recursive: true });
  await writeFile(path.join(root, 'src', 'app.mjs'), 'export const handler = async () => 1;\n');
  await writeFile(path.join(root, 'index.ts'), '// x\nexport async function main() {}\n');
  await writeFile(path.join(root, 'pkg', 'sub', 'mod.py'), 'import json\n\n\ndef go(event, context):\n    return 1\n');
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveHandlerSource', () => {
  test('finds a Node module by any JavaScript extension', () => {
    assert.deepEqual(resolveHandlerSource(spec({ runtime: 'nodejs20.x', handler: 'src/app.handler' })), {
      file: path.join(root, 'src', 'app.mjs'),
      exportName: 'handler',
      language: 'javascript',
    });
  });

  test('prefers the esbuild entry point the handler names, as TypeScript', () => {
    const resolved = resolveHandlerSource(
      spec({ runtime: 'nodejs20.x', handler: 'index.main', build: { entryPoints: ['index.ts'], sourcemap: true, external: [], minify: false, extra: {} } }),
    );
    assert.equal(resolved?.file, path.join(root, 'index.ts'));
    assert.equal(resolved?.language, 'typescript');
  });

  test('maps a dotted Python module to its file', () => {
    assert.equal(resolveHandlerSource(spec({ runtime: 'python3.12', handler: 'pkg.sub.mod.go' }))?.file, path.join(root, 'pkg', 'sub', 'mod.py'));
  });

  test('gives nothing for missing files, images and malformed handlers', () => {
    assert.equal(resolveHandlerSource(spec({ runtime: 'nodejs20.x', handler: 'missing.handler' })), undefined);
    assert.equal(resolveHandlerSource(spec({ packageType: 'Image' })), undefined);
    assert.equal(resolveHandlerSource(spec({ runtime: 'nodejs20.x', handler: 'nodot' })), undefined);
    assert.equal(resolveHandlerSource(spec({ runtime: 'provided.al2023', handler: 'bootstrap.handler' })), undefined);
  });
});

describe('findHandlerLine', () => {
  test('recognises the usual JavaScript and TypeScript export forms', () => {
    const cases: [string, number][] = [
      ['// a\nexports.handler = async (event) => {};', 1],
      ['module.exports.handler = function () {}', 0],
      ['\n\nexport const handler = async () => {};', 2],
      ['export async function handler(event) {}', 0],
      ['export function* handler() {}', 0],
      ['const handler = () => 1;\nexport { other, handler };', 1],
      ['module.exports = { handler };', 0],
    ];
    for (const [text, line] of cases) assert.equal(findHandlerLine(text, 'handler', 'javascript'), line, text);
  });

  test('does not mistake a longer name or a call for the export', () => {
    assert.equal(findHandlerLine('export const handlerFactory = 1;\nhandler();', 'handler', 'typescript'), undefined);
  });

  test('finds a Python def, async or not', () => {
    assert.equal(findHandlerLine('import os\n\nasync def go(event, context):\n', 'go', 'python'), 2);
    assert.equal(findHandlerLine('def going(e, c):\n', 'go', 'python'), undefined);
  });
});

test('locateHandler returns the file with the handler line', async () => {
  const located = await locateHandler(spec({ runtime: 'python3.11', handler: 'pkg.sub.mod.go' }));
  assert.equal(located?.line, 3);
});
