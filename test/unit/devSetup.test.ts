// The contributor setup holds together: .vscode/launch.json and tasks.json name tasks, scripts and files that exist.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse, type ParseError } from 'jsonc-parser';

const REPO = resolve(__dirname, '../../..');

interface Task {
  label: string;
  type: string;
  script?: string;
  command?: string;
  dependsOn?: string | string[];
}
interface Launch {
  name: string;
  type: string;
  program?: string;
  runtimeArgs?: string[];
  args?: string[];
  preLaunchTask?: string;
}

function readJsonc<T>(file: string): T {
  const errors: ParseError[] = [];
  const value = parse(readFileSync(resolve(REPO, file), 'utf8'), errors) as T;
  assert.deepEqual(errors, [], `${file} parses`);
  return value;
}

/** `${workspaceFolder}/dist/cli.js` -> the source (or script) that produces it, for paths this repository builds. */
function sourceOf(path: string): string | undefined {
  const relative = path.replace('${workspaceFolder}/', '');
  const dist = /^dist\/(.+)\.js$/.exec(relative);
  if (dist) return `src/${dist[1]}.ts`;
  const out = /^out\/(test\/.+?)\/?(\.js)?$/.exec(relative);
  if (out) return out[2] ? `${out[1]}.ts` : out[1];
  return undefined;
}

describe('contributor setup (.vscode)', () => {
  const tasks = readJsonc<{ tasks: Task[] }>('.vscode/tasks.json').tasks;
  const launch = readJsonc<{ configurations: Launch[]; compounds: { name: string; configurations: string[] }[] }>('.vscode/launch.json');
  const scripts = (JSON.parse(readFileSync(resolve(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const labels = new Set(tasks.map((task) => task.label));

  it('tasks run npm scripts and shell scripts that exist, and depend on tasks that exist', () => {
    for (const task of tasks) {
      if (task.type === 'npm') assert.ok(scripts[task.script ?? ''], `task '${task.label}': npm script '${task.script}'`);
      for (const script of task.command?.match(/scripts\/[\w-]+\.sh/g) ?? []) assert.ok(existsSync(resolve(REPO, script)), `task '${task.label}': ${script}`);
      for (const dependency of [task.dependsOn ?? []].flat()) assert.ok(labels.has(dependency), `task '${task.label}' depends on '${dependency}'`);
    }
  });

  it('has a task for every test tier and the scripts they run', () => {
    for (const tier of ['unit', 'adapter', 'container', 'vscode (code-server)', 'vscode (Electron)', 'e2e']) {
      assert.ok(labels.has(`test: ${tier}`), `task 'test: ${tier}'`);
    }
    for (const script of ['lint', 'test', 'test:unit', 'test:adapter', 'test:container', 'test:vscode', 'test:electron', 'test:e2e']) {
      assert.ok(scripts[script], `npm script ${script}`);
    }
  });

  it('launch configurations start built files of this repository and name existing tasks', () => {
    for (const config of launch.configurations) {
      if (config.preLaunchTask) assert.ok(labels.has(config.preLaunchTask), `'${config.name}': preLaunchTask '${config.preLaunchTask}'`);
      for (const arg of [config.program, ...(config.runtimeArgs ?? []), ...(config.args ?? [])]) {
        const path = arg?.replace(/^--\w+=/, '');
        if (!path?.startsWith('${workspaceFolder}/') || path.includes('${relativeFileDirname}')) continue;
        const source = sourceOf(path);
        if (source) assert.ok(existsSync(resolve(REPO, source)), `'${config.name}': ${path} is built from ${source}`);
      }
    }
    const names = new Set(launch.configurations.map((config) => config.name));
    for (const compound of launch.compounds) {
      for (const name of compound.configurations) assert.ok(names.has(name), `compound '${compound.name}': '${name}'`);
    }
  });

  it('runs the extension, the adapter as a server and the integration suite', () => {
    const byType = (type: string) => launch.configurations.filter((config) => config.type === type);
    assert.ok(byType('extensionHost').some((config) => config.args?.includes('--extensionDevelopmentPath=${workspaceFolder}')));
    assert.ok(launch.configurations.some((config) => config.program?.endsWith('/dist/debugAdapter.js') && config.args?.some((arg) => arg.startsWith('--server='))));
    assert.ok(byType('extensionHost').some((config) => config.args?.includes('--extensionTestsPath=${workspaceFolder}/out/test/vscode/index.js')));
  });
});
