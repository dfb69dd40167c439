// The Python runtime client's bytecode, compiled on the host for a sandboxed runtime that cannot write it (real interpreter, real files).
import assert from 'node:assert/strict';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { distPath } from '../../src/core/common/packageAssets';
import { resolveInterpreter } from '../../src/core/instances/process/interpreters';
import { compilePythonClient } from '../../src/core/instances/process/pythonBytecode';

const PACKAGE_DIR = distPath('runtimes', 'python', 'lambda_workbench_runtime');

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('Python runtime client bytecode', () => {
  it('compiles every module of the client for the interpreter once, beside its source, without waiting for it', async () => {
    const interpreter = await resolveInterpreter('python3.11');
    const [major, minor] = interpreter.version.split('.');
    const cache = join(PACKAGE_DIR, '__pycache__');
    rmSync(cache, { recursive: true, force: true });
    const modules = readdirSync(PACKAGE_DIR).filter((name) => name.endsWith('.py')).map((name) => name.slice(0, -3));
    const bytecode = (module: string) => join(cache, `${module}.cpython-${major}${minor}.pyc`);
    const allCompiled = () => modules.every((module) => {
      try {
        return statSync(bytecode(module)).isFile();
      } catch {
        return false;
      }
    });
    compilePythonClient(interpreter);
    assert.equal(allCompiled(), false, 'the launch does not wait for the compilation');
    assert.ok(await until(allCompiled, 30_000), `bytecode of ${modules.join(', ')} in ${cache}`);
    for (const module of modules) assert.ok(statSync(bytecode(module)).mtimeMs >= statSync(join(PACKAGE_DIR, `${module}.py`)).mtimeMs);
    // Once per interpreter: removed again, it is not compiled a second time by this process.
    rmSync(cache, { recursive: true, force: true });
    compilePythonClient(interpreter);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(allCompiled(), false);
  });
});
