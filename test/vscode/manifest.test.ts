// Integration: what the manifest gives VS Code beyond commands: the extension icon and banner, and port attributes
// that keep the runtimes' inspector and debugpy ports out of VS Code's port auto-forwarding.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { INTERNAL_PORTS, INTERNAL_PORTS_KEY } from '../../src/core/api/internalPorts';
import { runtimeCommand } from '../../src/core/instances/process/runtimeCommand';
import type { InvokeResult } from '../../src/core/service/invocation';
import { FUNCTION_DEFAULTS, type FunctionSpec } from '../../src/core/template/functionSpec';
import { activateExtension, EXTENSION_ID, findFunctionNode, fixturePath, waitFor, writeFunctionProject } from './helpers';

interface PortAttributes {
  onAutoForward?: string;
}

function defaultPortsAttributes(): Record<string, PortAttributes> {
  return vscode.workspace.getConfiguration('remote').inspect<Record<string, PortAttributes>>('portsAttributes')?.defaultValue ?? {};
}

function debugCommandLine(runtime: string): string {
  const spec: FunctionSpec = {
    logicalId: 'Fn', functionName: 'Fn', packageType: 'Zip', runtime, handler: 'app.handler', codeDir: '/tmp/code',
    ...FUNCTION_DEFAULTS, environment: {}, layers: [], events: [], logging: { format: 'Text' },
  };
  const command = runtimeCommand({
    instanceId: 'Fn-1', spec, codeDir: '/tmp/code', layerDirs: [], tmpDir: '/tmp/t', runtimeApiHostPort: '127.0.0.1:1', environment: {},
    debug: { port: 9229, breakOnStart: false }, onOutput: () => undefined,
  }, undefined);
  return [command.command, ...command.args].join(' ');
}

suite('Manifest', () => {
  test('has a 128 px PNG icon and a gallery banner', async () => {
    await activateExtension();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const manifest = extension.packageJSON as { icon?: string; galleryBanner?: { color?: string; theme?: string } };
    assert.ok(manifest.icon);
    const png = readFileSync(path.join(extension.extensionPath, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'width and height from the IHDR chunk');
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9A-Fa-f]{6}$/);
  });

  test('keeps the inspector and debugpy ports of runtime processes from being auto-forwarded', async () => {
    await activateExtension();
    const attributes = defaultPortsAttributes();
    for (const runtime of ['nodejs20.x', 'python3.12']) {
      const commandLine = debugCommandLine(runtime);
      const matching = Object.entries(attributes).filter(([key]) => !/^\d/.test(key) && new RegExp(key).test(commandLine));
      assert.deepEqual(matching.map(([, value]) => value.onAutoForward), ['ignore'], `${commandLine} against ${JSON.stringify(attributes)}`);
    }
  });

  test('keeps the Runtime API ports served from the extension host from being auto-forwarded', async function () {
    this.timeout(120_000);
    const workbench = await activateExtension();
    // VS Code matches a "first-last" key against the port number (the extension host's command line is not ours to match).
    assert.equal(defaultPortsAttributes()[INTERNAL_PORTS_KEY]?.onAutoForward, 'ignore', JSON.stringify(defaultPortsAttributes()));
    const folder = fixturePath('runtime-port');
    await writeFunctionProject(folder, 'RuntimePortFunction', ['exports.handler = async () => ({ api: process.env.AWS_LAMBDA_RUNTIME_API });']);
    try {
      await waitFor('the new template in the Lambda view', () => findFunctionNode(workbench, 'RuntimePortFunction').catch(() => undefined));
      const result = await vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.invokeFunction', { functionName: 'RuntimePortFunction', event: {} });
      assert.ok(result, 'the command returned a result');
      const { api: hostPort } = JSON.parse(Buffer.from(result.payload).toString('utf8')) as { api: string };
      const port = Number(/^127\.0\.0\.1:(\d+)$/.exec(hostPort)?.[1]);
      assert.ok(port >= INTERNAL_PORTS.first && port <= INTERNAL_PORTS.last, `the Runtime API the function was given (${hostPort}) is in ${INTERNAL_PORTS_KEY}`);
    } finally {
      await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
    }
  });
});
