// Integration: with `lambdaWorkbench.backend` set to container, "Invoke Function" runs the handler in a container.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { buildRuntimeImage } from '../../src/core/images/runtimeImageBuilder';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import type { InvokeResult } from '../../src/core/service/invocation';
import { activateExtension, findFunctionNode, waitFor } from './helpers';

const RUNTIME = 'nodejs20.x';

suite('Invoke Function in a container', () => {
  let image: string | undefined;

  suiteSetup(async function () {
    // No registry here: the runtime image is built locally from the host's Node.js, as `images build` does.
    this.timeout(300_000);
    const engine = await connectDockerEngine().catch(() => undefined);
    if (!engine) return;
    image = (await buildRuntimeImage(engine.docker, RUNTIME)).image;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
    const config = vscode.workspace.getConfiguration('lambdaWorkbench');
    await config.update('backend', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('imageOverrides', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('the backend setting sends the next invocation to a container, and the view says so', async function () {
    if (!image) this.skip();
    this.timeout(180_000);
    const api = await activateExtension();
    const config = vscode.workspace.getConfiguration('lambdaWorkbench');
    await config.update('imageOverrides', { [RUNTIME]: image }, vscode.ConfigurationTarget.Workspace);
    await config.update('backend', 'container', vscode.ConfigurationTarget.Workspace);

    const result = await vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.invokeFunction', {
      functionName: 'HelloJsFunction',
      event: { name: 'Container' },
    });
    assert.ok(result, 'the command returned a result');
    assert.equal(result.functionError, undefined, Buffer.from(result.payload).toString('utf8'));
    assert.deepEqual(JSON.parse(Buffer.from(result.payload).toString('utf8')), { greeting: 'Hello, Container!' });

    const node = await findFunctionNode(api, 'HelloJsFunction');
    const description = await waitFor('the warm instance in the view', async () => {
      const instances = ((await api.tree.getChildren(node)) ?? []).filter((child) => child.kind === 'instance');
      const items = await Promise.all(instances.map((child) => api.tree.getTreeItem(child)));
      return items.map((item) => String(item.description ?? '')).find((text) => text.includes('container'));
    });
    assert.match(description, /· container ·/);
  });
});
